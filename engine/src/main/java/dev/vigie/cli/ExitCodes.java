package dev.vigie.cli;

import dev.vigie.bundle.BundleRejected;
import dev.vigie.bundle.KeyFileException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * Exit codes of the key and bundle commands besides the bundle refusal codes (10-23, {@link BundleRejected.Reason}).
 * Taken from sysexits.h so that they stay clear of those and of picocli's 1 and 2.
 */
final class ExitCodes {
    static final int USAGE = 64;        // EX_USAGE: an option value is invalid
    static final int DATA = 65;         // EX_DATAERR: a key file is not what it should be
    static final int NO_INPUT = 66;     // EX_NOINPUT: a file or directory does not exist
    static final int CANT_CREATE = 73;  // EX_CANTCREAT: an output exists already or cannot be created
    static final int IO = 74;           // EX_IOERR
    static final int NO_PERM = 77;      // EX_NOPERM: a private key others can read
    static final int SITE_MISMATCH = 24; // vigie sense: the bundle was trained for another site than --site-config's

    private ExitCodes() {
    }

    static UserError refused(String verb, BundleRejected e) {
        return new UserError(e.exitCode(), verb + ": " + e.getMessage(), e);
    }

    /** One line for an I/O failure, with the code that says what kind it was. */
    static UserError io(IOException e) {
        if (e instanceof KeyFileException k) {
            return new UserError(k.problem() == KeyFileException.Problem.TOO_OPEN ? NO_PERM : DATA,
                    oneLine(k.getMessage()), e);
        }
        if (e instanceof NoSuchFileException n) {
            String why = n.getReason() == null ? "no such file or directory" : n.getReason();
            return new UserError(NO_INPUT, oneLine(n.getFile() + ": " + why), e);
        }
        if (e instanceof FileAlreadyExistsException f) {
            return new UserError(CANT_CREATE, oneLine(f.getFile() + ": already exists, not overwritten"), e);
        }
        return new UserError(IO, oneLine(String.valueOf(e.getMessage())), e);
    }

    /** Bundle contents are untrusted until verified: no control characters (terminal escapes, fake lines) reach the user. */
    static String oneLine(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
