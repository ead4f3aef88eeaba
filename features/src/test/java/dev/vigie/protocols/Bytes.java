package dev.vigie.protocols;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Big-endian byte builder for crafted protocol messages, with back-patched length fields. */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes u8(int v) {
        out.write(v);
        return this;
    }

    Bytes u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    Bytes u24(int v) {
        return u8(v >>> 16).u16(v);
    }

    Bytes u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    Bytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    Bytes ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    Bytes zeros(int n) {
        return bytes(new byte[n]);
    }

    /** A block prefixed by its length in {@code lengthBytes} bytes. */
    Bytes block(int lengthBytes, Bytes body) {
        byte[] b = body.array();
        switch (lengthBytes) {
            case 1 -> u8(b.length);
            case 2 -> u16(b.length);
            case 3 -> u24(b.length);
            case 4 -> u32(b.length);
            default -> throw new IllegalArgumentException();
        }
        return bytes(b);
    }

    int size() {
        return out.size();
    }

    byte[] array() {
        return out.toByteArray();
    }

    static byte[] hex(String s) {
        s = s.replaceAll("\\s", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
