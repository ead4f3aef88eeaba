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
 * The packet loop only moves the batch's buffers into a new batch (no copy of the data) and queues it. A writer
 * thread encodes queued batches into the open file's temporary Parquet pages ({@code ParquetFileWriter}, ~1.5 µs per
 * 170-column flow row); when a file rolls, it hands the sealed file to a committer thread, which writes its last row
 * group and footer, forces it to disk and renames it into place, while the writer goes on with the next file. So a
 * slow disk at commit never holds up the batch queue.
 * Back-pressure, nothing dropped: the batch queue holds at most {@value #QUEUE} batches and the committer at most
 * {@value #PENDING_FILES} sealed files; past that the loop waits, and the time it waited is counted
 * ({@link #stalledNanos}).
 */
public final class RollingParquet implements FlowBatchBuilder.BatchConsumer, Sensor.Tickable, AutoCloseable {
    static final int QUEUE = 16;
    static final int PENDING_FILES = 2;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    /** A unit of the writer's work: a batch to append, or the end of the current file, or the end of all. */
    private record Task(VectorSchemaRoot batch, boolean complete, boolean stop) {}

    private static final Task COMPLETE = new Task(null, true, false);
    private static final Task STOP = new Task(null, false, true);

    /** A rolled file, all batches written, waiting for its footer and rename; the root is the one it is bound to. */
    private record Sealed(BatchOutput output, VectorSchemaRoot root) {}

    private static final Sealed NO_MORE = new Sealed(null, null);

    /** Opens the output of one file (Parquet in the sensor; tests give slow or failing ones). */
    @FunctionalInterface
    interface Opener {
        BatchOutput open(Path path, Schema schema, BufferAllocator allocator) throws IOException;
    }

    private final Path dir;
    private final String prefix;
    private final Schema schema;
    private final BufferAllocator allocator;
    private final long maxRows;
    private final long rollNanos;
    private final Opener opener;
    private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(QUEUE);
    private final BlockingQueue<Sealed> sealed = new ArrayBlockingQueue<>(PENDING_FILES);
    private final Thread writer;
    private final Thread committer;
    private volatile Throwable failure;

    // loop-thread state
    private long openedAt = Long.MIN_VALUE;
    private long rowsInFile;
    private long rows;
    private long stalledNanos;
    private long stalls;

    // writer-thread state: the output is bound to one root (BatchOutput), into which each batch's buffers move
    private BatchOutput current;
    private VectorSchemaRoot fileRoot;
    private int seq;
    private volatile long files;

    public RollingParquet(Path dir, String prefix, Schema schema, BufferAllocator allocator, long maxRows, long rollNanos) {
        this(dir, prefix, schema, allocator, maxRows, rollNanos, (p, s, a) -> BatchOutput.open("parquet", p, s, a));
    }

    RollingParquet(Path dir, String prefix, Schema schema, BufferAllocator allocator, long maxRows, long rollNanos,
                   Opener opener) {
        this.opener = opener;
        this.dir = dir;
        this.prefix = prefix;
        this.schema = schema;
        this.allocator = allocator;
        this.maxRows = maxRows;
        this.rollNanos = rollNanos;
        this.writer = new Thread(this::drain, "vigie-writer-" + prefix);
        writer.setDaemon(true);
        this.committer = new Thread(this::commitSealed, "vigie-commit-" + prefix);
        committer.setDaemon(true);
        writer.start();
        committer.start();
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
        if (queue.offer(task)) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            queue.put(task);
            stalls++;
            stalledNanos += System.nanoTime() - t0;
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
                fail(e);
            }
        }
    }

    /** Records a writer or committer failure; the first one is what the loop reports. */
    private void fail(Throwable e) {
        if (failure == null) {
            failure = e instanceof UncheckedIOException u ? u.getCause() : e;
        }
    }

    private void write(VectorSchemaRoot batch) {
        try (batch) {
            if (current == null) {
                current = opener.open(dir.resolve(prefix + "-" + STAMP.format(Instant.now()) + "-"
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

    /** Hands the current file to the committer (waiting while it has {@value #PENDING_FILES} files to commit). */
    private void complete() {
        if (current == null) {
            return;
        }
        Sealed file = new Sealed(current, fileRoot);
        current = null;
        fileRoot = null;
        try {
            sealed.put(file);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            file.output().close();
            file.root().close();
            throw new UncheckedIOException(new IOException("interrupted while handing over a file of " + dir));
        }
    }

    /** The committer thread: sealed files completed and renamed into place, in the order they rolled. */
    private void commitSealed() {
        while (true) {
            Sealed file;
            try {
                file = sealed.take();
            } catch (InterruptedException e) {
                return;
            }
            if (file == NO_MORE) {
                return;
            }
            try {
                if (failure == null) {
                    file.output().commit();
                    files++;
                }
            } catch (IOException | RuntimeException | Error e) {
                fail(e);
            } finally {
                file.output().close();
                file.root().close();
            }
        }
    }

    /** The writer's first failure, reported on the loop's thread (the run stops: outputs cannot be written). */
    private void check() {
        Throwable f = failure;
        if (f != null) {
            throw new UncheckedIOException(f instanceof IOException io ? io : new IOException(String.valueOf(f.getMessage()), f));
        }
    }

    /** Completes the last file and waits for the writer and the committer to finish. */
    public void commit() throws IOException {
        put(COMPLETE);
        stop();
        if (failure != null) {
            throw failure instanceof IOException io ? io : new IOException(String.valueOf(failure.getMessage()), failure);
        }
    }

    /** Stops the writer, then the committer once it has committed every file the writer sealed. */
    private void stop() {
        try {
            if (writer.isAlive()) {
                put(STOP);
                writer.join();
            }
            if (committer.isAlive()) {
                sealed.put(NO_MORE);
                committer.join();
            }
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

    /** Time the packet loop waited because the writer or the committer was behind (ns; loop thread). */
    public long stalledNanos() {
        return stalledNanos;
    }

    /** Batches that had to wait for room in the queue (loop thread). */
    public long stalls() {
        return stalls;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Stops the writer; files that rolled are still committed (their rows are complete), the open one is discarded
     * (the run failed before it was complete).
     */
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
