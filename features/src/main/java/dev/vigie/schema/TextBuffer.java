package dev.vigie.schema;

import java.util.Arrays;

/**
 * A reusable byte buffer for text columns: values are written as ASCII/UTF-8 bytes straight into it and copied
 * into the Arrow vector, so writing a row creates no String.
 */
public final class TextBuffer {
    private byte[] bytes = new byte[64];
    private int length;

    public void clear() {
        length = 0;
    }

    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }

    public TextBuffer append(char ascii) {
        ensure(1);
        bytes[length++] = (byte) ascii;
        return this;
    }

    public TextBuffer append(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
        return this;
    }

    /** Appends an ASCII string (callers pass constants and identifiers; no multi-byte characters). */
    public TextBuffer appendAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    public TextBuffer appendDecimal(int value) {
        if (value < 0) {
            append('-');
            value = -value;
        }
        if (value >= 10) {
            appendDecimal(value / 10);
        }
        return append((char) ('0' + value % 10));
    }

    /** Lower-case hex without leading zeros (IPv6 groups). */
    public TextBuffer appendHex(int value) {
        if (value >= 16) {
            appendHex(value >>> 4);
        }
        return append(Character.forDigit(value & 15, 16));
    }

    /** Two lower-case hex digits. */
    public TextBuffer appendHexByte(int value) {
        return append(Character.forDigit((value >>> 4) & 15, 16)).append(Character.forDigit(value & 15, 16));
    }

    public byte lastByte() {
        return length == 0 ? 0 : bytes[length - 1];
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }
}
