package dev.vigie.dlp;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * The site secret that keys the DLP hashes: 32 random bytes in a file only its owner can read. With the same
 * secret every sensor and every run of a site hashes an identifier to the same value; without it the hashes
 * correlate within one run only. Whoever holds the secret can test guesses against a hash, so it stays on the
 * sensors (mode 600) and never goes into a bundle, an alert or a log.
 */
public final class SiteSecret {
    private SiteSecret() {}

    public static final int LENGTH = 32;
    /** Environment variable naming the secret file that the standard pipeline uses. */
    public static final String ENV = "VIGIE_SITE_SECRET";
    /** System property naming it, before the environment variable (set by {@code vigie demo} for its own run). */
    public static final String PROPERTY = "vigie.site.secret";

    /** Where {@link #configured()} came from, for messages: the property or the variable. */
    public static String configuredBy() {
        String file = System.getProperty(PROPERTY);
        return file == null || file.isBlank() ? ENV : "-D" + PROPERTY;
    }

    /** The secret file this process is configured with (property, else environment), or null. */
    public static Path configured() {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) {
            file = System.getenv(ENV);
        }
        return file == null || file.isBlank() ? null : Path.of(file);
    }

    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** Writes a new secret to {@code file} (mode 600 from creation, temp + rename); refuses to replace one. */
    public static void generate(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            throw new IOException(dir + ": file system cannot restrict permissions; refusing to write a secret");
        }
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file + ": a site secret exists already (replacing it breaks correlation)");
        }
        byte[] s = new byte[LENGTH];
        new SecureRandom().nextBytes(s);
        Path tmp = Files.createTempFile(dir, ".site-secret", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, s);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            java.util.Arrays.fill(s, (byte) 0);
        }
    }

    /** Reads a secret file: exactly 32 bytes, readable by its owner only. Every error names the file. */
    public static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no site secret file (create one with vigie site init)");
        }
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(GROUP_OR_OTHER::contains)) {
                throw new IOException(file + ": site secret permissions " + PosixFilePermissions.toString(perms)
                        + " let others read it; chmod 600 it");
            }
        }
        byte[] s = Files.readAllBytes(file);
        if (s.length != LENGTH) {
            throw new IOException(file + ": a site secret is " + LENGTH + " bytes, this file has " + s.length);
        }
        return s;
    }
}
