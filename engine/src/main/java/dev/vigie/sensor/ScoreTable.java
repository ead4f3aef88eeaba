package dev.vigie.sensor;

import dev.vigie.features.FlowBatchBuilder;
import dev.vigie.schema.Column;
import dev.vigie.schema.Columns;
import dev.vigie.schema.RowWriter;
import dev.vigie.schema.TableSchema;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The {@code scores} table: one row per scored flow and model (each model kind, and {@code combined}), so that
 * analysts see the whole score distribution against the threshold, not only the alerts (the {@code scores} view
 * of {@code vigie sql}, docs/schema/scores.md). Scores are normalised: 1.0 is the model's calibrated threshold.
 */
public final class ScoreTable implements AutoCloseable {

    /** The row being written: a flyweight set before each row. */
    public static final class Row {
        long tsNanos;
        long flowId;
        byte[] origH;   // UTF-8, as read from the flow batch: written to the model kinds' rows without re-encoding
        byte[] respH;
        int respP;
        String group;
        String model;
        String modelVersion;
        double score;
        double rawThreshold;
    }

    public static final TableSchema<Row> SCHEMA = new TableSchema<>("scores", List.<Column<Row>>of(
            Columns.timestampNanos("ts", "Capture time of the flow's first packet (its ts_start), UTC.", r -> r.tsNanos),
            Columns.int64("flow_id", "id", "The flow record's flow_id, to join the flows view.", r -> r.flowId),
            Columns.utf8Bytes("orig_h", "address", "Originator address of the flow.", r -> r.origH),
            Columns.utf8Bytes("resp_h", "address", "Responder address of the flow.", r -> r.respH),
            Columns.int32("resp_p", "port", "Responder port of the flow.", r -> r.respP),
            Columns.label("model_group", "name", "Traffic group whose models scored the flow: 'all' (site-wide) or a service such as tcp/80.", r -> r.group),
            Columns.label("model", "enum", "Model: isolation_forest, kmeans, or combined (the largest of the two, each against its own threshold).", r -> r.model),
            Columns.label("model_version", "id", "Bundle that scored the flow: site and bundle version.", r -> r.modelVersion),
            Columns.float64("score", "ratio", "Normalised score: 0 typical of the site's benign traffic, 1.0 the alert threshold.", r -> r.score),
            Columns.float64("threshold", "ratio", "The alert threshold on the normalised score: always 1.0 (kept so queries need not hard-code it).", r -> 1.0),
            Columns.float64("raw_threshold", "score", "The model's threshold on its raw score, as calibrated at training (NaN-free; null for combined).", r -> r.rawThreshold)));

    private final VectorSchemaRoot root;
    private final FieldVector[] vectors;
    private final RowWriter<Row> writer = new RowWriter<>(SCHEMA.columns());
    private final FlowBatchBuilder.BatchConsumer consumer;
    private final Row row = new Row();
    private final int capacity;
    private int rows;
    private long written;

    ScoreTable(BufferAllocator allocator, int capacity, FlowBatchBuilder.BatchConsumer consumer) {
        this.root = VectorSchemaRoot.create(SCHEMA.arrowSchema(), allocator);
        this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
        this.capacity = capacity;
        this.consumer = consumer;
        for (FieldVector v : vectors) {
            v.setInitialCapacity(capacity);
            v.allocateNew();
        }
    }

    /** The row to fill before {@link #append()}. */
    Row row() {
        return row;
    }

    void append() {
        writer.write(vectors, 0, vectors.length, rows, row);
        rows++;
        written++;
        if (rows == capacity) {
            flush();
        }
    }

    void flush() {
        if (rows == 0) {
            return;
        }
        root.setRowCount(rows);
        consumer.accept(root);
        for (FieldVector v : vectors) {
            v.reset();
        }
        rows = 0;
    }

    long written() {
        return written;
    }

    @Override
    public void close() {
        root.close();
    }
}
