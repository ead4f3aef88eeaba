package dev.vigie.assets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowConfig;
import dev.vigie.protocols.ProtocolAnalyzers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The inventory against tshark on the same packets (expected values in src/test/resources/reference-assets,
 * made by datasets/reference/make-asset-reference.sh): every ARP binding, every DHCP host name and every
 * (MAC, private IPv4 source) pair tshark shows is in the inventory, and the inventory holds no MAC that tshark does not
 * show as a frame's source, an ARP sender or a DHCP client hardware address.
 */
class AssetsTsharkTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "lab-benign, datasets/lab/benign.pcap",
            "lab-mixed, datasets/lab/mixed.pcap",
            "arppoison, ../shared/captures/chrissanders-packets/arppoison.pcapng",
            "arp-storm, ../shared/captures/Protocol_Protectors/arp-storm.pcap",
            "netbios, ../shared/captures/nDPI/tests/cfgs/default/pcap/netbios.pcap",
            "nmap-vsn, ../shared/captures/zeek/testing/btest/Traces/nmap-vsn.pcap",
            "wikipedia, ../shared/captures/zeek/testing/btest/Traces/wikipedia.pcap",
            "var-services, ../shared/captures/zeek/testing/btest/Traces/var-services-std-ports.pcap",
            "sample, ../shared/captures/Protocol_Protectors/Sample.pcapng",
            "tcp-scan, ../shared/captures/nDPI/tests/cfgs/default/pcap/tcp_scan.pcapng",
            "smb-psexec, ../shared/captures/suricata-verify/tests/smb2-07/20171220_smb_psexec_add_user.pcap",
            "1kxun, ../shared/captures/nDPI/tests/cfgs/default/pcap/1kxun.pcap",
            "teams, ../shared/captures/nDPI/tests/cfgs/default/pcap/teams.pcap",
            "tor, ../shared/captures/Protocol_Protectors/tor.pcap"})
    void inventoryMatchesTshark(String name, String capture) throws IOException {
        Path file = ROOT.resolve(capture);
        assumeTrue(Files.isRegularFile(file), "no " + file + " (the shared corpus is absent on a fresh clone)");
        AssetScan.Result r = AssetScan.run(FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, ProtocolAnalyzers.standard()),
                List.of(file), AssetConfig.defaults(), null, Duration.ZERO, a -> { }, ProgressListener.NONE);
        Map<String, AssetRecord> byMac = new HashMap<>();
        Map<String, AssetRecord> byId = new HashMap<>();
        for (AssetRecord a : r.assets()) {
            if (a.mac() != null && a.assetId().equals(a.mac())) byMac.put(a.mac(), a);
            byId.put(a.assetId(), a);
        }
        Set<String> tsharkMacs = new HashSet<>();
        for (String[] m : rows(name + ".macs.tsv")) tsharkMacs.add(m[0]);
        List<String> missing = new ArrayList<>();
        for (String[] b : rows(name + ".arp.tsv")) {
            tsharkMacs.add(b[0]);
            if (!holds(byMac, byId, b[0], b[1])) missing.add("arp " + b[0] + " " + b[1]);
        }
        for (String[] b : rows(name + ".l2.tsv")) {
            tsharkMacs.add(b[0]);
            if (!holds(byMac, byId, b[0], b[1])) missing.add("ip " + b[0] + " " + b[1]);
        }
        int names = 0;
        for (String[] d : rows(name + ".dhcp.tsv")) {
            tsharkMacs.add(d[0]);
            AssetRecord a = byMac.get(d[0]);
            String want = d[1].toLowerCase();
            if (a == null || a.hostnames().stream().noneMatch(h -> h.equals(want + " (dhcp)"))) missing.add("dhcp " + d[0] + " " + d[1]);
            names++;
        }
        assertEquals(List.of(), missing, name + ": in tshark's output, not in the inventory");
        for (String mac : byMac.keySet()) {
            // DHCP's chaddr and ARP's sender are MACs tshark lists; a MAC of ours that tshark never showed is invented
            assertTrue(tsharkMacs.contains(mac), name + ": " + mac + " not in tshark's output");
        }
        System.out.printf("%s: %d assets, %d ARP bindings, %d DHCP names, %d (MAC, address) pairs as tshark%n", name,
                r.assets().size(), rows(name + ".arp.tsv").size(), names, rows(name + ".l2.tsv").size());
    }

    /** The inventory knows {@code ip} for {@code mac}: on the MAC's asset, or on an address asset routed by it. */
    private static boolean holds(Map<String, AssetRecord> byMac, Map<String, AssetRecord> byId, String mac, String ip) {
        AssetRecord a = byMac.get(mac);
        if (a != null && (a.ips().contains(ip) || a.ips().size() >= 8)) return true;
        AssetRecord routed = byId.get("ip:" + ip);
        return routed != null && (mac.equals(routed.mac()) || routed.otherMacs().contains(mac));
    }

    static List<String[]> rows(String resource) throws IOException {
        try (InputStream in = AssetsTsharkTest.class.getResourceAsStream("/reference-assets/" + resource)) {
            if (in == null) throw new IOException("missing reference " + resource);
            try (Stream<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()) {
                return lines.filter(l -> !l.isBlank()).map(l -> l.split("\t")).toList();
            }
        }
    }
}
