package dev.vigie.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.extract.ExtractHarness;
import dev.vigie.flow.FlowConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The committed lab dataset is readable end to end, and the dataset tools' own tests pass. */
class DatasetToolsTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));

    @Test
    void pcapshiftUnitTestsPass() throws Exception {
        Path test = ROOT.resolve("datasets/tools/test_pcapshift.py");
        assumeTrue(Files.exists(test));
        Process p;
        try {
            p = new ProcessBuilder("python3", test.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException noPython) {
            assumeTrue(false, "python3 not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("OK"), out);
    }

    /** A capture moved to 2100 (pcapshift --start) gives the same flows: no time arithmetic overflows. */
    @Test
    void farFutureTimestampsGiveTheSameFlows(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path original = ROOT.resolve("datasets/captures/http-dns-wikipedia.pcap");
        Path tool = ROOT.resolve("datasets/tools/pcapshift.py");
        assumeTrue(Files.exists(original) && Files.exists(tool));
        Path shifted = tmp.resolve("2100.pcap");
        Process p;
        try {
            p = new ProcessBuilder("python3", tool.toString(), "--start", "4102444800", original.toString(),
                    shifted.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException noPython) {
            assumeTrue(false, "python3 not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        ExtractHarness a = ExtractHarness.run(FlowConfig.DEFAULTS, original);
        ExtractHarness b = ExtractHarness.run(FlowConfig.DEFAULTS, shifted);
        assertEquals(a.rows.size(), b.rows.size());
        assertEquals(a.sum("orig_pkts"), b.sum("orig_pkts"));
        assertEquals(a.sum("resp_ip_bytes"), b.sum("resp_ip_bytes"));
        assertEquals(a.rows.stream().map(r -> r.get("duration")).toList(),
                b.rows.stream().map(r -> r.get("duration")).toList());
    }

    @Test
    void labCapturesMatchTheirReadme() throws Exception {
        Path benign = ROOT.resolve("datasets/lab/benign.pcap");
        Path mixed = ROOT.resolve("datasets/lab/mixed.pcap");
        assumeTrue(Files.exists(benign) && Files.exists(mixed));
        // figures from datasets/lab/README.md (capinfos on the generated files)
        ExtractHarness b = ExtractHarness.run(FlowConfig.DEFAULTS, benign);
        assertEquals(42_581, b.counters.capture.packets);
        assertEquals(8_066_129, b.counters.capture.wireBytes);
        assertEquals(0, b.counters.decode.errors.total());
        ExtractHarness m = ExtractHarness.run(FlowConfig.DEFAULTS, mixed);
        assertEquals(55_837, m.counters.capture.packets);
        assertEquals(9_538_103, m.counters.capture.wireBytes);
        List<String> lines = Files.readAllLines(ROOT.resolve("datasets/lab/labels.csv"));
        assertEquals(10, lines.size(), "header and nine scenarios");
        // the FTP brute force of labels.csv: 40 failed logins from 10.77.66.6 to the FTP server
        long ftpFlows = m.rows.stream().filter(r -> "10.77.66.6".equals(r.get("orig_h"))
                && "10.77.1.21".equals(r.get("resp_h")) && Integer.valueOf(21).equals(r.get("resp_p"))).count();
        assertTrue(ftpFlows >= 6, "hydra's FTP connections: " + ftpFlows);
        long benignAttacker = b.rows.stream().filter(r -> "10.77.66.6".equals(r.get("orig_h"))).count();
        assertEquals(0, benignAttacker, "the benign capture holds no attacker traffic");
    }
}
