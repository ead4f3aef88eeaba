package dev.vigie.schema;

import java.util.List;
import org.apache.arrow.vector.FieldVector;

/**
 * Writes rows of a table's columns into their vectors, through generated code ({@link RowCells}): each column's
 * value function called from a call site of its own, so inlined. Where a class cannot be generated (or with
 * {@code -Dvigie.rowWriter=switch}) each column's filler is called through a switch on its kind
 * ({@link Fill#kind}) with a cast to its final class: a direct call, but the value function inside is still one
 * megamorphic dispatch per cell. Fillers from outside {@link Columns} are called through the interface there.
 */
public final class RowWriter<S> {
    private static final System.Logger LOG = System.getLogger(RowWriter.class.getName());
    private final Column.Filler<S>[] fillers;
    private final byte[] kinds;
    private final RowCells.Writer generated;

    public RowWriter(List<Column<S>> columns) {
        this(columns, !"switch".equals(System.getProperty("vigie.rowWriter")));
    }

    @SuppressWarnings("unchecked")
    RowWriter(List<Column<S>> columns, boolean generate) {
        int n = columns.size();
        this.fillers = new Column.Filler[n];
        this.kinds = new byte[n];
        for (int i = 0; i < n; i++) {
            fillers[i] = columns.get(i).filler();
            kinds[i] = Fill.kind(fillers[i]);
        }
        this.generated = generate ? generate(fillers, kinds) : null;
    }

    private static RowCells.Writer generate(Column.Filler<?>[] fillers, byte[] kinds) {
        try {
            return RowCells.of(fillers, kinds);
        } catch (Throwable e) {
            // Same cells, written the slower way: worth a line in the log, not a failure.
            LOG.log(System.Logger.Level.WARNING, "row writer: generated code unavailable (" + e + "), using the switch");
            return null;
        }
    }

    /** Whether rows go through generated code (false: the switch on kinds). */
    public boolean generated() {
        return generated != null;
    }

    /** Fills columns {@code [from, to)} of row {@code row} from {@code source}; {@code vectors} in column order. */
    public void write(FieldVector[] vectors, int from, int to, int row, S source) {
        if (generated != null) {
            generated.write(vectors, from, to, row, source);
            return;
        }
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
