package dev.vigie.capture;

/**
 * Why a capture input stopped early (or could not be opened): the input's name, the byte offset in it where the
 * fault was found, and a reason in words. {@link #toString()} is the one-line message shown to users.
 */
public record CaptureFault(String input, long offset, CaptureError error, String detail) {
    @Override
    public String toString() {
        return input + ": at offset " + offset + ": " + error.description() + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
