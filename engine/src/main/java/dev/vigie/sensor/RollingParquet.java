package dev.vigie.sensor;

import dev.vigie.features.FlowBatchBuilder;
import dev.vigie.io.BatchOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Batches of one table into {@code DIR/<prefix>-<UTC start>-<seq>.parquet}, a new file after {@code maxRows} rows or
 * {@code rollNanos} of wall time. Each file is written under a hidden temporary name and renamed when complete
 * ({@link BatchOutput}), so analysts and retraining jobs that list {@code *.parquet} only ever see whole files.
 */
public final class RollingParquet implements FlowBatchBuilder.BatchConsumer, Sensor.Tickable, AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final String prefix;
    private final Schema schema;
    private final BufferAllocator allocator;
    private final long maxRows;
    private final long rollNanos;
    private BatchOutput current;
    private long openedAt;
    private int seq;
    private long files;
    private long rows;

    public RollingParquet(Path dir, String prefix, Schema schema, BufferAllocator allocator, long maxRows, long rollNanos) {
        this.dir = dir;
        this.prefix = prefix;
        this.schema = schema;
        this.allocator = allocator;
        this.maxRows = maxRows;
        this.rollNanos = rollNanos;
    }

    @Override
    public void accept(VectorSchemaRoot batch) {
        try {
            if (current == null) {
                openedAt = System.nanoTime();
                current = BatchOutput.open("parquet", dir.resolve(prefix + "-" + STAMP.format(Instant.now()) + "-"
                        + String.format("%04d", seq++) + ".parquet"), schema, allocator);
            }
            current.write(batch);
            rows += batch.getRowCount();
            if (current.rows() >= maxRows) {
                complete();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void tick(long wallNanos, Sensor.Status status) throws IOException {
        if (current != null && wallNanos != Long.MAX_VALUE && wallNanos - openedAt >= rollNanos) {
            complete();
        }
    }

    private void complete() throws IOException {
        current.commit();
        current.close();
        current = null;
        files++;
    }

    /** Completes the last file. */
    public void commit() throws IOException {
        if (current != null) {
            complete();
        }
    }

    public long files() {
        return files;
    }

    public long rows() {
        return rows;
    }

    public Path dir() {
        return dir;
    }

    /** Discards a file that was not committed (the run failed before it was complete). */
    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
