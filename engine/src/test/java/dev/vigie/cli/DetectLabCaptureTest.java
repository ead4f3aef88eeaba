package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in rules on the labelled lab capture (datasets/lab/labels.csv): right hosts, no stale values. */
class DetectLabCaptureTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));
    static final List<JsonNode> ALERTS = new ArrayList<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void detect() throws Exception {
        Path mixed = ROOT.resolve("datasets/lab/mixed.pcap");
        assumeTrue(Files.exists(mixed), "lab capture missing");
        Path out = tmp.resolve("alerts.jsonl");
        CliRun r = CliRun.of("detect", "-q", mixed.toString(), "--lists", ROOT.resolve("datasets/lab").toString(),
                "-o", out.toString());
        assertEquals(0, r.exit(), r.toString());
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out)) {
            ALERTS.add(json.readTree(line));
        }
    }

    static Set<String> sources(String ruleId) {
        return ALERTS.stream().filter(a -> a.path("vigie").path("rule_id").asText().equals(ruleId))
                .map(a -> a.path("src_ip").asText()).collect(Collectors.toSet());
    }

    @Test
    void ftpBruteForceNamesOnlyTheAttacker() {
        assumeTrue(StandardPipeline.schema().arrowSchema().findField("ftp_login_failed") != null);
        assertEquals(Set.of("10.77.66.6"), sources("vigie.ftp.bruteforce"),
                "hydra ran from 10.77.66.6; workstations had no failed login");
    }

    @Test
    void torLikeTlsNamesTheWorkstation() {
        assumeTrue(StandardPipeline.schema().arrowSchema().findField("tls_sni") != null);
        assertEquals(Set.of("10.77.10.105"), sources("vigie.tor.tls_like"));
    }

    @Test
    void portScansNameTheAttackerAndTheRogueKali() {
        Set<String> s = sources("vigie.scan.vertical");
        assertTrue(s.contains("10.77.66.6"), s.toString());
        assertTrue(s.contains("10.77.10.154"), s.toString());
    }

    @Test
    void everyAlertIsWellFormedEve() {
        assertFalse(ALERTS.isEmpty());
        for (JsonNode a : ALERTS) {
            assertEquals("alert", a.path("event_type").asText());
            assertTrue(a.path("alert").path("signature_id").asLong() >= 9_000_000, a.toString());
            assertTrue(a.path("community_id").asText().startsWith("1:"), a.toString());
        }
    }
}
