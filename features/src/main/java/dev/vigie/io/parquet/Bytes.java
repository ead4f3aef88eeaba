package dev.vigie.io.parquet;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;

/** A growable little-endian byte buffer, reused from page to page so that steady-state writing allocates nothing. */
final class Bytes {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    byte[] buf;
    int size;

    Bytes(int capacity) {
        buf = new byte[capacity];
    }

    void reset() {
        size = 0;
    }

    /** Makes room for {@code n} more bytes. */
    void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    void putByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void putInt(int v) {
        ensure(4);
        INT.set(buf, size, v);
        size += 4;
    }

    void setInt(int at, int v) {
        INT.set(buf, at, v);
    }

    void setLong(int at, long v) {
        LONG.set(buf, at, v);
    }

    void putLong(long v) {
        ensure(8);
        LONG.set(buf, size, v);
        size += 8;
    }

    int getInt(int at) {
        return (int) INT.get(buf, at);
    }

    long getLong(int at) {
        return (long) LONG.get(buf, at);
    }

    void putVarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    void put(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    /** Appends {@code len} bytes of an Arrow buffer from {@code index}. */
    void put(ArrowBuf src, long index, int len) {
        ensure(len);
        src.getBytes(index, buf, size, len);
        size += len;
    }

    void writeTo(WritableByteChannel out) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, size);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
