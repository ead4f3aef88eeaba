package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of a run: the sensor flushes its flows, completes its files and exits; nothing partial is
 * left. Runs {@code vigie sense} in a child JVM and sends it SIGTERM ({@link Process#destroy}).
 */
class SenseStopTest {
    @TempDir
    Path tmp;

    @Test
    void sigtermCompletesEveryFileAndLeavesNothingPartial() throws Exception {
        Path lab = SenseLabTest.LAB;
        assumeTrue(Files.exists(lab.resolve("mixed.pcap")), "lab capture missing");
        Path demo = tmp.resolve("demo");
        assertEquals(0, CliRun.of("demo", "--lab", lab.toString(), "-o", demo.toString()).exit());
        Path out = tmp.resolve("out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                VigieCommand.class.getName(), "sense", "--bundle", demo.resolve("bundle").toString(),
                "--trust", demo.resolve("trust").toString(), "--state", tmp.resolve("state.json").toString(),
                "-o", out.toString(), "--batch-rows", "64", "--pcap"));
        for (int i = 0; i < 40; i++) {
            cmd.add(lab.resolve("mixed.pcap").toString()); // long enough to be stopped midway
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!hasHiddenAlertFile(out) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "the run ended before it could be stopped: " + Files.readString(tmp.resolve("log.txt")));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the sensor did not stop");
        String log = Files.readString(tmp.resolve("log.txt"));
        assertFalse(log.contains("A fatal error has been detected"), log);
        assertEquals(0, p.exitValue(), "a stop asked for by SIGTERM is an orderly end\n" + log);
        for (String dir : List.of("alerts", "flows", "scores", "health")) {
            try (Stream<Path> s = Files.list(out.resolve(dir))) {
                List<Path> files = s.toList();
                assertFalse(files.isEmpty(), dir + " has no file\n" + log);
                assertTrue(files.stream().noneMatch(f -> f.getFileName().toString().startsWith(".")),
                        dir + ": a temporary was left " + files + "\n" + log);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), sum(packets) FROM read_parquet('"
                     + out.resolve("health") + "/*.parquet')")) {
            rs.next();
            long packets = rs.getLong(2);
            assertTrue(packets > 0 && packets < 40L * 55_837, "stopped midway, counted: " + packets);
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM read_parquet('"
                     + out.resolve("flows") + "/*.parquet')")) {
            rs.next();
            assertTrue(rs.getLong(1) > 0);
        }
    }

    private static boolean hasHiddenAlertFile(Path out) throws Exception {
        Path alerts = out.resolve("alerts");
        if (!Files.isDirectory(alerts)) return false;
        try (Stream<Path> s = Files.list(alerts)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith("."));
        }
    }
}
