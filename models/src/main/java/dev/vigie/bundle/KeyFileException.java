package dev.vigie.bundle;

import java.io.IOException;

/** A key file that exists but cannot be used: not the expected PEM/key type, or a private key others can read. */
public final class KeyFileException extends IOException {
    public enum Problem { MALFORMED, TOO_OPEN }

    private final Problem problem;

    public KeyFileException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public KeyFileException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
