package dev.vigie.sensor;

import dev.vigie.extract.ExtractionCounters;
import dev.vigie.io.BatchOutput;
import dev.vigie.schema.Column;
import dev.vigie.schema.Columns;
import dev.vigie.schema.TableSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The {@code health} table: one row per interval of wall time (and a last one at the end of the run), with what
 * the sensor saw and lost in that interval, so that the weekly report and analysts can tell a quiet network from
 * a sensor that was dropping packets. Files: {@code OUT_DIR/health/health-<UTC start>-<seq>.parquet}, each
 * completed atomically when the alert and flow files roll, and at the end. Columns: docs/schema/health.md.
 */
public final class HealthLog implements Sensor.Tickable, AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    /** One interval's row (deltas since the previous row, except the gauges). */
    public static final class Row {
        long tsNanos;
        long wallNanos;
        double intervalSeconds;
        long packets;
        long bytes;
        long kernelDrops;
        long interfaceDrops;
        long malformed;
        long captureErrors;
        long flowRecords;
        long evictions;
        long batches;
        long rowsScored;
        double scoringMs;
        long alerts;
        String bundle;
    }

    public static final TableSchema<Row> SCHEMA = new TableSchema<>("health", List.<Column<Row>>of(
            Columns.timestampNanos("ts", "Capture time reached at the end of the interval (the latest flow record scored), UTC: the time the report's period filters on.", r -> r.tsNanos),
            Columns.timestampNanos("wall_ts", "Wall-clock end of the interval, UTC (differs from ts when a capture file is replayed).", r -> r.wallNanos),
            Columns.float64("interval_s", "s", "Length of the interval.", r -> r.intervalSeconds),
            Columns.int64("packets", "packets", "Frames read from the capture in the interval.", r -> r.packets),
            Columns.int64("bytes", "bytes", "Captured bytes read in the interval.", r -> r.bytes),
            Columns.int64("kernel_drops", "packets", "Frames the kernel dropped before the sensor read them (live capture; 0 for files).", r -> r.kernelDrops),
            Columns.int64("interface_drops", "packets", "Frames the interface or driver dropped (live capture; 0 for files).", r -> r.interfaceDrops),
            Columns.int64("malformed", "packets", "Frames that could not be decoded (truncated or invalid headers), all reasons.", r -> r.malformed),
            Columns.int64("capture_errors", "count", "Faults of the capture input itself (bad records, I/O errors).", r -> r.captureErrors),
            Columns.int64("flow_records", "records", "Flow records emitted.", r -> r.flowRecords),
            Columns.int64("evictions", "flows", "Live flows evicted because the flow table was full (their record is emitted early).", r -> r.evictions),
            Columns.int64("batches", "count", "Micro-batches scored.", r -> r.batches),
            Columns.int64("rows_scored", "records", "Flow records scored by the models.", r -> r.rowsScored),
            Columns.float64("scoring_ms", "ms", "Time spent scoring (recipe, ONNX Runtime, profiles, model alerts).", r -> r.scoringMs),
            Columns.int64("alerts", "count", "Alerts raised by models, profiles and rules (before suppression and aggregation).", r -> r.alerts),
            Columns.utf8("bundle", "id", "Bundle scoring at the end of the interval: site, version, manifest hash prefix.", r -> r.bundle)));

    private final Path dir;
    private final BufferAllocator allocator;
    private final long intervalNanos;
    private final long rollNanos;
    private final VectorSchemaRoot root;
    private final FieldVector[] vectors;
    private final Row row = new Row();
    private BatchOutput file;
    private long fileOpened;
    private int seq;
    private long lastRow = System.nanoTime();
    private final long[] last = new long[11];
    private long rows;
    private double scoringMsBefore;

    public HealthLog(Path dir, BufferAllocator allocator, long intervalNanos, long rollNanos) {
        this.dir = dir;
        this.allocator = allocator;
        this.intervalNanos = intervalNanos;
        this.rollNanos = rollNanos;
        this.root = VectorSchemaRoot.create(SCHEMA.arrowSchema(), allocator);
        this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
    }

    /** {@code wallNanos == Long.MAX_VALUE} is the end of the run: a last row, then the file is completed. */
    @Override
    public void tick(long wallNanos, Sensor.Status status) throws IOException {
        boolean end = wallNanos == Long.MAX_VALUE;
        long now = end ? System.nanoTime() : wallNanos;
        if (!end && now - lastRow < intervalNanos) {
            return;
        }
        append(now, status);
        if (end || now - fileOpened >= rollNanos) {
            commit();
        }
    }

    private void append(long now, Sensor.Status s) throws IOException {
        ExtractionCounters c = s.counters();
        long[] cur = {c.capture.packets, c.capture.capturedBytes, c.capture.kernelDrops, c.capture.interfaceDrops,
                c.decode.errors.total(), c.capture.errors.total(), c.flows.records.total(), c.flows.records.get(dev.vigie.flow.EndReason.EVICTED),
                s.batches(), s.rowsScored(), s.mlAlerts() + s.profileAlerts() + s.ruleAlerts()};
        Instant wall = Instant.now();
        row.wallNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        row.tsNanos = s.captureNanos() > 0 ? s.captureNanos() : row.wallNanos;
        row.intervalSeconds = (now - lastRow) / 1e9;
        row.packets = cur[0] - last[0];
        row.bytes = cur[1] - last[1];
        row.kernelDrops = cur[2] - last[2];
        row.interfaceDrops = cur[3] - last[3];
        row.malformed = cur[4] - last[4];
        row.captureErrors = cur[5] - last[5];
        row.flowRecords = cur[6] - last[6];
        row.evictions = cur[7] - last[7];
        row.batches = cur[8] - last[8];
        row.rowsScored = cur[9] - last[9];
        row.alerts = cur[10] - last[10];
        row.scoringMs = s.scoringNanos() / 1e6 - scoringMsBefore;
        scoringMsBefore = s.scoringNanos() / 1e6;
        row.bundle = s.bundle();
        System.arraycopy(cur, 0, last, 0, cur.length);
        lastRow = now;
        if (file == null) {
            fileOpened = now;
            file = BatchOutput.open("parquet", dir.resolve("health-" + STAMP.format(Instant.now()) + "-"
                    + String.format("%04d", seq++) + ".parquet"), SCHEMA.arrowSchema(), allocator);
        }
        for (FieldVector v : vectors) {
            v.reset();
        }
        List<Column<Row>> cols = SCHEMA.columns();
        for (int i = 0; i < vectors.length; i++) {
            cols.get(i).filler().fill(vectors[i], 0, row);
        }
        root.setRowCount(1);
        file.write(root);
        rows++;
    }

    private void commit() throws IOException {
        if (file != null) {
            file.commit();
            file.close();
            file = null;
        }
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
        root.close();
    }
}
