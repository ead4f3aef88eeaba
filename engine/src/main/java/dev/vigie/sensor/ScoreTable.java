package dev.vigie.sensor;

import dev.vigie.features.FlowBatchBuilder;
import dev.vigie.schema.Column;
import dev.vigie.schema.Columns;
import dev.vigie.schema.RowWriter;
import dev.vigie.schema.TableSchema;
import dev.vigie.schema.VectorWrites;
import dev.vigie.training.ModelKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The {@code scores} table: one row per scored flow, with every model kind's normalised score and raw threshold
 * next to the combined score, so that analysts see the whole score distribution against the threshold, not only
 * the alerts (docs/schema/scores.md). The {@code scores} view of {@code vigie sql} unfolds each row into one row
 * per model ({@link #longView}). Scores are normalised: 1.0 is the model's calibrated threshold.
 * <p>
 * One row per flow rather than per flow and model: the sensor writes a third of the rows, and the files repeat
 * neither the addresses nor the labels per model.
 */
public final class ScoreTable implements AutoCloseable {

    private static final ModelKind[] KINDS = ModelKind.values();

    /** The row being written: a flyweight set before each row. */
    public static final class Row {
        long tsNanos;
        long flowId;
        byte[] origH;   // UTF-8, as read from the flow batch: written without re-encoding
        byte[] respH;
        int respP;
        String group;
        String modelVersion;
        double combined;
        /** By {@link ModelKind#ordinal()}: the kind's normalised score, and its threshold on the raw score. */
        final double[] score = new double[KINDS.length];
        final double[] rawThreshold = new double[KINDS.length];
    }

    public static final TableSchema<Row> SCHEMA = new TableSchema<>("scores", columns());

    private static List<Column<Row>> columns() {
        List<Column<Row>> c = new ArrayList<>(List.of(
            Columns.timestampNanos("ts", "Capture time of the flow's first packet (its ts_start), UTC.", r -> r.tsNanos),
            Columns.int64("flow_id", "id", "The flow record's flow_id, to join the flows view.", r -> r.flowId),
            Columns.utf8Bytes("orig_h", "address", "Originator address of the flow.", r -> r.origH),
            Columns.utf8Bytes("resp_h", "address", "Responder address of the flow.", r -> r.respH),
            Columns.int32("resp_p", "port", "Responder port of the flow.", r -> r.respP),
            Columns.label("model_group", "name", "Traffic group whose models scored the flow: 'all' (site-wide) or a service such as tcp/80.", r -> r.group),
            Columns.label("model_version", "id", "Bundle that scored the flow: site and bundle version.", r -> r.modelVersion),
            Columns.float64("score", "ratio", "Combined normalised score: the largest of the models' scores below (an alert at 1.0 or more).", r -> r.combined)));
        for (ModelKind k : KINDS) {
            int i = k.ordinal();
            c.add(Columns.float64(k.id() + "_score", "ratio", "Normalised score of the " + k.id() + " model: 0 typical of the site's benign traffic, 1.0 its alert threshold.", r -> r.score[i]));
            c.add(Columns.float64(k.id() + "_raw_threshold", "score", "The " + k.id() + " model's threshold on its raw score, as calibrated at training.", r -> r.rawThreshold[i]));
        }
        return List.copyOf(c);
    }

    /**
     * The long layout analysts query (the {@code scores} view): one row per flow and model, each model kind and
     * {@code combined}, with {@code threshold} always 1.0 and {@code raw_threshold} null for combined.
     * {@code source} is a relation with this table's columns (e.g. {@code read_parquet(...)}).
     */
    public static String longView(String source) {
        String id = "ts, flow_id, orig_h, resp_h, resp_p, model_group, ";
        StringBuilder sb = new StringBuilder("WITH w AS (" + source + ") ");
        for (ModelKind k : KINDS) {
            sb.append("SELECT ").append(id).append("'").append(k.id()).append("' AS model, model_version, ")
              .append(k.id()).append("_score AS score, 1.0::DOUBLE AS threshold, ")
              .append(k.id()).append("_raw_threshold AS raw_threshold FROM w UNION ALL ");
        }
        return sb.append("SELECT ").append(id).append("'combined' AS model, model_version, score, ")
                 .append("1.0::DOUBLE AS threshold, NULL::DOUBLE AS raw_threshold FROM w").toString();
    }

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
        VectorWrites.resetAfterBatch(vectors);
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
