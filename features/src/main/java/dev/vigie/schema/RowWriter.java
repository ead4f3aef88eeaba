package dev.vigie.schema;

import java.util.List;
import org.apache.arrow.vector.FieldVector;

/**
 * Writes rows of a table's columns into their vectors. Each column's filler is called through a switch on its
 * kind ({@link Fill#kind}) with a cast to its final class: a direct call the JIT inlines, where a call through
 * the {@link Column.Filler} interface is one megamorphic dispatch per cell (a dozen filler classes at one call
 * site). Fillers from outside {@link Columns} are called through the interface, as before.
 */
public final class RowWriter<S> {
    private final Column.Filler<S>[] fillers;
    private final byte[] kinds;

    @SuppressWarnings("unchecked")
    public RowWriter(List<Column<S>> columns) {
        int n = columns.size();
        this.fillers = new Column.Filler[n];
        this.kinds = new byte[n];
        for (int i = 0; i < n; i++) {
            fillers[i] = columns.get(i).filler();
            kinds[i] = Fill.kind(fillers[i]);
        }
    }

    /** Fills columns {@code [from, to)} of row {@code row} from {@code source}; {@code vectors} in column order. */
    public void write(FieldVector[] vectors, int from, int to, int row, S source) {
        for (int i = from; i < to; i++) {
            Column.Filler<S> f = fillers[i];
            FieldVector v = vectors[i];
            switch (kinds[i]) {
                case Fill.INT64 -> ((Fill.Int64<S>) f).fill(v, row, source);
                case Fill.INT32 -> ((Fill.Int32<S>) f).fill(v, row, source);
                case Fill.INT32_OR_NULL -> ((Fill.Int32OrNull<S>) f).fill(v, row, source);
                case Fill.FLOAT64 -> ((Fill.Float64<S>) f).fill(v, row, source);
                case Fill.BOOL -> ((Fill.Bool<S>) f).fill(v, row, source);
                case Fill.BOOL_OR_NULL -> ((Fill.BoolOrNull<S>) f).fill(v, row, source);
                case Fill.UTF8 -> ((Fill.Utf8<S>) f).fill(v, row, source);
                case Fill.UTF8_BYTES -> ((Fill.Utf8Bytes<S>) f).fill(v, row, source);
                case Fill.TEXT -> ((Fill.Text<S>) f).fill(v, row, source);
                case Fill.LABEL -> ((Fill.Label<S>) f).fill(v, row, source);
                case Fill.TIMESTAMP -> ((Fill.Timestamp<S>) f).fill(v, row, source);
                case Fill.INT64_OR_NULL -> ((Fill.Int64OrNull<S>) f).fill(v, row, source);
                case Fill.TIMESTAMP_OR_NULL -> ((Fill.TimestampOrNull<S>) f).fill(v, row, source);
                default -> f.fill(v, row, source);
            }
        }
    }
}
