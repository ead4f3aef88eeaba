package dev.vigie.protocols;

import java.nio.charset.StandardCharsets;

/**
 * Turns wire bytes into column text. Wire data is attacker-controlled: anything that is not printable, valid UTF-8
 * is written as {@code \xNN} (Zeek's convention), so a value never smuggles control characters into a log or a
 * terminal, and every value is cut at a cap.
 */
final class Text {
    /** Cap of a single value, in chars. */
    static final int MAX_VALUE = 256;
    /** Cap of a comma-separated list column: items and chars. */
    static final int MAX_ITEMS = 16;
    static final int MAX_LIST = 1024;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Text() {}

    /** {@code b[off, off+len)} as escaped text of at most {@link #MAX_VALUE} chars. */
    static String value(StringBuilder sb, byte[] b, int off, int len) {
        if (plain(b, off, len, false)) {
            return new String(b, off, Math.min(len, MAX_VALUE), StandardCharsets.ISO_8859_1);
        }
        sb.setLength(0);
        append(sb, b, off, len, MAX_VALUE, false);
        return sb.toString();
    }

    /** As {@link #value} but a comma is escaped too, for an item of a comma-separated list. */
    static String item(StringBuilder sb, byte[] b, int off, int len) {
        if (plain(b, off, len, true)) {
            return new String(b, off, Math.min(len, MAX_VALUE), StandardCharsets.ISO_8859_1);
        }
        sb.setLength(0);
        append(sb, b, off, len, MAX_VALUE, true);
        return sb.toString();
    }

    /** Printable ASCII only (the usual case): the bytes are the text, one copy makes the string. */
    private static boolean plain(byte[] b, int off, int len, boolean escapeComma) {
        int end = off + Math.min(len, MAX_VALUE);
        for (int i = off; i < end; i++) {
            int c = b[i];
            if (c < 0x20 || c == 0x7F || escapeComma && c == ',') {
                return false;                            // negative: a byte >= 0x80
            }
        }
        return true;
    }

    /**
     * Appends the escaped text of {@code b[off, off+len)} until {@code sb} holds {@code max} chars.
     *
     * @return false when the input was cut
     */
    static boolean append(StringBuilder sb, byte[] b, int off, int len, int max, boolean escapeComma) {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (sb.length() >= max) {
                return false;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                if (c < 0x20 || c == 0x7F || (escapeComma && c == ',')) {
                    escape(sb, c);
                } else {
                    sb.append((char) c);
                }
                i++;
                continue;
            }
            int n = utf8Length(b, i, end);
            if (n == 0) {
                escape(sb, c);
                i++;
            } else {
                sb.appendCodePoint(decode(b, i, n));
                i += n;
            }
        }
        return true;
    }

    private static void escape(StringBuilder sb, int c) {
        sb.append('\\').append('x').append(HEX[c >>> 4]).append(HEX[c & 15]);
    }

    /** Length of the well-formed UTF-8 sequence at {@code i} (RFC 3629: no overlongs, no surrogates), or 0. */
    static int utf8Length(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return 0;
        }
        if (i + n > end) {
            return 0;
        }
        int second = b[i + 1] & 0xFF;
        if (second < lo || second > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int x = b[i + k] & 0xFF;
            if (x < 0x80 || x > 0xBF) {
                return 0;
            }
        }
        return n;
    }

    private static int decode(byte[] b, int i, int n) {
        int cp = (b[i] & 0xFF) & (0xFF >>> (n + 1));
        for (int k = 1; k < n; k++) {
            cp = (cp << 6) | (b[i + k] & 0x3F);
        }
        return cp;
    }

    /** ASCII case-insensitive: does {@code b[off, end)} start with {@code prefix} (given in lower case)? */
    static boolean startsWithIgnoreCase(byte[] b, int off, int end, String prefix) {
        if (end - off < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            int c = b[off + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static boolean startsWith(byte[] b, int off, int end, String prefix) {
        if (end - off < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (b[off + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first {@code c} in {@code b[from, to)}, or -1. */
    static int indexOf(byte[] b, int from, int to, int c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    static boolean isSpace(int c) {
        return c == ' ' || c == '\t';
    }

    /** {@code b[off, end)} without leading and trailing spaces/tabs: returns the new start; see {@link #trimEnd}. */
    static int trimStart(byte[] b, int off, int end) {
        while (off < end && isSpace(b[off])) {
            off++;
        }
        return off;
    }

    static int trimEnd(byte[] b, int off, int end) {
        while (end > off && (isSpace(b[end - 1]) || b[end - 1] == '\r' || b[end - 1] == 0)) {
            end--;
        }
        return end;
    }

    /** Decimal digits in {@code b[off, end)} as a long; -1 when empty, not all digits, or over 18 digits. */
    static long parseDecimal(byte[] b, int off, int end) {
        if (off >= end || end - off > 18) {
            return -1;
        }
        long v = 0;
        for (int i = off; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    static void hex4(StringBuilder sb, int v) {
        sb.append(HEX[(v >>> 12) & 15]).append(HEX[(v >>> 8) & 15]).append(HEX[(v >>> 4) & 15]).append(HEX[v & 15]);
    }

    static void hex(StringBuilder sb, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            sb.append(HEX[(b[i] >>> 4) & 15]).append(HEX[b[i] & 15]);
        }
    }
}
