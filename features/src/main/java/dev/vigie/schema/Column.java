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
public record Column<S>(String name, ArrowType type, String unit, String description, Filler<S> filler) {

    /**
     * Writes the value for {@code source} at {@code row}, or sets it null when the value does not exist. Every cell
     * is written, null included: the rule layer reuses one-row vectors from flow to flow.
     */
    @FunctionalInterface
    public interface Filler<S> {
        void fill(FieldVector vector, int row, S source);
    }

    public Field field() {
        return new Field(name, FieldType.nullable(type), null);
    }

    /** The type as written in the docs and hashed into the schema hash, e.g. "int64", "utf8", "timestamp[us, UTC]". */
    public String typeName() {
        return ArrowTypes.describe(type);
    }
}
