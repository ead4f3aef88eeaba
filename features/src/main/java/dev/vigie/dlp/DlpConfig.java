package dev.vigie.dlp;

import java.security.SecureRandom;

/**
 * How much of each flow the content scanner reads and the site secret its keyed hashes use.
 *
 * @param maxBytesPerDirection payload bytes scanned per flow direction (first N bytes of the stream)
 * @param secret HMAC-SHA256 key, at least 16 bytes; a per-run random one makes hashes correlate within one run only
 * @param maxHashesPerFlow distinct keyed hashes kept per flow (the {@code dlp_hashes} column)
 */
public record DlpConfig(int maxBytesPerDirection, byte[] secret, int maxHashesPerFlow) {
    public static final int DEFAULT_BYTES_PER_DIRECTION = 64 * 1024;
    public static final int DEFAULT_HASHES_PER_FLOW = 8;

    public DlpConfig {
        if (maxBytesPerDirection < 0) {
            throw new IllegalArgumentException("dlp: bytes per direction must be >= 0, got " + maxBytesPerDirection);
        }
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("dlp: the site secret must be at least 16 bytes");
        }
        if (maxHashesPerFlow < 0 || maxHashesPerFlow > 64) {
            throw new IllegalArgumentException("dlp: hashes per flow must be 0..64, got " + maxHashesPerFlow);
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /**
     * Default bounds with the secret of the file named by {@code VIGIE_SITE_SECRET} ({@link SiteSecret}), else a
     * fresh per-run secret. A set but unreadable file is an error (naming the file), never a silent fallback.
     */
    public static DlpConfig standard() {
        String file = System.getenv(SiteSecret.ENV);
        if (file == null || file.isBlank()) {
            return perRun();
        }
        try {
            return new DlpConfig(DEFAULT_BYTES_PER_DIRECTION, SiteSecret.read(java.nio.file.Path.of(file)),
                    DEFAULT_HASHES_PER_FLOW);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(SiteSecret.ENV + ": " + e.getMessage(), e);
        }
    }

    /** Default bounds with a fresh random 32-byte secret (hashes do not correlate across runs). */
    public static DlpConfig perRun() {
        byte[] s = new byte[32];
        new SecureRandom().nextBytes(s);
        return new DlpConfig(DEFAULT_BYTES_PER_DIRECTION, s, DEFAULT_HASHES_PER_FLOW);
    }
}
