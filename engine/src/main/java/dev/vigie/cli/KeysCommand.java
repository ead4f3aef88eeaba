package dev.vigie.cli;

import dev.vigie.bundle.Ed25519Keys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vigie keys}: Ed25519 keys that sign model bundles. */
@Command(name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage the Ed25519 keys that sign model bundles.",
        subcommands = {KeysCommand.Generate.class})
public final class KeysCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate",
            mixinStandardHelpOptions = true,
            description = {"Generate a signing key pair: DIR/NAME.key (PKCS#8 PEM, mode 600) and DIR/NAME.pub "
                    + "(X.509 PEM). Keep the private key on the signing machine; copy the .pub into each sensor's "
                    + "trust directory."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {" 0:key pair written", "64:invalid name", "73:a key file exists already",
                    "74:I/O error"})
    static final class Generate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
                description = "Directory for the key files (created owner-only if missing).")
        Path dir;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "vigie-bundle",
                description = "Base name of the key files (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            Ed25519Keys.KeyFiles files;
            try {
                files = Ed25519Keys.write(Ed25519Keys.generate(), dir, name);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, ExitCodes.oneLine(e.getMessage()), e);
            } catch (IOException e) {
                throw ExitCodes.io(e);
            }
            PrintWriter out = spec.commandLine().getOut();
            String keyId;
            try {
                keyId = Ed25519Keys.keyId(Ed25519Keys.readPublicKey(files.publicKey()));
            } catch (IOException e) {
                throw ExitCodes.io(e);
            }
            out.println("private key: " + files.privateKey() + " (mode 600; never copy it to a sensor)");
            out.println("public key:  " + files.publicKey() + " (copy into each sensor's trust directory)");
            out.println("key id:      " + keyId);
            out.flush();
            return 0;
        }
    }
}
