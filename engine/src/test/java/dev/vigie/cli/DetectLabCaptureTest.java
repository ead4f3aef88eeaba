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

/**
 * The built-in rules on the labelled lab captures (datasets/lab/labels.csv) with the lab's site file: each
 * scenario fires its rule naming its host, nothing else fires on the attack capture, and the benign capture
 * (agents polling the intranet, HL7 feeds, key-based SSH jobs, FTP transfers) raises nothing but the clear-text
 * credentials policy rule.
 */
class DetectLabCaptureTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));
    static final List<JsonNode> ALERTS = new ArrayList<>();
    static final List<JsonNode> BENIGN = new ArrayList<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void detect() throws Exception {
        Path lab = ROOT.resolve("datasets/lab");
        assumeTrue(Files.exists(lab.resolve("mixed.pcap")), "lab capture missing");
        ALERTS.addAll(detect(lab.resolve("mixed.pcap"), lab));
        BENIGN.addAll(detect(lab.resolve("benign.pcap"), lab));
    }

    static List<JsonNode> detect(Path capture, Path lab) throws Exception {
        Path out = tmp.resolve(capture.getFileName() + ".jsonl");
        CliRun r = CliRun.of("detect", "-q", capture.toString(), "--lists", lab.toString(),
                "--site-config", lab.resolve("site.yaml").toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.toString());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> alerts = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            alerts.add(json.readTree(line));
        }
        return alerts;
    }

    static Set<String> sources(String ruleId) {
        return sources(ALERTS, ruleId);
    }

    static Set<String> sources(List<JsonNode> alerts, String ruleId) {
        return alerts.stream().filter(a -> a.path("vigie").path("rule_id").asText().equals(ruleId))
                .map(a -> a.path("src_ip").asText()).collect(Collectors.toSet());
    }

    static Set<String> rules(List<JsonNode> alerts) {
        return alerts.stream().map(a -> a.path("vigie").path("rule_id").asText()).collect(Collectors.toSet());
    }

    @Test
    void everyScenarioFiresItsRuleAndNothingElseFires() {
        assertEquals(Set.of("10.77.66.6"), sources("vigie.ssh.bruteforce"),
                "hydra's 20 failed passwords in 4 sessions; the workstations' 130 key logins are not guesses");
        assertEquals(Set.of("10.77.10.107"), sources("vigie.beacon.periodic"),
                "only the C2 beacon: the intranet agents and HL7 devices are periodic but internal");
        JsonNode beacon = ALERTS.stream().filter(a -> a.path("vigie").path("rule_id").asText()
                .equals("vigie.beacon.periodic")).findFirst().orElseThrow();
        assertEquals("10.77.200.66", beacon.path("dest_ip").asText());
        assertEquals("external", beacon.path("vigie").path("evidence").path("dest_zone").asText(), "site.yaml: 10.77.200.0/24");
        assertEquals("internal", beacon.path("vigie").path("evidence").path("src_zone").asText());
        for (JsonNode a : ALERTS) {
            if (a.path("vigie").path("rule_id").asText().startsWith("vigie.dlp.")) {
                assertEquals("external", a.path("vigie").path("evidence").path("dest_zone").asText(), a.toString());
            }
            if (a.path("vigie").path("rule_id").asText().equals("vigie.ftp.bruteforce")) {
                assertEquals("internal", a.path("vigie").path("evidence").path("dest_zone").asText(), a.toString());
            }
        }
        for (String dlp : List.of("vigie.dlp.external_destination", "vigie.dlp.upload_external", "vigie.dlp.bulk_flow")) {
            assertEquals(Set.of("10.77.10.103"), sources(dlp), dlp + ": the exfiltration to the lab's documented Internet");
        }
        assertEquals(Set.of("vigie.ftp.bruteforce", "vigie.ssh.bruteforce", "vigie.scan.vertical", "vigie.tor.tls_like",
                "vigie.beacon.periodic", "vigie.dlp.external_destination", "vigie.dlp.upload_external",
                "vigie.dlp.bulk_flow", "vigie.dlp.bulk_host", "vigie.credentials.cleartext"), rules(ALERTS));
    }

    @Test
    void benignCaptureRaisesOnlyTheCleartextPolicyRule() {
        assertEquals(Set.of("vigie.credentials.cleartext"), rules(BENIGN), BENIGN.stream()
                .map(a -> a.path("vigie").path("rule_id").asText() + " " + a.path("src_ip").asText()).toList().toString());
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
