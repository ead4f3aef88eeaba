package dev.vigie.schema;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Cell writes for the batch builder, which fills every column of a batch row after row, in order. Arrow's
 * {@code setSafe} checks the capacity, then every buffer access checks bounds and reads the buffer's reference
 * count, and a variable-width vector fills the offsets of the null rows before each value: with a hundred columns
 * that was a third of the cost of a flow record. Here, when the row is inside the capacity already allocated (and,
 * for strings, directly follows the last row written), the cell is written with unchecked stores inside the bounds
 * just checked once; otherwise Arrow's own {@code setSafe}/{@code setNull} runs (growing the buffers), so the result
 * is the same either way.
 */
public final class VectorWrites {
    private VectorWrites() {}

    private static void validity(ArrowBuf validity, int row, boolean set) {
        long a = validity.memoryAddress() + (row >>> 3);
        byte b = MemoryUtil.getByte(a);
        int mask = 1 << (row & 7);
        MemoryUtil.putByte(a, (byte) (set ? b | mask : b & ~mask));
    }

    private static boolean fits(BaseFixedWidthVector v, int row, int width) {
        return row >= 0 && (long) (row + 1) * width <= v.getDataBuffer().capacity()
                && (row >>> 3) < v.getValidityBuffer().capacity();
    }

    /** A 4-byte cell, unchecked; false when the row is past the capacity (the caller's setSafe grows it). */
    private static boolean put4(BaseFixedWidthVector v, int row, int bits) {
        if (!fits(v, row, 4)) return false;
        MemoryUtil.putInt(v.getDataBuffer().memoryAddress() + (long) row * 4, bits);
        validity(v.getValidityBuffer(), row, true);
        return true;
    }

    /** An 8-byte cell, as {@link #put4}. */
    private static boolean put8(BaseFixedWidthVector v, int row, long bits) {
        if (!fits(v, row, 8)) return false;
        MemoryUtil.putLong(v.getDataBuffer().memoryAddress() + (long) row * 8, bits);
        validity(v.getValidityBuffer(), row, true);
        return true;
    }

    public static void int32(IntVector v, int row, int x) {
        if (!put4(v, row, x)) v.setSafe(row, x);
    }

    public static void int64(BigIntVector v, int row, long x) {
        if (!put8(v, row, x)) v.setSafe(row, x);
    }

    public static void timestampMicros(TimeStampMicroTZVector v, int row, long micros) {
        if (!put8(v, row, micros)) v.setSafe(row, micros);
    }

    public static void float64(Float8Vector v, int row, double x) {
        if (!put8(v, row, Double.doubleToRawLongBits(x))) v.setSafe(row, x);
    }

    public static void bool(BitVector v, int row, boolean x) {
        if (row >= 0 && (row >>> 3) < v.getDataBuffer().capacity() && (row >>> 3) < v.getValidityBuffer().capacity()) {
            validity(v.getDataBuffer(), row, x);
            validity(v.getValidityBuffer(), row, true);
        } else {
            v.setSafe(row, x ? 1 : 0);
        }
    }

    /** A null cell of a fixed-width vector (int, long, float, timestamp, bool). */
    public static void nullFixed(BaseFixedWidthVector v, int row) {
        if (row >= 0 && (row >>> 3) < v.getValidityBuffer().capacity()) {
            validity(v.getValidityBuffer(), row, false);
        } else {
            v.setNull(row);
        }
    }

    /**
     * Makes rows {@code (lastSet, row)} empty (their end offset is their start offset: what Arrow's hole filling
     * does, unchecked) so that {@code row} directly follows the last row written; false when Arrow must do it (the
     * row is outside the offsets already allocated, or rewrites an earlier row).
     */
    private static boolean inOrder(VarCharVector v, int row) {
        int last = v.getLastSet();
        if (row < 0 || last >= row || (long) (row + 2) * 4 > v.getOffsetBuffer().capacity()
                || (row >>> 3) >= v.getValidityBuffer().capacity()) {
            return false;
        }
        if (last < row - 1) {                            // rows left unwritten (a group of absent columns)
            long oa = v.getOffsetBuffer().memoryAddress();
            int end = MemoryUtil.getInt(oa + (long) (last + 1) * 4);
            for (long k = last + 2; k <= row; k++) {
                MemoryUtil.putInt(oa + k * 4, end);
            }
        }
        return true;
    }

    /** Ends an in-order row at data offset {@code end} ({@code oa}: the offset buffer's address), present or null. */
    private static void endRow(VarCharVector v, long oa, int row, int end, boolean present) {
        MemoryUtil.putInt(oa + (long) (row + 1) * 4, end);
        validity(v.getValidityBuffer(), row, present);
        v.setLastSet(row);
    }

    /** A UTF-8 value {@code b[off, off + len)}. */
    public static void utf8(VarCharVector v, int row, byte[] b, int off, int len) {
        if (inOrder(v, row)) {
            long oa = v.getOffsetBuffer().memoryAddress();
            int start = MemoryUtil.getInt(oa + (long) row * 4);
            ArrowBuf data = v.getDataBuffer();
            if ((long) start + len <= data.capacity()) {
                MemoryUtil.copyToMemory(b, off, data.memoryAddress() + start, len);
                endRow(v, oa, row, start + len, true);
                return;
            }
            v.setLastSet(row - 1);                       // the offsets up to row are right: Arrow grows the data
        }
        v.setSafe(row, b, off, len);
    }

    /**
     * A string value. Most strings of a flow row are ASCII (addresses, protocol labels, host names, fingerprints):
     * those are copied char by char into the data buffer, without the UTF-8 byte array {@code getBytes} makes per
     * cell (a tenth of what the sensor allocated); any other string, or one that does not fit the buffer, is
     * encoded and written as bytes.
     */
    public static void utf8(VarCharVector v, int row, String x) {
        int len = x.length();
        if (inOrder(v, row)) {
            long oa = v.getOffsetBuffer().memoryAddress();
            int start = MemoryUtil.getInt(oa + (long) row * 4);
            ArrowBuf data = v.getDataBuffer();
            if ((long) start + len <= data.capacity()) {
                long a = data.memoryAddress() + start;
                int i = 0;
                while (i < len) {
                    char c = x.charAt(i);
                    if (c >= 0x80) {
                        break;
                    }
                    MemoryUtil.putByte(a + i, (byte) c);
                    i++;
                }
                if (i == len) {
                    endRow(v, oa, row, start + len, true);
                    return;
                }
            }
        }
        byte[] b = x.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        utf8(v, row, b, 0, b.length);
    }

    /**
     * Readies a handed-out batch's vectors for the next batch. A consumer that took the buffers (the sensor's file
     * writer moves them to its thread) left fresh, zeroed ones, which need no second memset; the others are reset.
     */
    public static void resetAfterBatch(FieldVector[] vectors) {
        for (FieldVector v : vectors) {
            if (v.getValueCount() != 0) {
                v.reset();
            }
        }
    }

    /**
     * A null string. Written in order, the row's end offset is its start offset: setting it here spares Arrow's
     * hole filling later (three bounds-checked accesses per row, each reading the reference count).
     */
    public static void nullUtf8(VarCharVector v, int row) {
        if (inOrder(v, row)) {
            long oa = v.getOffsetBuffer().memoryAddress();
            endRow(v, oa, row, MemoryUtil.getInt(oa + (long) row * 4), false);
        } else {
            v.setNull(row);
        }
    }
}
