package dev.vigie.schema;

import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Typed column factories. Nullable variants take a predicate or a sentinel: a value that does not exist (the
 * inter-arrival time of a one-packet flow, the MSS of a UDP flow) is written as null, never as 0.
 */
public final class Columns {
    private Columns() {}

    /** A column whose cell object both writes the vector and reads the value (see {@link Fill}). */
    private static <S, C extends Column.Filler<S> & Column.Reader<S>> Column<S> column(String name, ArrowType type,
            String unit, String description, C cell) {
        return new Column<>(name, type, unit, description, cell, cell);
    }

    public static <S> Column<S> int64(String name, String unit, String description, ToLongFunction<S> value) {
        return column(name, ArrowTypes.INT64, unit, description, new Fill.Int64<>(value));
    }

    public static <S> Column<S> int32(String name, String unit, String description, ToIntFunction<S> value) {
        return column(name, ArrowTypes.INT32, unit, description, new Fill.Int32<>(value));
    }

    /** An int32 that is null when {@code value} returns a negative number. */
    public static <S> Column<S> int32OrNull(String name, String unit, String description, ToIntFunction<S> value) {
        return column(name, ArrowTypes.INT32, unit, description, new Fill.Int32OrNull<>(value));
    }

    /** A float64 that is null when {@code value} returns NaN. */
    public static <S> Column<S> float64(String name, String unit, String description, ToDoubleFunction<S> value) {
        return column(name, ArrowTypes.FLOAT64, unit, description, new Fill.Float64<>(value));
    }

    public static <S> Column<S> bool(String name, String unit, String description, Predicate<S> value) {
        return column(name, ArrowTypes.BOOL, unit, description, new Fill.Bool<>(value));
    }

    /** A boolean that is null when {@code known} is false. */
    public static <S> Column<S> boolOrNull(String name, String unit, String description, Predicate<S> known,
                                           Predicate<S> value) {
        return column(name, ArrowTypes.BOOL, unit, description, new Fill.BoolOrNull<>(known, value));
    }

    /** A UTF-8 string; null when {@code value} returns null. */
    public static <S> Column<S> utf8(String name, String unit, String description, Function<S, String> value) {
        return column(name, ArrowTypes.UTF8, unit, description, new Fill.Utf8<>(value));
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
        return column(name, ArrowTypes.UTF8, unit, description, new Fill.Text<>(writer));
    }

    /**
     * A string column whose values come from a small set (states, labels): each distinct value is encoded once
     * and cached.
     */
    public static <S> Column<S> label(String name, String unit, String description, Function<S, String> value) {
        return column(name, ArrowTypes.UTF8, unit, description, new Fill.Label<>(value));
    }

    /** A UTC timestamp with microsecond precision, from nanoseconds since the epoch (truncated toward -inf). */
    public static <S> Column<S> timestampNanos(String name, String description, ToLongFunction<S> nanos) {
        return column(name, ArrowTypes.TIMESTAMP_US_UTC, "time", description, new Fill.Timestamp<>(nanos));
    }

    /** An int64 that is null when {@code value} returns {@link Long#MIN_VALUE}. */
    public static <S> Column<S> int64OrNull(String name, String unit, String description, ToLongFunction<S> value) {
        return column(name, ArrowTypes.INT64, unit, description, new Fill.Int64OrNull<>(value));
    }

    /** A UTC microsecond timestamp from epoch nanoseconds; null when {@code nanos} returns {@link Long#MIN_VALUE}. */
    public static <S> Column<S> timestampOrNull(String name, String description, ToLongFunction<S> nanos) {
        return column(name, ArrowTypes.TIMESTAMP_US_UTC, "time", description, new Fill.TimestampOrNull<>(nanos));
    }
}
