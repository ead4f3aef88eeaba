package dev.vigie.capture;

/**
 * A capture input that cannot be started at all (a live interface we may not or cannot open). Its message is one
 * line meant for the user as is, e.g. "cannot open interface eth9: no such interface".
 */
public final class CaptureException extends RuntimeException {
    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
