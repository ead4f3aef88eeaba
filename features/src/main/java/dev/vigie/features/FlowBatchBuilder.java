package dev.vigie.features;

import dev.vigie.flow.EndReason;
import dev.vigie.flow.Flow;
import dev.vigie.flow.FlowSink;
import dev.vigie.schema.RowWriter;
import dev.vigie.schema.TableSchema;
import dev.vigie.schema.VectorWrites;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where a flow becomes a feature row: fills an Arrow batch, one row per emitted flow record, and hands each full
 * batch to a {@link BatchConsumer}. The vectors are reused from batch to batch.
 */
public final class FlowBatchBuilder implements FlowSink, AutoCloseable {

    /** Receives a full (or final) batch; the root is reused after the call returns. */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(VectorSchemaRoot batch);
    }

    private final TableSchema<FlowRow> schema;
    private final VectorSchemaRoot root;
    private final FieldVector[] vectors;
    private final RowWriter<FlowRow> writer;
    private final int batchRows;
    private final BatchConsumer consumer;
    private final FlowRow row = new FlowRow();
    private int rows;
    private long rowsWritten;
    // column ranges [from, to) left null, without calling their writers, when present(flow) is false
    private int[] groupFrom = new int[0];
    private int[] groupTo = new int[0];
    @SuppressWarnings("unchecked")
    private java.util.function.Predicate<Flow>[] groupPresent = new java.util.function.Predicate[0];

    public FlowBatchBuilder(TableSchema<FlowRow> schema, BufferAllocator allocator, int batchRows, BatchConsumer consumer) {
        this.schema = schema;
        this.root = VectorSchemaRoot.create(schema.arrowSchema(), allocator);
        this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
        this.writer = new RowWriter<>(schema.columns());
        this.batchRows = batchRows;
        this.consumer = consumer;
        for (FieldVector v : vectors) {
            v.setInitialCapacity(batchRows);
            v.allocateNew();
        }
    }

    public TableSchema<FlowRow> schema() {
        return schema;
    }

    /**
     * Leaves columns {@code [from, to)} null in rows whose flow fails {@code present}, without calling their
     * writers. Safe because every vector starts each batch zeroed (null) and Arrow fills the offsets of skipped
     * string rows. Ranges are given in column order and must not overlap.
     */
    @SuppressWarnings("unchecked")
    public void skipWhenAbsent(int from, int to, java.util.function.Predicate<Flow> present) {
        int n = groupFrom.length;
        if (from < (n == 0 ? 0 : groupTo[n - 1]) || to > vectors.length || from > to) {
            throw new IllegalArgumentException("bad column range " + from + ".." + to);
        }
        groupFrom = java.util.Arrays.copyOf(groupFrom, n + 1);
        groupTo = java.util.Arrays.copyOf(groupTo, n + 1);
        groupPresent = java.util.Arrays.copyOf(groupPresent, n + 1);
        groupFrom[n] = from;
        groupTo[n] = to;
        groupPresent[n] = present;
    }

    @Override
    public void flowEnded(Flow flow, EndReason reason) {
        row.set(flow, reason);
        int i = 0;
        for (int g = 0; g < groupFrom.length; g++) {
            writer.write(vectors, i, groupFrom[g], rows, row);
            i = groupPresent[g].test(flow) ? groupFrom[g] : groupTo[g];
        }
        writer.write(vectors, i, vectors.length, rows, row);
        rows++;
        rowsWritten++;
        if (rows == batchRows) {
            flush();
        }
    }

    /** Hands the rows collected so far to the consumer, if any. */
    public void flush() {
        if (rows == 0) {
            return;
        }
        root.setRowCount(rows);
        consumer.accept(root);
        VectorWrites.resetAfterBatch(vectors);
        rows = 0;
    }

    public long rowsWritten() {
        return rowsWritten;
    }

    /** Rows collected since the last batch was handed out. */
    public int pendingRows() {
        return rows;
    }

    @Override
    public void close() {
        root.close();
    }
}
