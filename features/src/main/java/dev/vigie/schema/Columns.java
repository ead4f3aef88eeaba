package dev.vigie.schema;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Typed column factories. Nullable variants take a predicate or a sentinel: a value that does not exist (the
 * inter-arrival time of a one-packet flow, the MSS of a UDP flow) is written as null, never as 0.
 */
public final class Columns {
    private Columns() {}

    public static <S> Column<S> int64(String name, String unit, String description, ToLongFunction<S> value) {
        return new Column<>(name, ArrowTypes.INT64, unit, description,
                (v, row, s) -> VectorWrites.int64((BigIntVector) v, row, value.applyAsLong(s)),
                s -> value.applyAsLong(s));
    }

    public static <S> Column<S> int32(String name, String unit, String description, ToIntFunction<S> value) {
        return new Column<>(name, ArrowTypes.INT32, unit, description,
                (v, row, s) -> VectorWrites.int32((IntVector) v, row, value.applyAsInt(s)),
                s -> (long) value.applyAsInt(s));
    }

    /** An int32 that is null when {@code value} returns a negative number. */
    public static <S> Column<S> int32OrNull(String name, String unit, String description, ToIntFunction<S> value) {
        return new Column<>(name, ArrowTypes.INT32, unit, description, (v, row, s) -> {
            int x = value.applyAsInt(s);
            if (x < 0) {
                VectorWrites.nullFixed((IntVector) v, row);
            } else {
                VectorWrites.int32((IntVector) v, row, x);
            }
        }, s -> { int x = value.applyAsInt(s); return x < 0 ? null : (Object) (long) x; });
    }

    /** A float64 that is null when {@code value} returns NaN. */
    public static <S> Column<S> float64(String name, String unit, String description, ToDoubleFunction<S> value) {
        return new Column<>(name, ArrowTypes.FLOAT64, unit, description, (v, row, s) -> {
            double x = value.applyAsDouble(s);
            if (Double.isNaN(x)) {
                VectorWrites.nullFixed((Float8Vector) v, row);
            } else {
                VectorWrites.float64((Float8Vector) v, row, x);
            }
        }, s -> { double x = value.applyAsDouble(s); return Double.isNaN(x) ? null : (Object) x; });
    }

    public static <S> Column<S> bool(String name, String unit, String description, Predicate<S> value) {
        return new Column<>(name, ArrowTypes.BOOL, unit, description,
                (v, row, s) -> VectorWrites.bool((BitVector) v, row, value.test(s)), s -> value.test(s));
    }

    /** A boolean that is null when {@code known} is false. */
    public static <S> Column<S> boolOrNull(String name, String unit, String description, Predicate<S> known,
                                           Predicate<S> value) {
        return new Column<>(name, ArrowTypes.BOOL, unit, description, (v, row, s) -> {
            if (known.test(s)) {
                VectorWrites.bool((BitVector) v, row, value.test(s));
            } else {
                VectorWrites.nullFixed((BitVector) v, row);
            }
        }, s -> known.test(s) ? (Object) value.test(s) : null);
    }

    /** A UTF-8 string; null when {@code value} returns null. */
    public static <S> Column<S> utf8(String name, String unit, String description, Function<S, String> value) {
        return new Column<>(name, ArrowTypes.UTF8, unit, description, (v, row, s) -> {
            String x = value.apply(s);
            if (x == null) {
                VectorWrites.nullUtf8((VarCharVector) v, row);
            } else {
                byte[] b = x.getBytes(StandardCharsets.UTF_8);
                VectorWrites.utf8((VarCharVector) v, row, b, 0, b.length);
            }
        }, s -> value.apply(s));
    }

    /** Writes a text value into a buffer; returns false when the value does not exist (null). */
    @FunctionalInterface
    public interface TextWriter<S> {
        boolean write(S source, TextBuffer out);
    }

    /** A UTF-8 column from bytes already encoded (null: a null cell), for values copied from another batch. */
    public static <S> Column<S> utf8Bytes(String name, String unit, String description, Function<S, byte[]> value) {
        return new Column<>(name, ArrowTypes.UTF8, unit, description, (v, row, s) -> {
            byte[] b = value.apply(s);
            if (b == null) {
                VectorWrites.nullUtf8((VarCharVector) v, row);
            } else {
                VectorWrites.utf8((VarCharVector) v, row, b, 0, b.length);
            }
        });
    }

    /**
     * A UTF-8 string written straight into the vector from a reusable buffer: no String per row. Use it for the
     * columns every row has (addresses, IDs); {@link #utf8} is simpler for rare or constant values.
     */
    public static <S> Column<S> text(String name, String unit, String description, TextWriter<S> writer) {
        // columns are shared by every extractor of the process: one buffer per writing thread
        ThreadLocal<TextBuffer> buffers = ThreadLocal.withInitial(TextBuffer::new);
        return new Column<>(name, ArrowTypes.UTF8, unit, description, (v, row, s) -> {
            TextBuffer buffer = buffers.get();
            buffer.clear();
            if (writer.write(s, buffer)) {
                VectorWrites.utf8((VarCharVector) v, row, buffer.bytes(), 0, buffer.length());
            } else {
                VectorWrites.nullUtf8((VarCharVector) v, row);
            }
        }, s -> { TextBuffer buffer = buffers.get(); buffer.clear(); return writer.write(s, buffer) ? new String(buffer.bytes(), 0, buffer.length(), StandardCharsets.UTF_8) : null; });
    }

    /**
     * A string column whose values come from a small set (states, labels): each distinct value is encoded once
     * and cached.
     */
    public static <S> Column<S> label(String name, String unit, String description, Function<S, String> value) {
        java.util.Map<String, byte[]> cache = new java.util.concurrent.ConcurrentHashMap<>();
        return new Column<>(name, ArrowTypes.UTF8, unit, description, (v, row, s) -> {
            String x = value.apply(s);
            if (x == null) {
                VectorWrites.nullUtf8((VarCharVector) v, row);
            } else {
                byte[] b = cache.size() < 4096 ? cache.computeIfAbsent(x, k -> k.getBytes(StandardCharsets.UTF_8))
                        : x.getBytes(StandardCharsets.UTF_8);
                VectorWrites.utf8((VarCharVector) v, row, b, 0, b.length);
            }
        }, s -> value.apply(s));
    }

    /** A UTC timestamp with microsecond precision, from nanoseconds since the epoch (truncated toward -inf). */
    public static <S> Column<S> timestampNanos(String name, String description, ToLongFunction<S> nanos) {
        return new Column<>(name, ArrowTypes.TIMESTAMP_US_UTC, "time", description,
                (v, row, s) -> VectorWrites.timestampMicros((TimeStampMicroTZVector) v, row, Math.floorDiv(nanos.applyAsLong(s), 1000L)),
                s -> Math.floorDiv(nanos.applyAsLong(s), 1000L));
    }

    /** An int64 that is null when {@code value} returns {@link Long#MIN_VALUE}. */
    public static <S> Column<S> int64OrNull(String name, String unit, String description, ToLongFunction<S> value) {
        return new Column<>(name, ArrowTypes.INT64, unit, description, (v, row, s) -> {
            long x = value.applyAsLong(s);
            if (x != Long.MIN_VALUE) {
                VectorWrites.int64((BigIntVector) v, row, x);
            } else {
                VectorWrites.nullFixed((BigIntVector) v, row);
            }
        }, s -> { long x = value.applyAsLong(s); return x == Long.MIN_VALUE ? null : (Object) x; });
    }

    /** A UTC microsecond timestamp from epoch nanoseconds; null when {@code nanos} returns {@link Long#MIN_VALUE}. */
    public static <S> Column<S> timestampOrNull(String name, String description, ToLongFunction<S> nanos) {
        return new Column<>(name, ArrowTypes.TIMESTAMP_US_UTC, "time", description, (v, row, s) -> {
            long x = nanos.applyAsLong(s);
            if (x != Long.MIN_VALUE) {
                VectorWrites.timestampMicros((TimeStampMicroTZVector) v, row, Math.floorDiv(x, 1000L));
            } else {
                VectorWrites.nullFixed((TimeStampMicroTZVector) v, row);
            }
        }, s -> { long x = nanos.applyAsLong(s); return x == Long.MIN_VALUE ? null : (Object) Math.floorDiv(x, 1000L); });
    }
}
