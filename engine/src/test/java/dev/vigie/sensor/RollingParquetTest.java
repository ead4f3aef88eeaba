package dev.vigie.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.io.BatchOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit of a rolled file (its footer, fsync and rename: slow on a busy disk) runs beside the writing of the next
 * one: a sensor whose file is being committed keeps accepting batches, far past the batch queue's size, and loses none.
 */
class RollingParquetTest {
    static final Schema SCHEMA = new Schema(List.of(new Field("n", FieldType.nullable(new ArrowType.Int(64, true)), null)));

    @TempDir
    Path tmp;

    /** Parquet outputs whose first commit waits for {@code release}: a commit that takes as long as we want. */
    static RollingParquet.Opener gated(CountDownLatch release, AtomicInteger commitsStarted) {
        return (path, schema, allocator) -> {
            BatchOutput real = BatchOutput.open("parquet", path, schema, allocator);
            return new BatchOutput() {
                @Override public void write(VectorSchemaRoot batch) throws IOException { real.write(batch); }
                @Override public void commit() throws IOException {
                    if (commitsStarted.getAndIncrement() == 0) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                    real.commit();
                }
                @Override public void close() { real.close(); }
                @Override public Path path() { return real.path(); }
                @Override public long rows() { return real.rows(); }
            };
        };
    }

    static void fill(VectorSchemaRoot batch, long first, int rows) {
        BigIntVector v = (BigIntVector) batch.getVector(0);
        for (int i = 0; i < rows; i++) v.setSafe(i, first + i);
        batch.setRowCount(rows);
    }

    @Test
    void batchesKeepFlowingWhileARolledFileIsConverted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger commits = new AtomicInteger();
        int batches = 4 * RollingParquet.QUEUE;
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot batch = VectorSchemaRoot.create(SCHEMA, allocator);
             RollingParquet out = new RollingParquet(tmp.resolve("t"), "t", SCHEMA, allocator, Long.MAX_VALUE, 1,
                     gated(release, commits))) {
            fill(batch, 0, 100);
            out.accept(batch);
            out.tick(System.nanoTime() + 1_000_000, null); // the first file rolls; its commit now hangs
            Thread loop = new Thread(() -> {
                for (int b = 1; b <= batches; b++) {
                    fill(batch, b * 100L, 100);
                    out.accept(batch);
                }
            });
            loop.start();
            loop.join(TimeUnit.SECONDS.toMillis(30));
            boolean blocked = loop.isAlive();
            assertEquals(1, commits.get(), "the first file's commit started");
            assertEquals(0, out.files(), "and is still held");
            release.countDown();
            loop.join();
            assertFalse(blocked, "the packet loop waited for a file commit to finish");
            out.commit();
            assertEquals(2, out.files());
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT n), max(n) FROM read_parquet('"
                     + tmp.resolve("t") + "/*.parquet')")) {
            rs.next();
            assertEquals(100L * (batches + 1), rs.getLong(1));
            assertEquals(100L * (batches + 1), rs.getLong(2));
            assertEquals(100L * (batches + 1) - 1, rs.getLong(3));
        }
        assertEquals(2, RollingFilesTest.visible(tmp.resolve("t"), ".parquet").size());
    }

    @Test
    void aRunThatStopsWithoutCommitStillCompletesTheFilesThatRolled() throws Exception {
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot batch = VectorSchemaRoot.create(SCHEMA, allocator)) {
            RollingParquet out = new RollingParquet(tmp.resolve("u"), "u", SCHEMA, allocator, Long.MAX_VALUE, 1);
            fill(batch, 0, 10);
            out.accept(batch);
            out.tick(System.nanoTime() + 1_000_000, null);
            fill(batch, 10, 10);
            out.accept(batch);
            out.close(); // as after a failure: the open file is discarded, the rolled one is not lost
            assertEquals(1, out.files());
        }
        List<Path> files = RollingFilesTest.visible(tmp.resolve("u"), ".parquet");
        assertEquals(1, files.size());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), max(n) FROM read_parquet('" + files.get(0) + "')")) {
            rs.next();
            assertEquals(10, rs.getLong(1));
            assertEquals(9, rs.getLong(2));
        }
        assertTrue(java.nio.file.Files.list(tmp.resolve("u")).allMatch(p -> p.toString().endsWith(".parquet")),
                "no temporary left");
    }
}
