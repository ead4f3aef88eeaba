package dev.vigie.io.parquet;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;

/**
 * One column of the open row group: its current page (definition levels and PLAIN values of the present rows) and
 * the pages already compressed, with their headers, waiting for the row group to be written. Pages close at
 * {@link #PAGE_BYTES} of values, so memory per column is bounded whatever the batch size; a subclass per physical
 * type copies values out of the Arrow vector and keeps the chunk's min and max.
 */
abstract class ColumnChunk {
    /** Values per page before it is compressed; also bounds a column's uncompressed buffer. */
    static final int PAGE_BYTES = 128 * 1024;

    static final int BOOLEAN = 0;
    static final int INT32 = 1;
    static final int INT64 = 2;
    static final int DOUBLE = 5;
    static final int BYTE_ARRAY = 6;

    private static final int DATA_PAGE = 0;
    static final int PLAIN = 0;
    static final int RLE = 3;

    final int physicalType;
    private final Bits defined = new Bits();
    final Bytes values = new Bytes(4 * 1024);
    private final Bytes pages = new Bytes(4 * 1024);
    private long pagesUncompressed;
    private long chunkRows;
    private long chunkNulls;

    ColumnChunk(int physicalType) {
        this.physicalType = physicalType;
    }

    /** Appends the first {@code n} rows of {@code v}. */
    final void append(FieldVector v, int n, PageSink sink) {
        int nulls = v.getNullCount();
        if (nulls == 0) {
            defined.appendOnes(n);
            appendValues(v, null, n, sink);
        } else if (nulls < n) {
            ArrowBuf validity = v.getValidityBuffer();
            defined.append(validity, n);
            appendValues(v, validity, n, sink);
        } else {
            defined.appendZeros(n);
        }
        chunkRows += n;
        chunkNulls += nulls;
        if (valueBytes() >= PAGE_BYTES) {
            closePage(sink);
        }
    }

    /** Appends the values of the first {@code n} rows, only those whose validity bit is set unless it is null. */
    abstract void appendValues(FieldVector v, ArrowBuf validity, int n, PageSink sink);

    /** Bytes of the current page's values (booleans keep theirs as bits). */
    int valueBytes() {
        return values.size;
    }

    /** Writes the current page's values, PLAIN, after its definition levels. */
    void writeValues(Bytes out) {
        out.put(values.buf, 0, values.size);
    }

    void resetValues() {
        values.reset();
    }

    /** The chunk's minimum and maximum as PLAIN bytes, or null when there are none. */
    abstract byte[] min();

    abstract byte[] max();

    abstract void resetStatistics();

    /** Compresses the current page, if it has rows, and keeps it with its header. */
    final void closePage(PageSink sink) {
        int rows = defined.count();
        if (rows == 0) {
            return;
        }
        Bytes body = sink.body();
        body.reset();
        body.putInt(0);
        defined.writeHybrid(body);
        body.setInt(0, body.size - 4);
        writeValues(body);
        int uncompressed = body.size;
        Bytes compressed = sink.compress(body);

        ThriftCompact h = sink.header();
        h.reset();
        h.fieldI32(1, DATA_PAGE);
        h.fieldI32(2, uncompressed);
        h.fieldI32(3, compressed.size);
        h.beginStruct(5);
        h.fieldI32(1, rows);
        h.fieldI32(2, PLAIN);
        h.fieldI32(3, RLE);
        h.fieldI32(4, RLE);
        h.endStruct();
        h.end();
        pages.put(h.array(), 0, h.length());
        pages.put(compressed.buf, 0, compressed.size);
        pagesUncompressed += h.length() + uncompressed;
        defined.reset();
        resetValues();
    }

    /** Closes the last page, writes every page of the chunk at {@code offset}, and describes it; then starts over. */
    final ChunkMeta writeChunk(WritableByteChannel out, long offset, PageSink sink) throws IOException {
        closePage(sink);
        pages.writeTo(out);
        boolean present = chunkNulls < chunkRows; // min and max exist only over present values
        ChunkMeta meta = new ChunkMeta(offset, chunkRows, chunkNulls, pagesUncompressed, pages.size,
                present ? min() : null, present ? max() : null);
        pages.reset();
        pagesUncompressed = 0;
        chunkRows = 0;
        chunkNulls = 0;
        resetStatistics();
        return meta;
    }

    /** What the footer says of one column chunk. */
    record ChunkMeta(long offset, long rows, long nulls, long uncompressed, long compressed, byte[] min, byte[] max) {}

    /** Scratch shared by the columns of a file: the page being assembled, its compressed form, its header. */
    interface PageSink {
        /** A heap copy of a batch's Arrow buffer, for the columns that pick values out of it. */
        Bytes scratch();

        Bytes body();

        Bytes compress(Bytes body);

        ThriftCompact header();
    }

    static byte[] le(long v, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /**
     * Fixed-width values, whose PLAIN form is Arrow's own little-endian buffer: the batch's buffer is copied in one
     * piece, then, when the batch has nulls, the present values are moved down over the absent ones in place.
     */
    abstract static class FixedWidth extends ColumnChunk {
        final int width;

        FixedWidth(int physicalType, int width) {
            super(physicalType);
            this.width = width;
        }

        @Override
        final void appendValues(FieldVector v, ArrowBuf validity, int n, PageSink sink) {
            int start = values.size;
            values.put(v.getDataBuffer(), 0, n * width);
            if (validity != null) {
                // a word or an int at a time: System.arraycopy of 4 or 8 bytes is a stub call each
                int to = start;
                for (int w = 0; w * 64 < n; w++) {
                    for (long word = Bits.word(validity, w, n); word != 0; word &= word - 1) {
                        int from = start + (w * 64 + Long.numberOfTrailingZeros(word)) * width;
                        if (width == 8) {
                            values.setLong(to, values.getLong(from));
                        } else {
                            values.setInt(to, values.getInt(from));
                        }
                        to += width;
                    }
                }
                values.size = to;
            }
            see(start);
        }

        /** Takes the values from byte {@code from} of the page to its end into the chunk's min and max. */
        abstract void see(int from);
    }

    /** INT32 (Arrow int32) or INT64 (Arrow int64 and timestamps): signed, compared as longs. */
    static final class Int extends FixedWidth {
        private long min = Long.MAX_VALUE;
        private long max = Long.MIN_VALUE;

        Int(int width) {
            super(width == 4 ? INT32 : INT64, width);
        }

        @Override
        void see(int from) {
            long lo = min;
            long hi = max;
            for (int at = from; at < values.size; at += width) {
                long x = width == 4 ? values.getInt(at) : values.getLong(at);
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            min = lo;
            max = hi;
        }

        @Override
        byte[] min() {
            return le(min, width);
        }

        @Override
        byte[] max() {
            return le(max, width);
        }

        @Override
        void resetStatistics() {
            min = Long.MAX_VALUE;
            max = Long.MIN_VALUE;
        }
    }

    /**
     * DOUBLE (Arrow float64). A chunk holding a NaN gets no min and max: the format leaves NaN out of them, but
     * readers disagree on where NaN sorts (DuckDB puts it above every number), and one that pruned a row group on
     * {@code x > t} by its max would silently drop the NaN rows it counts as greater.
     */
    static final class Float64 extends FixedWidth {
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private boolean nan;

        Float64() {
            super(DOUBLE, 8);
        }

        @Override
        void see(int from) {
            double lo = min;
            double hi = max;
            boolean sawNan = nan;
            for (int at = from; at < values.size; at += 8) {
                double x = Double.longBitsToDouble(values.getLong(at));
                if (x < lo) {
                    lo = x;
                }
                if (x > hi) {
                    hi = x;
                }
                sawNan |= x != x;
            }
            min = lo;
            max = hi;
            nan = sawNan;
        }

        @Override
        byte[] min() {
            // the format's rule for signed zeros: a zero minimum is written -0.0 and a zero maximum +0.0, so that a
            // reader pruning with them never skips a row holding the other zero
            return nan ? null : le(Double.doubleToLongBits(min == 0.0 ? -0.0 : min), 8);
        }

        @Override
        byte[] max() {
            return nan ? null : le(Double.doubleToLongBits(max == 0.0 ? 0.0 : max), 8);
        }

        @Override
        void resetStatistics() {
            min = Double.POSITIVE_INFINITY;
            max = Double.NEGATIVE_INFINITY;
            nan = false;
        }
    }

    /** BOOLEAN (Arrow bool): PLAIN booleans are bit-packed, so the values are kept as bits. */
    static final class Bool extends ColumnChunk {
        private final Bits bits = new Bits();
        private boolean seenTrue;
        private boolean seenFalse;

        Bool() {
            super(BOOLEAN);
        }

        @Override
        void appendValues(FieldVector v, ArrowBuf validity, int n, PageSink sink) {
            ArrowBuf data = v.getDataBuffer();
            for (int w = 0; w * 64 < n; w++) {
                long word = Bits.word(data, w, n);
                int k = Math.min(64, n - w * 64);
                if (validity == null) {
                    bits.append(word, k);
                    seenTrue |= word != 0;
                    seenFalse |= word != Bits.lowBits(k);
                } else {
                    long present = Bits.word(validity, w, n);
                    // the present rows' bits, gathered to the low end in order
                    long packed = 0;
                    int m = 0;
                    for (long p = present; p != 0; p &= p - 1) {
                        packed |= (word >>> Long.numberOfTrailingZeros(p) & 1L) << m++;
                    }
                    if (m > 0) {
                        bits.append(packed, m);
                        seenTrue |= packed != 0;
                        seenFalse |= packed != Bits.lowBits(m);
                    }
                }
            }
        }

        @Override
        int valueBytes() {
            return bits.count() >>> 3;
        }

        @Override
        void writeValues(Bytes out) {
            bits.writeBytes(out);
        }

        @Override
        void resetValues() {
            bits.reset();
        }

        @Override
        byte[] min() {
            return new byte[] {(byte) (seenFalse ? 0 : 1)};
        }

        @Override
        byte[] max() {
            return new byte[] {(byte) (seenTrue ? 1 : 0)};
        }

        @Override
        void resetStatistics() {
            seenTrue = false;
            seenFalse = false;
        }
    }

    /**
     * BYTE_ARRAY with the STRING annotation (Arrow utf8): PLAIN is each value's length (4 bytes) and bytes. The
     * batch's offsets and bytes are copied to the heap in one piece each (small copies out of Arrow's off-heap
     * buffers cost a call each). No min or max: comparing every string would cost more than the pruning it buys
     * on these columns.
     */
    static final class Utf8 extends ColumnChunk {
        private final Bytes offsets = new Bytes(4 * 1024);

        Utf8() {
            super(BYTE_ARRAY);
        }

        @Override
        void appendValues(FieldVector v, ArrowBuf validity, int n, PageSink sink) {
            offsets.reset();
            offsets.put(v.getOffsetBuffer(), 0, (n + 1) * 4);
            int base = offsets.getInt(0);
            int total = offsets.getInt(n * 4) - base;
            Bytes data = sink.scratch();
            data.reset();
            data.put(v.getDataBuffer(), base, total);
            values.ensure(total + 4 * n);
            if (validity == null) {
                for (int row = 0; row < n; row++) {
                    put(data, base, row);
                }
            } else {
                for (int w = 0; w * 64 < n; w++) {
                    for (long word = Bits.word(validity, w, n); word != 0; word &= word - 1) {
                        put(data, base, w * 64 + Long.numberOfTrailingZeros(word));
                    }
                }
            }
        }

        private void put(Bytes data, int base, int row) {
            int start = offsets.getInt(row * 4);
            int len = offsets.getInt(row * 4 + 4) - start;
            values.putInt(len);
            values.put(data.buf, start - base, len);
        }

        @Override
        byte[] min() {
            return null;
        }

        @Override
        byte[] max() {
            return null;
        }

        @Override
        void resetStatistics() {}
    }
}
