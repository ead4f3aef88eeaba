package dev.vigie.protocols;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;

/**
 * Lower-case hex digests of fingerprint strings. The string is hashed straight from the builder it was made in,
 * through scratch buffers: one String per fingerprint (the result), none for the text that is hashed.
 */
final class Digests {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] text = new byte[1024];
    private final byte[] digest = new byte[64];
    private final byte[] out = new byte[128];

    /** The first {@code chars} hex digits of {@code md} over the ASCII characters of {@code s}. */
    String hex(MessageDigest md, CharSequence s, int chars) {
        int n = s.length();
        if (n > text.length) {
            text = new byte[Math.max(n, text.length * 2)];    // bounded by the hello the text was made from
        }
        for (int i = 0; i < n; i++) {
            text[i] = (byte) s.charAt(i);                      // fingerprint texts are digits, hex, '-', ',', '_'
        }
        md.reset();
        md.update(text, 0, n);
        int len;
        try {
            len = md.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException(md.getAlgorithm() + " digest does not fit " + digest.length + " bytes", e);
        }
        int k = Math.min(chars, len * 2);
        for (int i = 0; i < k; i++) {
            int x = digest[i >>> 1] & 0xFF;
            out[i] = HEX[(i & 1) == 0 ? x >>> 4 : x & 15];
        }
        return new String(out, 0, k, StandardCharsets.ISO_8859_1);
    }
}
