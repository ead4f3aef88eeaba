package dev.vigie.schema;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Typed column factories. Nullable variants take a predicate or a sentinel: a value that does not exist (the
 * inter-arrival time of a one-packet flow, the MSS of a UDP flow) is written as null, never as 0.
 */
public final class Columns {
    private Columns() {}

    public static <S> Column<S> int64(String name, String unit, String description, ToLongFunction<S> value) {
        return new Column<>(name, ArrowTypes.INT64, unit, description,
                new Fill.Int64<>(value), s -> value.applyAsLong(s));
    }

    public static <S> Column<S> int32(String name, String unit, String description, ToIntFunction<S> value) {
        return new Column<>(name, ArrowTypes.INT32, unit, description,
                new Fill.Int32<>(value), s -> (long) value.applyAsInt(s));
    }

    /** An int32 that is null when {@code value} returns a negative number. */
    public static <S> Column<S> int32OrNull(String name, String unit, String description, ToIntFunction<S> value) {
        return new Column<>(name, ArrowTypes.INT32, unit, description, new Fill.Int32OrNull<>(value), s -> { int x = value.applyAsInt(s); return x < 0 ? null : (Object) (long) x; });
    }

    /** A float64 that is null when {@code value} returns NaN. */
    public static <S> Column<S> float64(String name, String unit, String description, ToDoubleFunction<S> value) {
        return new Column<>(name, ArrowTypes.FLOAT64, unit, description, new Fill.Float64<>(value), s -> { double x = value.applyAsDouble(s); return Double.isNaN(x) ? null : (Object) x; });
    }

    public static <S> Column<S> bool(String name, String unit, String description, Predicate<S> value) {
        return new Column<>(name, ArrowTypes.BOOL, unit, description,
                new Fill.Bool<>(value), s -> value.test(s));
    }

    /** A boolean that is null when {@code known} is false. */
    public static <S> Column<S> boolOrNull(String name, String unit, String description, Predicate<S> known,
                                           Predicate<S> value) {
        return new Column<>(name, ArrowTypes.BOOL, unit, description, new Fill.BoolOrNull<>(known, value), s -> known.test(s) ? (Object) value.test(s) : null);
    }

    /** A UTF-8 string; null when {@code value} returns null. */
    public static <S> Column<S> utf8(String name, String unit, String description, Function<S, String> value) {
        return new Column<>(name, ArrowTypes.UTF8, unit, description, new Fill.Utf8<>(value), s -> value.apply(s));
    }

    /** Writes a text value into a buffer; returns false when the value does not exist (null). */
    @FunctionalInterface
    public interface TextWriter<S> {
        boolean write(S source, TextBuffer out);
    }

    /** A UTF-8 column from bytes already encoded (null: a null cell), for values copied from another batch. */
    public static <S> Column<S> utf8Bytes(String name, String unit, String description, Function<S, byte[]> value) {
        return new Column<>(name, ArrowTypes.UTF8, unit, description, new Fill.Utf8Bytes<>(value));
    }

    /**
     * A UTF-8 string written straight into the vector from a reusable buffer: no String per row. Use it for the
     * columns every row has (addresses, IDs); {@link #utf8} is simpler for rare or constant values.
     */
    public static <S> Column<S> text(String name, String unit, String description, TextWriter<S> writer) {
        // columns are shared by every extractor of the process: one buffer per writing thread
        ThreadLocal<TextBuffer> buffers = ThreadLocal.withInitial(TextBuffer::new);
        return new Column<>(name, ArrowTypes.UTF8, unit, description, new Fill.Text<>(writer, buffers), s -> { TextBuffer buffer = buffers.get(); buffer.clear(); return writer.write(s, buffer) ? new String(buffer.bytes(), 0, buffer.length(), StandardCharsets.UTF_8) : null; });
    }

    /**
     * A string column whose values come from a small set (states, labels): each distinct value is encoded once
     * and cached.
     */
    public static <S> Column<S> label(String name, String unit, String description, Function<S, String> value) {
        java.util.Map<String, byte[]> cache = new java.util.concurrent.ConcurrentHashMap<>();
        return new Column<>(name, ArrowTypes.UTF8, unit, description, new Fill.Label<>(value, cache), s -> value.apply(s));
    }

    /** A UTC timestamp with microsecond precision, from nanoseconds since the epoch (truncated toward -inf). */
    public static <S> Column<S> timestampNanos(String name, String description, ToLongFunction<S> nanos) {
        return new Column<>(name, ArrowTypes.TIMESTAMP_US_UTC, "time", description,
                new Fill.Timestamp<>(nanos), s -> Math.floorDiv(nanos.applyAsLong(s), 1000L));
    }

    /** An int64 that is null when {@code value} returns {@link Long#MIN_VALUE}. */
    public static <S> Column<S> int64OrNull(String name, String unit, String description, ToLongFunction<S> value) {
        return new Column<>(name, ArrowTypes.INT64, unit, description, new Fill.Int64OrNull<>(value), s -> { long x = value.applyAsLong(s); return x == Long.MIN_VALUE ? null : (Object) x; });
    }

    /** A UTC microsecond timestamp from epoch nanoseconds; null when {@code nanos} returns {@link Long#MIN_VALUE}. */
    public static <S> Column<S> timestampOrNull(String name, String description, ToLongFunction<S> nanos) {
        return new Column<>(name, ArrowTypes.TIMESTAMP_US_UTC, "time", description, new Fill.TimestampOrNull<>(nanos), s -> { long x = nanos.applyAsLong(s); return x == Long.MIN_VALUE ? null : (Object) Math.floorDiv(x, 1000L); });
    }
}
