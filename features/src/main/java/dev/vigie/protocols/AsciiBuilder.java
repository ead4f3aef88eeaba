package dev.vigie.protocols;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A reusable ASCII line for fingerprint strings (JA3, JA4's hashed lists), written as bytes and digested from
 * them. Building these through a StringBuilder cost a char append per digit, then a String and its byte copy
 * before hashing: ~5 % of the sensor's samples on TLS-heavy traffic. Sized for the largest ClientHello lists
 * {@link ClientHello} keeps (256 ciphers, 128 extensions, groups and signature algorithms, 32 point formats, at
 * most six bytes per value): 3,210 bytes, so it never grows.
 */
final class AsciiBuilder {
    static final int CAPACITY = 4096;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] bytes = new byte[CAPACITY];
    private final byte[] digest = new byte[64];
    private int length;

    AsciiBuilder clear() {
        length = 0;
        return this;
    }

    int length() {
        return length;
    }

    AsciiBuilder append(char c) {
        bytes[length++] = (byte) c;
        return this;
    }

    /** A non-negative decimal number, without leading zeros (JA3's values: 0..65535). */
    AsciiBuilder decimal(int v) {
        int digits = 1;
        for (int rest = v; rest >= 10; rest /= 10) {
            digits++;
        }
        length += digits;
        int at = length;
        do {
            bytes[--at] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        return this;
    }

    /** Four lower-case hex digits of the low 16 bits (JA4's list entries). */
    AsciiBuilder hex4(int v) {
        bytes[length] = HEX[(v >>> 12) & 15];
        bytes[length + 1] = HEX[(v >>> 8) & 15];
        bytes[length + 2] = HEX[(v >>> 4) & 15];
        bytes[length + 3] = HEX[v & 15];
        length += 4;
        return this;
    }

    /** The first {@code chars} lower-case hex digits of {@code md} over the bytes written. */
    String digestHex(MessageDigest md, int chars) {
        md.reset();
        md.update(bytes, 0, length);
        byte[] d = md.digest();
        int n = Math.min(chars, d.length * 2);
        for (int i = 0; i < n; i++) {
            int x = d[i >>> 1] & 0xFF;
            digest[i] = HEX[(i & 1) == 0 ? x >>> 4 : x & 15];
        }
        return new String(digest, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
