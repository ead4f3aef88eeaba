package dev.vigie.sensor;

import dev.vigie.features.FlowBatchBuilder;
import dev.vigie.io.BatchOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Batches of one table into {@code DIR/<prefix>-<UTC start>-<seq>.parquet}, a new file after {@code maxRows} rows or
 * {@code rollNanos} of wall time. Each file is written under a hidden temporary name and renamed when complete
 * ({@link BatchOutput}), so analysts and retraining jobs that list {@code *.parquet} only ever see whole files.
 * <p>
 * The writing happens on a writer thread of its own: the packet loop only moves the batch's buffers into a new
 * batch (no copy of the data) and queues it, so neither the spilling of batches nor the Parquet conversion of a
 * completed file (seconds for ten minutes of flows) ever stalls capture. The queue holds at most
 * {@value #QUEUE} batches: past that the loop waits for the writer (back-pressure, nothing dropped).
 */
public final class RollingParquet implements FlowBatchBuilder.BatchConsumer, Sensor.Tickable, AutoCloseable {
    static final int QUEUE = 16;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    /** A unit of the writer's work: a batch to append, or the end of the current file, or the end of all. */
    private record Task(VectorSchemaRoot batch, boolean complete, boolean stop) {}

    private static final Task COMPLETE = new Task(null, true, false);
    private static final Task STOP = new Task(null, false, true);

    private final Path dir;
    private final String prefix;
    private final Schema schema;
    private final BufferAllocator allocator;
    private final long maxRows;
    private final long rollNanos;
    private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private volatile Throwable failure;

    // loop-thread state
    private long openedAt = Long.MIN_VALUE;
    private long rowsInFile;
    private long rows;

    // writer-thread state: the output is bound to one root (BatchOutput), into which each batch's buffers move
    private BatchOutput current;
    private VectorSchemaRoot fileRoot;
    private int seq;
    private volatile long files;

    public RollingParquet(Path dir, String prefix, Schema schema, BufferAllocator allocator, long maxRows, long rollNanos) {
        this.dir = dir;
        this.prefix = prefix;
        this.schema = schema;
        this.allocator = allocator;
        this.maxRows = maxRows;
        this.rollNanos = rollNanos;
        this.writer = new Thread(this::drain, "vigie-writer-" + prefix);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void accept(VectorSchemaRoot batch) {
        check();
        int n = batch.getRowCount();
        if (n == 0) {
            return;
        }
        VectorSchemaRoot moved = moveOut(batch);
        if (openedAt == Long.MIN_VALUE) {
            openedAt = System.nanoTime();
        }
        put(new Task(moved, false, false));
        rows += n;
        rowsInFile += n;
        if (rowsInFile >= maxRows) {
            roll();
        }
    }

    /** Moves the batch's buffers into a new root and gives the batch fresh, zeroed buffers of the same capacity. */
    private VectorSchemaRoot moveOut(VectorSchemaRoot batch) {
        int n = batch.getRowCount();
        List<FieldVector> source = batch.getFieldVectors();
        VectorSchemaRoot out = VectorSchemaRoot.create(batch.getSchema(), allocator);
        List<FieldVector> target = out.getFieldVectors();
        for (int i = 0; i < source.size(); i++) {
            FieldVector s = source.get(i);
            int capacity = Math.max(n, s.getValueCapacity());
            s.makeTransferPair(target.get(i)).transfer();
            s.setInitialCapacity(capacity);
            s.allocateNew();
        }
        out.setRowCount(n);
        return out;
    }

    @Override
    public void tick(long wallNanos, Sensor.Status status) {
        check();
        if (openedAt != Long.MIN_VALUE && wallNanos != Long.MAX_VALUE && wallNanos - openedAt >= rollNanos) {
            roll();
        }
    }

    private void roll() {
        put(COMPLETE);
        openedAt = Long.MIN_VALUE;
        rowsInFile = 0;
    }

    private void put(Task task) {
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while queueing a batch for " + dir));
        }
    }

    private void drain() {
        while (true) {
            Task task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task.stop()) {
                return;
            }
            if (failure != null) {
                if (task.batch() != null) {
                    task.batch().close();
                }
                continue;
            }
            try {
                if (task.complete()) {
                    complete();
                } else {
                    write(task.batch());
                }
            } catch (RuntimeException | Error e) {
                failure = e instanceof UncheckedIOException u ? u.getCause() : e;
            }
        }
    }

    private void write(VectorSchemaRoot batch) {
        try (batch) {
            if (current == null) {
                current = BatchOutput.open("parquet", dir.resolve(prefix + "-" + STAMP.format(Instant.now()) + "-"
                        + String.format("%04d", seq++) + ".parquet"), schema, allocator);
                fileRoot = VectorSchemaRoot.create(schema, allocator);
            }
            List<FieldVector> from = batch.getFieldVectors();
            List<FieldVector> to = fileRoot.getFieldVectors();
            for (int i = 0; i < from.size(); i++) {
                from.get(i).makeTransferPair(to.get(i)).transfer();
            }
            fileRoot.setRowCount(batch.getRowCount());
            current.write(fileRoot);
            for (FieldVector v : to) {
                v.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void complete() {
        if (current == null) {
            return;
        }
        try {
            current.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            current.close();
            current = null;
            fileRoot.close();
            fileRoot = null;
        }
        files++;
    }

    /** The writer's first failure, reported on the loop's thread (the run stops: outputs cannot be written). */
    private void check() {
        Throwable f = failure;
        if (f != null) {
            throw new UncheckedIOException(f instanceof IOException io ? io : new IOException(String.valueOf(f.getMessage()), f));
        }
    }

    /** Completes the last file and waits for the writer to finish. */
    public void commit() throws IOException {
        put(COMPLETE);
        stop();
        if (failure != null) {
            throw failure instanceof IOException io ? io : new IOException(String.valueOf(failure.getMessage()), failure);
        }
    }

    private void stop() {
        if (!writer.isAlive()) {
            return;
        }
        put(STOP);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Completed files so far (exact after {@link #commit}). */
    public long files() {
        return files;
    }

    public long rows() {
        return rows;
    }

    public Path dir() {
        return dir;
    }

    /** Stops the writer; a file that was not committed is discarded (the run failed before it was complete). */
    @Override
    public void close() {
        stop();
        for (Task t; (t = queue.poll()) != null; ) {
            if (t.batch() != null) {
                t.batch().close(); // never written: give the buffers back
            }
        }
        if (current != null) {
            current.close();
            current = null;
        }
        if (fileRoot != null) {
            fileRoot.close();
            fileRoot = null;
        }
    }
}
