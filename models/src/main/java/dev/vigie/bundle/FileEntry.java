package dev.vigie.bundle;

import java.util.regex.Pattern;

/** A file of the bundle as the manifest pins it: lower-case hex SHA-256 of its bytes and its size in bytes. */
public record FileEntry(String sha256, long size) {
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public FileEntry {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
        if (size < 0 || size > CanonicalJson.MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("size out of range: " + size);
        }
    }
}
