package dev.vigie.bundle;

import java.util.Objects;

/**
 * A bundle refused by verification, with one {@link Reason} and a one-line message naming the offending file.
 * Checked on purpose: loading models is a security decision and callers must say what they do on refusal.
 */
public final class BundleRejected extends Exception {

    /**
     * Why a bundle was refused. Each reason has its own process exit code so that scripts and the sensor's
     * supervisor can tell "someone tampered with it" from "it is meant for another build" without parsing text.
     * The codes are part of the CLI contract (docs/bundle.md): never renumber, only append.
     */
    public enum Reason {
        NO_SIGNATURE(10, "no signature"),
        BAD_SIGNATURE(11, "bad signature"),
        UNTRUSTED_KEY(12, "key not trusted"),
        HASH_MISMATCH(13, "hash mismatch"),
        MISSING_FILE(14, "missing file"),
        EXTRA_FILE(15, "extra file"),
        PATH_ESCAPE(16, "path escapes the bundle"),
        SCHEMA_MISMATCH(17, "feature-schema mismatch"),
        ROLLBACK(18, "rollback"),
        UNKNOWN_FORMAT(19, "unknown format version"),
        MALFORMED_MANIFEST(20, "malformed manifest"),
        MALFORMED_ARCHIVE(21, "malformed archive"),
        UNREADABLE(22, "unreadable"),
        STATE_UNUSABLE(23, "rollback state unusable");

        private final int exitCode;
        private final String label;

        Reason(int exitCode, String label) {
            this.exitCode = exitCode;
            this.label = label;
        }

        /** The process exit code {@code vigie bundle verify} returns for this reason. */
        public int exitCode() {
            return exitCode;
        }

        /** Short human label, e.g. "hash mismatch". */
        public String label() {
            return label;
        }
    }

    private final Reason reason;
    private final String file;

    public BundleRejected(Reason reason, String file, String detail) {
        this(reason, file, detail, null);
    }

    public BundleRejected(Reason reason, String file, String detail, Throwable cause) {
        super(BundlePaths.oneLine(reason.label() + ": " + file + ": " + detail), cause);
        this.reason = Objects.requireNonNull(reason);
        this.file = Objects.requireNonNull(file);
    }

    public Reason reason() {
        return reason;
    }

    /** The bundle-relative file (or the bundle/state path) the refusal is about, as given; not sanitised. */
    public String file() {
        return file;
    }

    public int exitCode() {
        return reason.exitCode();
    }
}
