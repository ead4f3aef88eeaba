package dev.vigie.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.alerts.Alert;
import dev.vigie.training.ModelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rolling outputs: complete files only, hidden temporaries until then, rows never lost across rolls. */
class RollingFilesTest {
    @TempDir
    Path tmp;

    static List<Path> visible(Path dir, String ext) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".") && p.toString().endsWith(ext)).sorted().toList();
        }
    }

    @Test
    void parquetRollsByRowsAndEveryFileIsComplete() throws Exception {
        try (BufferAllocator allocator = new RootAllocator();
             RollingParquet out = new RollingParquet(tmp.resolve("scores"), "scores", ScoreTable.SCHEMA.arrowSchema(),
                     allocator, 250, Long.MAX_VALUE);
             ScoreTable table = new ScoreTable(allocator, 100, out)) {
            for (int i = 0; i < 1000; i++) {
                ScoreTable.Row r = table.row();
                r.tsNanos = i * 1_000_000_000L;
                r.flowId = i;
                r.origH = "10.0.0.1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                r.respH = "10.0.0.2".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                r.respP = 80;
                r.group = "all";
                r.modelVersion = "lab v1";
                r.score[ModelKind.ISOLATION_FOREST.ordinal()] = i / 1000.0;
                r.rawThreshold[ModelKind.ISOLATION_FOREST.ordinal()] = 0.45;
                r.score[ModelKind.KMEANS.ordinal()] = i / 2000.0;
                r.rawThreshold[ModelKind.KMEANS.ordinal()] = 2.5;
                r.combined = i / 1000.0;
                table.append();
            }
            table.flush();
            out.commit(); // the writer thread completes the last file; files roll at the first batch past 250 rows
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            for (Path f : visible(tmp.resolve("scores"), ".parquet")) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM read_parquet('" + f + "')")) {
                    rs.next();
                    assertTrue(rs.getLong(1) == 300 || rs.getLong(1) == 100, f + ": " + rs.getLong(1));
                }
            }
        }
        List<Path> files = visible(tmp.resolve("scores"), ".parquet");
        assertEquals(4, files.size());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT flow_id), max(score) FROM read_parquet('"
                     + tmp.resolve("scores") + "/*.parquet')")) {
            rs.next();
            assertEquals(1000, rs.getLong(1));
            assertEquals(1000, rs.getLong(2));
            assertEquals(0.999, rs.getDouble(3), 1e-9);
        }
        // the analysts' layout: one row per flow and model, combined without a raw threshold
        String view = ScoreTable.longView("SELECT * FROM read_parquet('" + tmp.resolve("scores") + "/*.parquet')");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = c.createStatement().executeQuery("SELECT model, count(*), sum(score), min(raw_threshold),"
                     + " max(raw_threshold), min(threshold), max(threshold), count(DISTINCT flow_id)"
                     + " FROM (" + view + ") GROUP BY model ORDER BY model")) {
            String[] models = {"combined", "isolation_forest", "kmeans"};
            double[] sums = {499.5, 499.5, 249.75};
            Double[] raw = {null, 0.45, 2.5};
            for (int m = 0; m < 3; m++) {
                assertTrue(rs.next());
                assertEquals(models[m], rs.getString(1));
                assertEquals(1000, rs.getLong(2));
                assertEquals(sums[m], rs.getDouble(3), 1e-9);
                assertEquals(raw[m], rs.getObject(4) == null ? null : rs.getDouble(4));
                assertEquals(raw[m], rs.getObject(5) == null ? null : rs.getDouble(5));
                assertEquals(1.0, rs.getDouble(6));
                assertEquals(1.0, rs.getDouble(7));
                assertEquals(1000, rs.getLong(8));
            }
            assertFalse(rs.next(), "one row per flow and model kind, and combined");
        }
        try (Stream<Path> s = Files.list(tmp.resolve("scores"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary left");
        }
    }

    @Test
    void alertFilesRollAndAFailedRunStillCompletesWhatItWrote() throws Exception {
        Path dir = tmp.resolve("alerts");
        try (AlertLog log = new AlertLog(dir, 1)) { // roll after 1 ns: every tick completes the file
            Alert a = AlertAggregatorTest.alert("r", "a", "b", 1);
            log.accept(a);
            assertTrue(visible(dir, ".jsonl").isEmpty(), "the open file is hidden");
            log.maybeRoll(System.nanoTime() + 10);
            assertEquals(1, visible(dir, ".jsonl").size());
            log.accept(a);
            log.accept(a);
            // no commit: closing as after a failure
        }
        List<Path> files = visible(dir, ".jsonl");
        assertEquals(2, files.size());
        assertEquals(2, Files.readAllLines(files.get(1)).size(), "alerts already raised are not lost");
    }
}
