package dev.vigie.assets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.alerts.Alert;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowConfig;
import dev.vigie.protocols.ProtocolAnalyzers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inventory on the lab captures (datasets/lab): the benign window's assets are the lab's hosts, with their
 * roles; against it the mixed capture's unknown Kali machine and rogue laptop are found, and nothing else.
 */
class AssetsLabTest {
    static final Path LAB = Path.of(System.getProperty("vigie.root", "..")).resolve("datasets/lab");
    /** The lab's site file puts 10.77.200.0/24 outside ("the Internet"); the rest of 10.77/16 is the site. */
    static final AssetConfig SITE = AssetConfig.defaults()
            .withInternal(a -> a.startsWith("10.77.") && !a.startsWith("10.77.200."));
    static Inventory reference;
    static AssetScan.Result benign;

    static AssetScan.Result scan(String capture, Inventory ref, List<Alert> alerts) {
        Path p = LAB.resolve(capture);
        assumeTrue(Files.isRegularFile(p), "no " + p);
        return AssetScan.run(FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, ProtocolAnalyzers.standard()), List.of(p),
                SITE, ref, Duration.ZERO, alerts::add, ProgressListener.NONE);
    }

    @BeforeAll
    static void learnTheBenignWindow() {
        benign = scan("benign.pcap", null, new ArrayList<>());
        reference = new Inventory(benign.assets(), "benign.pcap");
    }

    static Map<String, String[]> hosts() throws Exception {
        // name,role,ip,mac: the role may hold quoted commas, so the address and MAC are the last two fields
        return Files.readAllLines(LAB.resolve("hosts.csv")).stream().skip(1).map(l -> l.split(","))
                .map(f -> new String[]{f[0], "", f[f.length - 2], f[f.length - 1]})
                .collect(Collectors.toMap(f -> f[3], f -> f));
    }

    @Test
    void theBenignWindowHoldsTheLabHostsWithTheirAddressesNamesAndRoles() throws Exception {
        Map<String, String[]> hosts = hosts();
        Set<String> expected = new HashSet<>();
        for (String[] h : hosts.values()) {
            if (!h[2].startsWith("10.77.200.") && !h[0].equals("kali") && !h[0].equals("attacker")) expected.add(h[3]);
        }
        Set<String> found = benign.assets().stream().map(AssetRecord::assetId).collect(Collectors.toSet());
        assertEquals(expected, found, "exactly the internal hosts of hosts.csv that are present in the benign phase");
        for (AssetRecord a : benign.assets()) {
            String[] h = hosts.get(a.mac());
            assertEquals(h[2], a.ip(), a.assetId());
            assertEquals(OuiTable.LOCALLY_ADMINISTERED, a.vendor());
            String want = h[0].startsWith("srv-") ? "server" : h[0].startsWith("ws") ? "workstation" : "biomedical";
            assertEquals(want, a.deviceClass(), h[0] + ": " + a.roleReasons());
            if (h[0].startsWith("ws")) assertEquals(h[0], a.hostname(), "DHCP option 12");
            assertEquals("Linux", a.osFamily(), h[0] + ": " + a.osReasons());
            assertTrue(a.indicators().isEmpty(), h[0] + " " + a.indicators());
        }
        AssetRecord hl7 = find(benign, "02:77:01:00:00:4b");
        assertEquals(List.of("tcp/2575 hl7"), hl7.services());
        assertTrue(find(benign, "02:77:01:00:00:35").services().containsAll(List.of("udp/53 dns", "udp/67 dhcp")));
        AssetRecord pump = find(benign, "02:77:14:00:00:0c");
        assertTrue(pump.hl7Types().contains("ORU^R01"), pump.hl7Types().toString());
        assertEquals(List.of("10.77.1.75"), pump.peerList(), "a pump talks to the HL7 engine only");
        assertTrue(find(benign, "02:77:01:00:00:0a").hostnames().contains("www.hopital.lan (dns-ptr)"));
    }

    @Test
    void theBenignWindowAgainstItselfRaisesNothing() {
        List<Alert> alerts = new ArrayList<>();
        scan("benign.pcap", reference, alerts);
        assertEquals(List.of(), alerts.stream().map(a -> a.ruleId() + " " + a.srcIp()).toList());
    }

    @Test
    void theMixedCaptureRevealsTheKaliMachineAndTheRogueLaptopOnly() {
        List<Alert> alerts = new ArrayList<>();
        AssetScan.Result mixed = scan("mixed.pcap", reference, alerts);
        InventoryDiff diff = InventoryDiff.between(reference, new Inventory(mixed.assets(), "mixed.pcap"));
        assertEquals(Set.of("00:0c:29:4b:a1:17", "02:77:42:00:00:06"),
                diff.added().stream().map(AssetRecord::assetId).collect(Collectors.toSet()));
        AssetRecord kali = find(mixed, "00:0c:29:4b:a1:17");
        assertEquals("10.77.10.154", kali.ip());
        assertEquals("kali", kali.hostname());
        assertEquals("VMware, Inc.", kali.vendor());
        assertEquals("Linux", kali.osFamily());
        assertEquals("Kali Linux", kali.osDetail(), kali.osReasons());
        assertTrue(kali.scanner());
        String indicators = String.join("; ", kali.indicators());
        for (String want : List.of("host name kali", "kali.org", "kali.download", "nmap-like", "scanning")) {
            assertTrue(indicators.contains(want), want + " in " + indicators);
        }
        // every alert names one of the two newcomers; the Kali machine gets each indicator's alert
        Set<String> sources = alerts.stream().map(Alert::srcIp).collect(Collectors.toSet());
        assertEquals(Set.of("10.77.10.154", "10.77.66.6"), sources, alerts.toString());
        Set<String> kaliRules = alerts.stream().filter(a -> a.srcIp().equals("10.77.10.154")).map(Alert::ruleId)
                .collect(Collectors.toSet());
        assertEquals(Set.of("vigie.asset.new", "vigie.asset.offensive_hostname", "vigie.asset.offensive_repo_lookup",
                "vigie.asset.scanner_probe", "vigie.asset.new_scanner"), kaliRules);
        Alert fresh = alerts.stream().filter(a -> a.ruleId().equals("vigie.asset.new") && a.srcIp().equals("10.77.10.154"))
                .findFirst().orElseThrow();
        assertEquals("kali", fresh.evidence().get("hostname"));
        assertEquals("VMware, Inc.", fresh.evidence().get("vendor"));
        assertEquals(9200001, fresh.signatureId());
        assertEquals(List.of("T1200"), fresh.techniqueIds());
    }

    @Test
    void aGracePeriodLearnsNewcomersSilently() {
        List<Alert> alerts = new ArrayList<>();
        Path p = LAB.resolve("mixed.pcap");
        assumeTrue(Files.isRegularFile(p));
        AssetScan.run(FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, ProtocolAnalyzers.standard()), List.of(p), SITE,
                reference, Duration.ofHours(1), alerts::add, ProgressListener.NONE);
        assertTrue(alerts.stream().noneMatch(a -> a.ruleId().equals("vigie.asset.new")), alerts.toString());
        assertTrue(alerts.stream().anyMatch(a -> a.ruleId().equals("vigie.asset.offensive_hostname")),
                "indicators do not wait for the grace period");
    }

    @Test
    void aBiomedicalDeviceOutsideItsBaselineIsReported() {
        // the pump's baseline as if it had only ever spoken DICOM to 10.77.1.99 and sent 10 bytes: in the mixed
        // capture its HL7 to the engine is then a new protocol, a new peer and far above its volume
        List<AssetRecord> edited = new ArrayList<>();
        for (AssetRecord a : reference.records()) {
            if (!a.assetId().equals("02:77:14:00:00:0c")) {
                edited.add(a);
                continue;
            }
            edited.add(new AssetRecord(a.assetId(), a.mac(), a.vendor(), a.ip(), a.ips(), a.otherMacs(), a.hostname(),
                    a.hostnames(), a.firstSeenNs(), a.lastSeenNs(), a.osFamily(), a.osDetail(), a.osConfidence(),
                    a.osReasons(), "biomedical", a.roleReasons(), a.services(), List.of("dicom"), a.hl7Types(),
                    a.dicomAes(), 1, List.of("10.77.1.99"), true, a.flows(), a.flowsOrig(), a.flowsResp(), 10,
                    a.bytesIn(), false, List.of(), null, null, 64, null, AssetRecord.OBSERVED, null, List.of()));
        }
        List<Alert> alerts = new ArrayList<>();
        scan("mixed.pcap", new Inventory(edited, "edited"), alerts);
        Set<String> pump = alerts.stream().filter(a -> a.srcIp().equals("10.77.20.12")).map(Alert::ruleId)
                .collect(Collectors.toSet());
        assertTrue(pump.containsAll(Set.of("vigie.asset.biomedical_new_protocol", "vigie.asset.biomedical_new_peer")),
                pump.toString());
        Alert peer = alerts.stream().filter(a -> a.ruleId().equals("vigie.asset.biomedical_new_peer")).findFirst().orElseThrow();
        assertEquals("10.77.1.75", peer.evidence().get("peer"));
        assertEquals(Set.of("10.77.20.12"), alerts.stream().filter(a -> a.ruleId().startsWith("vigie.asset.biomedical"))
                .map(Alert::srcIp).collect(Collectors.toSet()), "the other devices are within their baseline");
    }

    static AssetRecord find(AssetScan.Result r, String id) {
        AssetRecord a = r.assets().stream().filter(x -> x.assetId().equals(id)).findFirst().orElse(null);
        assertNotNull(a, id);
        return a;
    }
}
