package dev.vigie.schema;

import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * One output column: its name, Arrow type, unit and a sentence, and how to fill it from a row source of type
 * {@code S}. The single definition of a column: the Arrow schema, the docs (docs/schema/*.md) and the schema hash
 * that model bundles pin are all generated from these.
 */
public record Column<S>(String name, ArrowType type, String unit, String description, Filler<S> filler,
                        Reader<S> reader) {

    /** A column read only through its vector (the rule layer then reads the cell the filler wrote). */
    public Column(String name, ArrowType type, String unit, String description, Filler<S> filler) {
        this(name, type, unit, description, filler, null);
    }

    /**
     * Writes the value for {@code source} at {@code row}, or sets it null when the value does not exist. Every cell
     * is written, null included: the rule layer reuses one-row vectors from flow to flow.
     */
    @FunctionalInterface
    public interface Filler<S> {
        void fill(FieldVector vector, int row, S source);
    }

    /**
     * The cell's value without a vector, exactly what the filler writes: {@code Long} for int32 and int64,
     * {@code Double}, {@code Boolean}, {@code String}, {@code Long} microseconds since the epoch for a timestamp, or
     * null. The rule layer reads flows this way, one cell at a time, instead of writing and reading back a vector.
     */
    @FunctionalInterface
    public interface Reader<S> {
        Object read(S source);
    }

    /**
     * The reader when a read costs about a field access (numbers, booleans, labels: no text built, no timestamp
     * converted), else null. Rule conditions call such a reader directly, each from a call site of its own, instead
     * of going through the per-flow value cache.
     */
    public Reader<S> plainReader() {
        return Fill.plain(reader) ? reader : null;
    }

    public Field field() {
        return new Field(name, FieldType.nullable(type), null);
    }

    /** The type as written in the docs and hashed into the schema hash, e.g. "int64", "utf8", "timestamp[us, UTC]". */
    public String typeName() {
        return ArrowTypes.describe(type);
    }
}
