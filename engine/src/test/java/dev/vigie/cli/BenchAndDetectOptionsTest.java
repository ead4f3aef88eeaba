package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options this build added to {@code vigie bench extract} and {@code vigie detect}: use and bad input. */
class BenchAndDetectOptionsTest {
    static final Path LAB = Path.of(System.getProperty("vigie.root", "..")).resolve("datasets/lab");

    @TempDir
    Path tmp;

    static void oneLineError(CliRun r, int exit, String... words) {
        assertEquals(exit, r.exit(), r.toString());
        for (String w : words) assertTrue(r.err().contains(w), r.toString());
        assertFalse(r.err().contains("Exception") || r.err().contains("internal error"), r.toString());
    }

    @Test
    void benchExtractRunsAnAnalyzerSetWithRulesAgainstTheBaseline() {
        Path pcap = LAB.resolve("benign.pcap");
        assumeTrue(Files.isRegularFile(pcap));
        CliRun r = CliRun.of("bench", "extract", "--analyzers", "protocols", "--rules", "--baseline", "--repeat", "1",
                pcap.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("pass 1 baseline: "), r.out());
        assertTrue(r.out().contains("pass 1 protocols+rules: "), r.out());
        assertTrue(r.out().matches("(?s).*rules: \\d+ active of \\d+ built-in.*"), r.out());
        assertTrue(r.out().matches("(?s).*cost against the baseline .*: [+-]\\d+% time per packet.*"), r.out());
    }

    @Test
    void benchExtractRefusesAnUnknownAnalyzerSet() {
        oneLineError(CliRun.of("bench", "extract", "--analyzers", "everything", LAB.resolve("benign.pcap").toString()),
                2, "--analyzers must be all, protocols or none, not everything");
    }

    @Test
    void benchFlowsReportsBothTiersOfTheFlowTable() {
        CliRun compact = CliRun.of("bench", "flows", "--flows", "2000", "--packets", "2");
        assertEquals(0, compact.exit(), compact.toString());
        assertTrue(compact.out().contains("2,000 live flows created"), compact.out());
        assertTrue(compact.out().contains("bytes per live flow of 2 packets"), compact.out());
        assertTrue(compact.out().contains("flows holding full statistics: 0 "), compact.out());
        CliRun full = CliRun.of("bench", "flows", "--flows", "2000", "--packets", "3");
        assertEquals(0, full.exit(), full.toString());
        assertTrue(full.out().contains("flows holding full statistics: 2,000 "), full.out());
    }

    @Test
    void benchFlowsRefusesNoFlowsOrNoPackets() {
        oneLineError(CliRun.of("bench", "flows", "--flows", "0"), 2, "--flows must be at least 1");
        oneLineError(CliRun.of("bench", "flows", "--packets", "0"), 2, "--packets must be at least 1");
    }

    @Test
    void detectRefusesABadSiteFileNamingIt() throws Exception {
        Path pcap = LAB.resolve("benign.pcap");
        assumeTrue(Files.isRegularFile(pcap));
        Path bad = tmp.resolve("site.yaml");
        Files.writeString(bad, "site: lab\nnetworks:\n  internal:\n    - 10.0.0.0/33\n");
        oneLineError(CliRun.of("detect", pcap.toString(), "--site-config", bad.toString(), "-o",
                tmp.resolve("a.jsonl").toString()), 2, "invalid site configuration", bad.toString());
        assertFalse(Files.exists(tmp.resolve("a.jsonl")), "no alert file for a run that did not start");
    }
}
