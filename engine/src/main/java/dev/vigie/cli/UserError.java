package dev.vigie.cli;

/**
 * A failure explained to the user in one line, with the process exit code to use. Commands throw it for bad input
 * (missing files, invalid options, refused bundles); {@link UserErrorHandler} prints the message only.
 */
public final class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserError(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
