package dev.vigie.io.parquet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few parts of Thrift's compact protocol that Parquet's page headers and footer need, written into a reusable
 * byte array: structs (nested, with field-id deltas), i32/i64 as zigzag varints, booleans in the field header,
 * binary and string, and lists. Parquet's metadata is defined in {@code parquet.thrift}; field ids in the callers
 * follow it.
 */
final class ThriftCompact {
    static final int BOOL_TRUE = 1;
    static final int BOOL_FALSE = 2;
    static final int I16 = 4;
    static final int I32 = 5;
    static final int I64 = 6;
    static final int BINARY = 8;
    static final int LIST = 9;
    static final int STRUCT = 12;

    private byte[] buf = new byte[256];
    private int pos;
    /** Last field id written in each open struct; index 0 is the outermost. */
    private final short[] lastField = new short[16];
    private int depth;

    void reset() {
        pos = 0;
        depth = 0;
        lastField[0] = 0;
    }

    byte[] array() {
        return buf;
    }

    int length() {
        return pos;
    }

    void fieldI32(int id, int value) {
        fieldHeader(id, I32);
        varint(zigzag(value));
    }

    void fieldI64(int id, long value) {
        fieldHeader(id, I64);
        varint(zigzag(value));
    }

    void fieldI16(int id, int value) {
        fieldHeader(id, I16);
        varint(zigzag(value));
    }

    void fieldBool(int id, boolean value) {
        fieldHeader(id, value ? BOOL_TRUE : BOOL_FALSE);
    }

    void fieldBinary(int id, byte[] value) {
        fieldHeader(id, BINARY);
        varint(value.length);
        put(value, 0, value.length);
    }

    void fieldString(int id, String value) {
        fieldBinary(id, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Opens a struct-valued field; close it with {@link #endStruct}. */
    void beginStruct(int id) {
        fieldHeader(id, STRUCT);
        push();
    }

    /** Opens a struct that is an element of a list. */
    void beginElement() {
        push();
    }

    void endStruct() {
        put((byte) 0);
        depth--;
    }

    /** Opens a list-valued field of {@code size} elements of {@code elementType}. */
    void beginList(int id, int elementType, int size) {
        fieldHeader(id, LIST);
        if (size < 15) {
            put((byte) (size << 4 | elementType));
        } else {
            put((byte) (0xF0 | elementType));
            varint(size);
        }
    }

    void elementI32(int value) {
        varint(zigzag(value));
    }

    void elementString(String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        varint(b.length);
        put(b, 0, b.length);
    }

    /** Ends the outermost struct (the message). */
    void end() {
        put((byte) 0);
    }

    private void push() {
        lastField[++depth] = 0;
    }

    private void fieldHeader(int id, int type) {
        int delta = id - lastField[depth];
        if (delta > 0 && delta <= 15) {
            put((byte) (delta << 4 | type));
        } else {
            put((byte) type);
            varint(zigzag(id));
        }
        lastField[depth] = (short) id;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void put(byte b) {
        ensure(1);
        buf[pos++] = b;
    }

    private void put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }
}
