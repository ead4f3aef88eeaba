package dev.vigie.cli;

import static dev.vigie.cli.BenchAndDetectOptionsTest.oneLineError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigie train --trees / --sample-size}: the forest's size reaches the models, the bundle and its provenance. */
class TrainOptionsTest {
    @TempDir
    static Path tmp;
    static Path flows;

    @BeforeAll
    static void flows() {
        Path pcap = BenchAndDetectOptionsTest.LAB.resolve("benign.pcap");
        assumeTrue(Files.isRegularFile(pcap), "lab capture missing");
        flows = tmp.resolve("benign.parquet");
        assertEquals(0, CliRun.of("extract", "-q", pcap.toString(), "-o", flows.toString()).exit());
    }

    @Test
    void forestSizeGoesIntoTheModelsAndTheTrainingRecord() throws Exception {
        Path out = tmp.resolve("small");
        CliRun r = CliRun.of("train", "--site", "lab", "--trees", "12", "--sample-size", "64", flows.toString(),
                "-o", out.toString());
        assertEquals(0, r.exit(), r.toString());
        String models = Files.readString(out.resolve("models.json"));
        assertTrue(models.contains("trees=12 sample=64 height_limit=6"), models);
        assertFalse(models.contains("trees=100"), models);
        String run = Files.readString(out.resolve("training.json"));
        assertTrue(run.matches("(?s).*\"forest\" : \\{\\s*\"trees\" : 12,\\s*\"sampleSize\" : 64,.*"), run);
    }

    @Test
    void defaultsAreThePapers() throws Exception {
        Path out = tmp.resolve("default");
        assertEquals(0, CliRun.of("train", "-q", "--site", "lab", flows.toString(), "-o", out.toString()).exit());
        assertTrue(Files.readString(out.resolve("models.json")).contains("trees=100 sample=256 height_limit=8"));
    }

    @Test
    void refusesAForestThatCannotBeGrown() {
        oneLineError(CliRun.of("train", "--site", "lab", "--trees", "0", flows.toString(), "-o",
                tmp.resolve("x").toString()), 2, "--trees must be between 1 and 10,000, got 0");
        oneLineError(CliRun.of("train", "--site", "lab", "--sample-size", "1", flows.toString(), "-o",
                tmp.resolve("y").toString()), 2, "--sample-size must be between 2 and 65,536, got 1");
        assertFalse(Files.exists(tmp.resolve("x")) || Files.exists(tmp.resolve("y")), "nothing written");
    }
}
