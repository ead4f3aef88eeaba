package dev.vigie.cli;

import dev.vigie.dlp.SiteSecret;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigie site}: per-site material; today the secret that keys the DLP hashes. */
@Command(name = "site",
        mixinStandardHelpOptions = true,
        description = "Manage per-site material (the DLP hash secret).",
        subcommands = {SiteCommand.Init.class})
public final class SiteCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "init",
            mixinStandardHelpOptions = true,
            description = {"Generate DIR/site.secret: 32 random bytes, mode 600, that key the DLP hashes "
                    + "(HMAC-SHA256) so that an identifier hashes the same on every sensor and run of the site. "
                    + "Point VIGIE_SITE_SECRET at it on each sensor."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {" 0:secret written", "73:a secret exists already", "74:I/O error"})
    static final class Init implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
                description = "Directory for site.secret (created owner-only if missing).")
        Path dir;

        @Override
        public Integer call() {
            Path file = dir.resolve("site.secret");
            try {
                SiteSecret.generate(file);
            } catch (FileAlreadyExistsException e) {
                throw new UserError(ExitCodes.CANT_CREATE, ExitCodes.oneLine(e.getMessage()), e);
            } catch (IOException e) {
                throw ExitCodes.io(e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("site secret: " + file + " (mode 600; keep it on the sensors, never in a bundle)");
            out.println("use it:      export " + SiteSecret.ENV + "=" + file.toAbsolutePath());
            out.flush();
            return 0;
        }
    }
}
