package dev.vigie.protocols;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Lower-case hex digests of fingerprint strings. */
final class Digests {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Digests() {}

    /** The first {@code chars} hex digits of {@code md} over the ASCII bytes of {@code s}. */
    static String hex(MessageDigest md, String s, int chars) {
        md.reset();
        byte[] d = md.digest(s.getBytes(StandardCharsets.ISO_8859_1));
        char[] out = new char[Math.min(chars, d.length * 2)];
        for (int i = 0; i < out.length; i++) {
            int x = d[i >>> 1] & 0xFF;
            out[i] = HEX[(i & 1) == 0 ? x >>> 4 : x & 15];
        }
        return new String(out);
    }
}
