package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, {@code vigie demo}, end to end on the labelled lab capture: every labelled attack draws
 * at least one alert naming its hosts; the benign background draws few; a tampered bundle is refused.
 */
class SenseLabTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));
    static final Path LAB = ROOT.resolve("datasets/lab");
    static final List<JsonNode> ALERTS = new ArrayList<>();
    static CliRun demo;

    @TempDir
    static Path tmp;

    /** One labelled attack window (datasets/lab/labels.csv). */
    record Label(String scenario, String attacker, Set<String> victims, double start, double end) {}

    @BeforeAll
    static void runDemo() throws Exception {
        assumeTrue(Files.exists(LAB.resolve("mixed.pcap")), "lab capture missing");
        demo = CliRun.of("demo", "--lab", LAB.toString(), "-o", tmp.resolve("demo").toString());
        assertEquals(0, demo.exit(), demo.toString());
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(tmp.resolve("demo/sensor/alerts"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    ALERTS.add(json.readTree(line));
                }
            }
        }
    }

    static List<Label> labels() throws Exception {
        List<Label> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(LAB.resolve("labels.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            out.add(new Label(f[0], f[1], Set.of(f[3].split(";")), Double.parseDouble(f[6]), Double.parseDouble(f[7])));
        }
        return out;
    }

    static double epoch(JsonNode alert) {
        Instant t = java.time.OffsetDateTime.parse(alert.path("timestamp").asText(),
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx")).toInstant();
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    static boolean names(JsonNode a, Label l) {
        String src = a.path("src_ip").asText();
        String dst = a.path("dest_ip").asText();
        return (src.equals(l.attacker()) && (l.victims().contains(dst) || dst.isEmpty()))
                || (dst.equals(l.attacker()) && l.victims().contains(src));
    }

    @Test
    void everyLabelledAttackDrawsAnAlertNamingItsHosts() throws Exception {
        TreeMap<String, String> missing = new TreeMap<>();
        StringBuilder found = new StringBuilder();
        for (Label l : labels()) {
            // an alert carries its flow's start time; aggregated rules (brute force) fire on a later flow of the window
            List<JsonNode> hits = ALERTS.stream()
                    .filter(a -> names(a, l) && epoch(a) >= l.start() - 1 && epoch(a) <= l.end() + 60).toList();
            Set<String> rules = new java.util.TreeSet<>();
            hits.forEach(a -> rules.add(a.path("vigie").path("rule_id").asText()));
            found.append(l.scenario()).append(": ").append(hits.size()).append(' ').append(rules).append('\n');
            if (hits.isEmpty()) {
                missing.put(l.scenario(), l.attacker() + " -> " + l.victims());
            }
        }
        System.out.println("[sense lab] alerts per scenario\n" + found);
        assertTrue(missing.isEmpty(), "no alert for " + missing + "\n" + found);
    }

    @Test
    void theSensorsInventoryFindsTheKaliMachineAgainstTheSignedReference() throws Exception {
        Path demoDir = tmp.resolve("demo");
        assertTrue(Files.isRegularFile(demoDir.resolve("bundle").resolve("assets/reference.parquet")), "signed into the bundle");
        Path inventory = demoDir.resolve("sensor/assets/assets.parquet");
        assertTrue(Files.isRegularFile(inventory), demo.out());
        List<JsonNode> kali = ALERTS.stream().filter(a -> a.path("src_ip").asText().equals("10.77.10.154")
                && a.path("vigie").path("rule_id").asText().startsWith("vigie.asset.")).toList();
        Set<String> rules = new java.util.TreeSet<>();
        kali.forEach(a -> rules.add(a.path("vigie").path("rule_id").asText()));
        assertTrue(rules.containsAll(Set.of("vigie.asset.new", "vigie.asset.offensive_hostname",
                "vigie.asset.offensive_repo_lookup")), rules.toString());
        JsonNode fresh = kali.stream().filter(a -> a.path("vigie").path("rule_id").asText().equals("vigie.asset.new"))
                .findFirst().orElseThrow();
        assertEquals("kali", fresh.path("vigie").path("evidence").path("hostname").asText());
        assertEquals("VMware, Inc.", fresh.path("vigie").path("evidence").path("vendor").asText());
        assertEquals("internal", fresh.path("vigie").path("evidence").path("src_zone").asText(), "asset alerts go through the same chain (zones)");
        // only the two newcomers are new; the benign hosts raise no asset alert
        Set<String> sources = new java.util.TreeSet<>();
        ALERTS.stream().filter(a -> a.path("vigie").path("rule_id").asText().startsWith("vigie.asset."))
                .forEach(a -> sources.add(a.path("src_ip").asText()));
        assertEquals(Set.of("10.77.10.154", "10.77.66.6"), sources);
        CliRun diff = CliRun.of("assets", "diff", demoDir.resolve("train/assets.parquet").toString(), inventory.toString());
        assertEquals(1, diff.exit(), diff.toString());
        assertTrue(diff.out().contains("+ 00:0c:29:4b:a1:17  10.77.10.154  VMware, Inc.  kali  Kali Linux"), diff.out());
        assertTrue(diff.out().contains("2 new, 0 gone"), diff.out());
    }

    @Test
    void modelAlertsExplainThemselves() {
        JsonNode ml = ALERTS.stream().filter(a -> a.path("vigie").path("rule_id").asText().equals("vigie.ml.anomaly"))
                .findFirst().orElseThrow();
        JsonNode ev = ml.path("vigie").path("evidence");
        assertTrue(ev.path("score").asDouble() >= 1.0, ev.toString());
        assertEquals(1.0, ev.path("threshold").asDouble());
        assertTrue(ev.path("model").asText().length() > 0, ev.toString());
        JsonNode top = ev.path("explanation");
        assertTrue(top.isArray() && top.size() > 0, ev.toString());
        for (JsonNode f : top) {
            assertTrue(f.has("feature") && f.has("value") && f.has("usual_min") && f.has("usual_max"), f.toString());
            assertTrue(f.path("usual_min").asDouble() <= f.path("usual_max").asDouble(), f.toString());
        }
        assertTrue(ml.path("community_id").asText().startsWith("1:"), ml.toString());
    }

    @Test
    void demoPrintsTheAlertTableAndTheOutputs() {
        assertTrue(demo.out().contains("rule or model"), demo.out());
        assertTrue(demo.out().contains("vigie.ml.anomaly"), demo.out());
        assertTrue(demo.out().contains("Outputs under"), demo.out());
        assertFalse(ALERTS.isEmpty());
    }

    @Test
    void aTamperedBundleIsRefusedAtStart() throws Exception {
        Path demoDir = tmp.resolve("demo");
        Path copy = tmp.resolve("tampered");
        copyTree(demoDir.resolve("bundle"), copy);
        Path model;
        try (Stream<Path> s = Files.list(copy.resolve("models"))) {
            model = s.filter(p -> p.toString().endsWith(".onnx")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(model);
        b[b.length / 2] ^= 1;
        Files.write(model, b);
        CliRun r = CliRun.of("sense", "-q", "--pcap", LAB.resolve("mixed.pcap").toString(), "--bundle", copy.toString(),
                "--trust", demoDir.resolve("trust").toString(), "--state", tmp.resolve("state-t.json").toString(),
                "-o", tmp.resolve("out-t").toString());
        assertEquals(13, r.exit(), r.toString());
        assertTrue(r.err().contains("refusing to start") && r.err().contains("hash"), r.err());
        assertFalse(Files.exists(tmp.resolve("out-t").resolve("alerts")), "nothing may run on a refused bundle");
    }

    @Test
    void alertsSayWhichZonesTheirHostsAreIn() {
        JsonNode exfil = ALERTS.stream().filter(a -> a.path("src_ip").asText().equals("10.77.10.103")
                && a.path("dest_ip").asText().equals("10.77.200.10")).findFirst().orElseThrow();
        assertEquals("internal", exfil.path("vigie").path("evidence").path("src_zone").asText(), exfil.toString());
        assertEquals("external", exfil.path("vigie").path("evidence").path("dest_zone").asText(), exfil.toString());
    }

    @Test
    void aBundleForAnotherSiteIsRefused() throws Exception {
        Path demoDir = tmp.resolve("demo");
        Path other = tmp.resolve("other-site.yaml");
        Files.writeString(other, "site: chu-nord\nnetworks:\n  internal: [10.0.0.0/8]\n");
        CliRun r = CliRun.of("sense", "-q", "--pcap", LAB.resolve("mixed.pcap").toString(), "--bundle",
                demoDir.resolve("bundle").toString(), "--trust", demoDir.resolve("trust").toString(),
                "--state", tmp.resolve("state-o.json").toString(), "--site-config", other.toString(),
                "-o", tmp.resolve("out-o").toString());
        assertEquals(24, r.exit(), r.toString());
        assertTrue(r.err().contains("is for site 'lab'") && r.err().contains("chu-nord"), r.err());
        Files.writeString(other, "site: lab\nnetworks:\n  internal: [10.0.0.0/33]\n");
        CliRun bad = CliRun.of("sense", "-q", "--pcap", LAB.resolve("mixed.pcap").toString(), "--bundle",
                demoDir.resolve("bundle").toString(), "--trust", demoDir.resolve("trust").toString(),
                "--state", tmp.resolve("state-o.json").toString(), "--site-config", other.toString(),
                "-o", tmp.resolve("out-o").toString());
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains(other + ":3: not an address or block"), bad.err());
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
