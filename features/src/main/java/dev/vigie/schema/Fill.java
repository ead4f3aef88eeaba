package dev.vigie.schema;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The fillers of the {@link Columns} factories, one record per kind of cell, each also its column's reader, so
 * that a kind's null rule for the vector ({@code put}, which {@code fill} calls) and for the rule layer
 * ({@code read}) stand side by side.
 * {@link RowCells} generates code that calls a column's value function (the record's component) itself, from a
 * call site of its own, then {@code put}; {@link RowWriter}'s fallback calls {@code fill} through a switch on
 * {@link #kind}. Either way no cell pays an interface dispatch on its filler: with a hundred and more columns per
 * row, that dispatch was 5-7 % of extraction.
 */
final class Fill {
    private Fill() {}

    static final byte OTHER = 0, INT64 = 1, INT32 = 2, INT32_OR_NULL = 3, FLOAT64 = 4, BOOL = 5, BOOL_OR_NULL = 6,
            UTF8 = 7, UTF8_BYTES = 8, TEXT = 9, LABEL = 10, TIMESTAMP = 11, INT64_OR_NULL = 12, TIMESTAMP_OR_NULL = 13;

    /** The kind of a filler: one of the constants above, {@link #OTHER} for a filler defined elsewhere. */
    static byte kind(Column.Filler<?> f) {
        if (f instanceof Int64) return INT64;
        if (f instanceof Int32) return INT32;
        if (f instanceof Int32OrNull) return INT32_OR_NULL;
        if (f instanceof Float64) return FLOAT64;
        if (f instanceof Bool) return BOOL;
        if (f instanceof BoolOrNull) return BOOL_OR_NULL;
        if (f instanceof Utf8) return UTF8;
        if (f instanceof Utf8Bytes) return UTF8_BYTES;
        if (f instanceof Text) return TEXT;
        if (f instanceof Label) return LABEL;
        if (f instanceof Timestamp) return TIMESTAMP;
        if (f instanceof Int64OrNull) return INT64_OR_NULL;
        if (f instanceof TimestampOrNull) return TIMESTAMP_OR_NULL;
        return OTHER;
    }

    /** A reader that only calls a number, boolean or label value function (see {@link Column#plainReader}). */
    static boolean plain(Column.Reader<?> r) {
        return r instanceof Int64 || r instanceof Int32 || r instanceof Int32OrNull || r instanceof Int64OrNull
                || r instanceof Float64 || r instanceof Bool || r instanceof BoolOrNull || r instanceof Label;
    }

    record Int64<S>(ToLongFunction<S> value) implements Column.Filler<S>, Column.Reader<S> {

        @Override
        public Object read(S s) {
            return value.applyAsLong(s);
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, value.applyAsLong(s));
        }

        void put(FieldVector v, int row, long x) {
            VectorWrites.int64((BigIntVector) v, row, x);
        }
    }

    record Int32<S>(ToIntFunction<S> value) implements Column.Filler<S>, Column.Reader<S> {

        @Override
        public Object read(S s) {
            return (long) value.applyAsInt(s);
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, value.applyAsInt(s));
        }

        void put(FieldVector v, int row, int x) {
            VectorWrites.int32((IntVector) v, row, x);
        }
    }

    /** Null when the value is negative. */
    record Int32OrNull<S>(ToIntFunction<S> value) implements Column.Filler<S>, Column.Reader<S> {

        @Override
        public Object read(S s) {
            int x = value.applyAsInt(s);
            return x < 0 ? null : (Object) (long) x;
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, value.applyAsInt(s));
        }

        void put(FieldVector v, int row, int x) {
            if (x < 0) {
                VectorWrites.nullFixed((IntVector) v, row);
            } else {
                VectorWrites.int32((IntVector) v, row, x);
            }
        }
    }

    /** Null when the value is NaN. */
    record Float64<S>(ToDoubleFunction<S> value) implements Column.Filler<S>, Column.Reader<S> {

        @Override
        public Object read(S s) {
            double x = value.applyAsDouble(s);
            return Double.isNaN(x) ? null : (Object) x;
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, value.applyAsDouble(s));
        }

        void put(FieldVector v, int row, double x) {
            if (Double.isNaN(x)) {
                VectorWrites.nullFixed((Float8Vector) v, row);
            } else {
                VectorWrites.float64((Float8Vector) v, row, x);
            }
        }
    }

    record Bool<S>(Predicate<S> value) implements Column.Filler<S>, Column.Reader<S> {

        @Override
        public Object read(S s) {
            return value.test(s);
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, value.test(s));
        }

        void put(FieldVector v, int row, boolean x) {
            VectorWrites.bool((BitVector) v, row, x);
        }
    }

    /** Null when {@code known} is false. */
    record BoolOrNull<S>(Predicate<S> known, Predicate<S> value) implements Column.Filler<S>, Column.Reader<S> {

        @Override
        public Object read(S s) {
            return known.test(s) ? (Object) value.test(s) : null;
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            if (known.test(s)) {
                put(v, row, value.test(s));
            } else {
                putNull(v, row);
            }
        }

        void put(FieldVector v, int row, boolean x) {
            VectorWrites.bool((BitVector) v, row, x);
        }

        void putNull(FieldVector v, int row) {
            VectorWrites.nullFixed((BitVector) v, row);
        }
    }

    /** A String encoded per cell; null stays null. */
    record Utf8<S>(Function<S, String> value) implements Column.Filler<S>, Column.Reader<S> {

        @Override
        public Object read(S s) {
            return value.apply(s);
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, value.apply(s));
        }

        void put(FieldVector v, int row, String x) {
            if (x == null) {
                VectorWrites.nullUtf8((VarCharVector) v, row);
            } else {
                VectorWrites.utf8((VarCharVector) v, row, x);
            }
        }
    }

    /** Bytes already encoded; null stays null. */
    record Utf8Bytes<S>(Function<S, byte[]> value) implements Column.Filler<S> {

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, value.apply(s));
        }

        void put(FieldVector v, int row, byte[] b) {
            if (b == null) {
                VectorWrites.nullUtf8((VarCharVector) v, row);
            } else {
                VectorWrites.utf8((VarCharVector) v, row, b, 0, b.length);
            }
        }
    }

    /** Text written into the writing thread's reusable buffer, then copied into the vector. */
    record Text<S>(Columns.TextWriter<S> writer, ThreadLocal<TextBuffer> buffers)
            implements Column.Filler<S>, Column.Reader<S> {
        Text(Columns.TextWriter<S> writer) {
            // columns are shared by every extractor of the process: one buffer per writing thread
            this(writer, ThreadLocal.withInitial(TextBuffer::new));
        }

        @Override
        public Object read(S s) {
            TextBuffer buffer = buffers.get();
            buffer.clear();
            return writer.write(s, buffer) ? new String(buffer.bytes(), 0, buffer.length(), StandardCharsets.UTF_8) : null;
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            TextBuffer buffer = begin();
            put(v, row, buffer, writer.write(s, buffer));
        }

        /** This thread's buffer, emptied. */
        TextBuffer begin() {
            TextBuffer buffer = buffers.get();
            buffer.clear();
            return buffer;
        }

        /** The text in {@code buffer}, or null when the writer said there is none. */
        void put(FieldVector v, int row, TextBuffer buffer, boolean present) {
            if (present) {
                VectorWrites.utf8((VarCharVector) v, row, buffer.bytes(), 0, buffer.length());
            } else {
                VectorWrites.nullUtf8((VarCharVector) v, row);
            }
        }
    }

    /** A value of a small set, each distinct value encoded once (at most 4,096 cached). */
    record Label<S>(Function<S, String> value, Map<String, byte[]> cache)
            implements Column.Filler<S>, Column.Reader<S> {
        Label(Function<S, String> value) {
            this(value, new java.util.concurrent.ConcurrentHashMap<>());
        }

        @Override
        public Object read(S s) {
            return value.apply(s);
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, value.apply(s));
        }

        void put(FieldVector v, int row, String x) {
            if (x == null) {
                VectorWrites.nullUtf8((VarCharVector) v, row);
            } else {
                byte[] b = cache.size() < 4096 ? cache.computeIfAbsent(x, k -> k.getBytes(StandardCharsets.UTF_8))
                        : x.getBytes(StandardCharsets.UTF_8);
                VectorWrites.utf8((VarCharVector) v, row, b, 0, b.length);
            }
        }
    }

    /** Microseconds from epoch nanoseconds, truncated toward -inf. */
    record Timestamp<S>(ToLongFunction<S> nanos) implements Column.Filler<S>, Column.Reader<S> {

        @Override
        public Object read(S s) {
            return Math.floorDiv(nanos.applyAsLong(s), 1000L);
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, nanos.applyAsLong(s));
        }

        void put(FieldVector v, int row, long nanos) {
            VectorWrites.timestampMicros((TimeStampMicroTZVector) v, row, Math.floorDiv(nanos, 1000L));
        }
    }

    /** Null when the value is {@link Long#MIN_VALUE}. */
    record Int64OrNull<S>(ToLongFunction<S> value) implements Column.Filler<S>, Column.Reader<S> {

        @Override
        public Object read(S s) {
            long x = value.applyAsLong(s);
            return x == Long.MIN_VALUE ? null : (Object) x;
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, value.applyAsLong(s));
        }

        void put(FieldVector v, int row, long x) {
            if (x != Long.MIN_VALUE) {
                VectorWrites.int64((BigIntVector) v, row, x);
            } else {
                VectorWrites.nullFixed((BigIntVector) v, row);
            }
        }
    }

    /** Microseconds from epoch nanoseconds; null when the value is {@link Long#MIN_VALUE}. */
    record TimestampOrNull<S>(ToLongFunction<S> nanos) implements Column.Filler<S>, Column.Reader<S> {

        @Override
        public Object read(S s) {
            long x = nanos.applyAsLong(s);
            return x == Long.MIN_VALUE ? null : (Object) Math.floorDiv(x, 1000L);
        }

        @Override
        public void fill(FieldVector v, int row, S s) {
            put(v, row, nanos.applyAsLong(s));
        }

        void put(FieldVector v, int row, long x) {
            if (x != Long.MIN_VALUE) {
                VectorWrites.timestampMicros((TimeStampMicroTZVector) v, row, Math.floorDiv(x, 1000L));
            } else {
                VectorWrites.nullFixed((TimeStampMicroTZVector) v, row);
            }
        }
    }
}
