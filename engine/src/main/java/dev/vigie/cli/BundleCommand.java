package dev.vigie.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigie.bundle.BundleLimits;
import dev.vigie.bundle.BundleManifest;
import dev.vigie.bundle.BundleRejected;
import dev.vigie.bundle.BundleSigner;
import dev.vigie.bundle.BundleTar;
import dev.vigie.bundle.BundleVerifier;
import dev.vigie.bundle.Ed25519Keys;
import dev.vigie.bundle.FeatureSpec;
import dev.vigie.bundle.FileEntry;
import dev.vigie.bundle.ManifestJson;
import dev.vigie.bundle.ManifestSignature;
import dev.vigie.bundle.ModelSpec;
import dev.vigie.bundle.RollbackState;
import dev.vigie.bundle.TrustStore;
import dev.vigie.bundle.VerifiedBundle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** {@code vigie bundle}: sign, verify, pack and inspect signed model bundles (format in docs/bundle.md). */
@Command(name = "bundle",
        mixinStandardHelpOptions = true,
        description = "Sign, verify, pack and inspect model bundles.",
        subcommands = {BundleCommand.Sign.class, BundleCommand.Verify.class, BundleCommand.Pack.class,
                BundleCommand.Inspect.class})
public final class BundleCommand implements Runnable {

    /**
     * The feature-schema hash of this build's extractor, used when {@code --schema-hash} is not given: a bundle
     * trained on another flow layout is refused (SCHEMA_MISMATCH).
     */
    static final Supplier<Optional<String>> BUILD_SCHEMA_HASH = () -> Optional.of(StandardPipeline.schema().hash());

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{16,128}");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "sign",
            mixinStandardHelpOptions = true,
            description = {"Sign a bundle directory: checks that manifest.json describes the directory exactly "
                    + "(every file, hash and size; no links, no extra files), then writes manifest.sig."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {" 0:signed", "10-23:the bundle does not match its manifest (codes as for verify)",
                    "65:a key file is not an Ed25519 key, or the two do not pair",
                    "66:a file does not exist", "74:I/O error", "77:the private key is readable by others"})
    static final class Sign implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--key", required = true, paramLabel = "K", description = "Private key file (NAME.key).")
        Path key;

        @Option(names = "--pub", paramLabel = "FILE",
                description = "Its public key (default: NAME.pub next to the private key).")
        Path pub;

        @Parameters(index = "0", paramLabel = "BUNDLE", description = "Bundle directory.")
        Path bundle;

        @Override
        public Integer call() {
            ManifestSignature sig;
            try {
                PrivateKey privateKey = Ed25519Keys.readPrivateKey(key);
                PublicKey publicKey = Ed25519Keys.readPublicKey(pub != null ? pub : Ed25519Keys.publicKeyFileFor(key));
                sig = BundleSigner.sign(bundle, privateKey, publicKey);
            } catch (BundleRejected e) {
                throw ExitCodes.refused("cannot sign", e);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.DATA, ExitCodes.oneLine(e.getMessage()), e);
            } catch (IOException e) {
                throw ExitCodes.io(e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("signed " + bundle + " with key " + sig.keyId());
            out.flush();
            return 0;
        }
    }

    @Command(name = "verify",
            mixinStandardHelpOptions = true,
            description = {"Verify a bundle (directory or .tar) as a sensor does before loading it, and record its "
                    + "version as accepted. Prints one line and exits with the refusal's code otherwise."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {" 0:verified and accepted",
                    "10:no signature", "11:bad signature", "12:key not trusted", "13:hash mismatch",
                    "14:missing file", "15:extra file", "16:path escapes the bundle", "17:feature-schema mismatch",
                    "18:rollback", "19:unknown format version", "20:malformed manifest", "21:malformed archive",
                    "22:unreadable", "23:rollback state unusable",
                    "64:invalid --schema-hash", "65:a .pub in the trust directory is not an Ed25519 key",
                    "66:the trust directory is missing or has no *.pub", "70:internal error"})
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--trust", required = true, paramLabel = "DIR",
                description = "Trust directory: every *.pub in it is a trusted signer.")
        Path trustDir;

        @Option(names = "--state", paramLabel = "FILE", defaultValue = "/var/lib/vigie/accepted-versions.json",
                description = "Highest accepted version per site (default: ${DEFAULT-VALUE}).")
        Path stateFile;

        @Option(names = "--no-record",
                description = "Check against the state file but do not record this bundle as accepted.")
        boolean noRecord;

        @Option(names = "--schema-hash", paramLabel = "HEX",
                description = "Feature-schema hash of the extractor that will use the models.")
        String schemaHash;

        @Parameters(index = "0", paramLabel = "BUNDLE", description = "Bundle directory or .tar file.")
        Path bundle;

        @Override
        public Integer call() {
            String expected = expectedSchemaHash();
            TrustStore trust;
            try {
                trust = TrustStore.fromDirectory(trustDir);
            } catch (IOException e) {
                throw ExitCodes.io(e);
            }
            RollbackState state = RollbackState.at(stateFile);
            if (noRecord) {
                state = state.readOnly();
            }
            BundleVerifier verifier = new BundleVerifier(trust, state);
            PrintWriter out = spec.commandLine().getOut();
            try (VerifiedBundle b = expected == null
                    ? verifier.verifyWithoutSchemaCheck(bundle) : verifier.verify(bundle, expected)) {
                BundleManifest m = b.manifest();
                out.printf("verified %s: site %s, bundle version %d, %d files, %d bytes, signed by %s (key %s)%n",
                        bundle, m.site(), m.bundleVersion(), m.files().size(), m.totalSize(), b.signer().name(),
                        b.signer().keyId());
                out.println(state.isReadOnly() ? "not recorded (--no-record)"
                        : "accepted; highest version for site " + m.site() + " recorded in " + state.file());
                out.flush();
                if (!b.schemaChecked()) {
                    spec.commandLine().getErr().println("note: feature-schema hash not checked (no --schema-hash, "
                            + "and this build does not provide its own yet)");
                }
            } catch (BundleRejected e) {
                throw ExitCodes.refused("refused", e);
            } catch (IOException e) {
                throw ExitCodes.io(e);
            }
            return 0;
        }

        private String expectedSchemaHash() {
            if (schemaHash == null) {
                return BUILD_SCHEMA_HASH.get().orElse(null);
            }
            if (!HEX.matcher(schemaHash).matches()) {
                throw new UserError(ExitCodes.USAGE, "--schema-hash must be 16 to 128 hex digits");
            }
            return schemaHash.toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Command(name = "pack",
            mixinStandardHelpOptions = true,
            description = {"Pack a bundle directory into one POSIX tar file (deterministic: sorted, no owners, "
                    + "no times)."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {" 0:packed", "66:the directory does not exist", "74:I/O error or unpackable content"})
    static final class Pack implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Bundle directory.")
        Path dir;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "X.tar", description = "Tar file to write.")
        Path tar;

        @Override
        public Integer call() {
            if (!Files.isDirectory(dir)) {
                throw new UserError(ExitCodes.NO_INPUT, dir + ": not a directory");
            }
            try {
                BundleTar.pack(dir, tar);
            } catch (IOException e) {
                throw ExitCodes.io(e);
            }
            spec.commandLine().getOut().println("packed " + dir + " into " + tar);
            if (!Files.exists(dir.resolve("manifest.sig"))) {
                spec.commandLine().getErr().println("note: the bundle is not signed; sensors will refuse it");
            }
            return 0;
        }
    }

    @Command(name = "inspect",
            mixinStandardHelpOptions = true,
            description = {"Print a bundle's manifest summary. Nothing is verified: use 'vigie bundle verify' "
                    + "before trusting what it says."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {" 0:printed", "10-23:the manifest or archive cannot be read (codes as for verify)",
                    "66:the bundle does not exist", "74:I/O error"})
    static final class Inspect implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "BUNDLE", description = "Bundle directory or .tar file.")
        Path bundle;

        @Override
        public Integer call() {
            if (!Files.exists(bundle)) {
                throw new UserError(ExitCodes.NO_INPUT, bundle + ": no such file or directory");
            }
            Path temp = null;
            try {
                Path dir = bundle;
                if (!Files.isDirectory(bundle)) {
                    temp = Files.createTempDirectory("vigie-inspect-",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    BundleTar.extract(bundle, temp, BundleLimits.DEFAULT);
                    dir = temp;
                }
                print(dir);
            } catch (BundleRejected e) {
                throw ExitCodes.refused("cannot inspect", e);
            } catch (IOException e) {
                throw ExitCodes.io(e);
            } finally {
                if (temp != null) {
                    deleteQuietly(temp);
                }
            }
            return 0;
        }

        private void print(Path dir) throws IOException, BundleRejected {
            Path manifestFile = dir.resolve("manifest.json");
            if (!Files.isRegularFile(manifestFile)) {
                throw new BundleRejected(BundleRejected.Reason.MISSING_FILE, "manifest.json", "not in the bundle");
            }
            BundleManifest m = ManifestJson.parseUnverified(Files.readAllBytes(manifestFile));
            PrintWriter out = spec.commandLine().getOut();
            out.println("bundle " + bundle + " (NOT verified)");
            out.printf("  format %d, site %s, bundle version %d, created %s%n", m.formatVersion(), m.site(),
                    m.bundleVersion(), m.createdAt());
            out.println("  feature schema " + m.featureSchemaHash());
            out.println("  signature: " + signature(dir.resolve("manifest.sig")));
            out.println("  features (" + m.features().size() + "):");
            for (FeatureSpec f : m.features()) {
                out.println("    " + safe(f.name()) + "  " + safe(f.transform()) + params(f.params()));
            }
            out.println("  models (" + m.models().size() + "):");
            for (ModelSpec s : m.models()) {
                out.printf("    %s  %s  %s  threshold %s  group %s  inputs %s%n", safe(s.name()), safe(s.kind()),
                        safe(s.file()), s.threshold(), safe(s.group()), safe(String.join(",", s.inputFeatures())));
            }
            if (!m.thresholds().isEmpty()) {
                out.println("  thresholds:" + params(m.thresholds()));
            }
            out.println("  files (" + m.files().size() + ", " + m.totalSize() + " bytes):");
            for (Map.Entry<String, FileEntry> e : m.files().entrySet()) {
                out.printf("    %s  %d  sha256 %s%n", safe(e.getKey()), e.getValue().size(),
                        e.getValue().sha256().substring(0, 16) + "...");
            }
            ObjectNode training = m.training();
            StringBuilder keys = new StringBuilder();
            for (Iterator<String> it = training.fieldNames(); it.hasNext(); ) {
                keys.append(keys.length() == 0 ? "" : ", ").append(it.next());
            }
            out.println("  training: " + (keys.length() == 0 ? "(empty)" : safe(keys.toString())));
            out.flush();
        }

        private static String signature(Path sig) {
            if (!Files.isRegularFile(sig)) {
                return "none (unsigned)";
            }
            try {
                ManifestSignature s = ManifestJson.parseSignature(Files.readAllBytes(sig));
                return safe(s.algorithm()) + ", key " + s.keyId() + " (not checked)";
            } catch (IOException | BundleRejected e) {
                return "present but malformed";
            }
        }

        private static String params(Map<String, Double> params) {
            StringBuilder sb = new StringBuilder();
            params.forEach((k, v) -> sb.append(' ').append(safe(k)).append('=').append(v));
            return sb.toString();
        }

        private static String safe(String s) {
            return ExitCodes.oneLine(s);
        }

        private static void deleteQuietly(Path dir) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // A private temporary directory left behind is not worth failing inspect for.
            }
        }
    }
}
