package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DLP rules 9000053 (upload to a public address) and 9000054 (HL7 to a peer outside hl7_peers) on the lab
 * captures through {@code vigie detect}.
 *
 * <p>The lab's "Internet" is 10.77.200.0/24, an RFC 1918 range (datasets/lab/README.md), so a rule about public
 * destinations cannot fire on mixed.pcap as captured. The test therefore also runs on a copy whose drop server
 * 10.77.200.10 is moved to 198.51.100.7 (TEST-NET-2, public for {@code is_private}) in every IPv4 header: the
 * same packets, payloads untouched (the FTP data channel is announced with EPSV, which carries no address, and
 * vigie does not verify checksums).
 */
class DlpRulesLabTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));
    static final byte[] DROP = {10, 77, (byte) 200, 10};
    static final byte[] PUBLIC = {(byte) 198, 51, 100, 7};

    @TempDir
    Path tmp;

    /** One line per DLP alert: rule id, source, destination, app_proto. */
    static Set<String> dlpAlerts(Path alerts) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Set<String> s = new TreeSet<>();
        for (String line : Files.readAllLines(alerts)) {
            JsonNode a = json.readTree(line);
            String id = a.path("vigie").path("rule_id").asText();
            if (id.startsWith("vigie.dlp.")) {
                s.add(id + " " + a.path("src_ip").asText() + " " + a.path("dest_ip").asText() + " "
                        + a.path("vigie").path("evidence").path("fields").path("app_proto").asText());
            }
        }
        return s;
    }

    Set<String> detect(Path pcap, Path lists) throws Exception {
        Path alerts = tmp.resolve("alerts-" + pcap.getFileName() + "-" + lists.getFileName() + ".jsonl");
        CliRun d = CliRun.of("detect", "-q", pcap.toString(), "--lists", lists.toString(), "-o", alerts.toString());
        assertEquals(0, d.exit(), d.toString());
        return dlpAlerts(alerts);
    }

    /** A copy of a little-endian Ethernet pcap with {@code from} replaced by {@code to} in IPv4 headers. */
    static Path moveAddress(Path in, Path out, byte[] from, byte[] to) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(in)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt(0), "little-endian microsecond pcap");
        assertEquals(1, b.getInt(20), "Ethernet");
        int moved = 0;
        for (int p = 24; p + 16 <= b.limit(); ) {
            int incl = b.getInt(p + 8);
            int d = p + 16;
            if (incl >= 34 && (b.get(d + 12) & 0xFF) == 0x08 && b.get(d + 13) == 0) {
                for (int off : new int[] {d + 26, d + 30}) {
                    if (b.get(off) == from[0] && b.get(off + 1) == from[1] && b.get(off + 2) == from[2] && b.get(off + 3) == from[3]) {
                        b.put(off, to[0]).put(off + 1, to[1]).put(off + 2, to[2]).put(off + 3, to[3]);
                        moved++;
                    }
                }
            }
            p = d + incl;
        }
        assertTrue(moved > 50, "the drop server's packets: " + moved);
        Files.write(out, b.array());
        return out;
    }

    Path lists(String name, String... hl7Peers) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.copy(ROOT.resolve("datasets/lab/tor-exit-nodes.lst"), dir.resolve("tor-exit-nodes.lst"));
        if (hl7Peers.length > 0) {
            Files.write(dir.resolve("hl7_peers.lst"), List.of(hl7Peers));
        }
        return dir;
    }

    @Test
    void uploadToAPublicAddressFiresOnTheExfiltrationOnlyOnceTheDropIsPublic() throws Exception {
        Path mixed = ROOT.resolve("datasets/lab/mixed.pcap");
        Path benign = ROOT.resolve("datasets/lab/benign.pcap");
        assumeTrue(Files.exists(mixed) && Files.exists(benign), "lab captures missing");
        Path lists = lists("plain");
        Path moved = moveAddress(mixed, tmp.resolve("mixed-public.pcap"), DROP, PUBLIC);

        List<String> upload = new ArrayList<>();
        for (String a : detect(moved, lists)) {
            if (a.startsWith("vigie.dlp.upload_external ")) {
                upload.add(a);
            }
        }
        assertEquals(List.of("vigie.dlp.upload_external 10.77.10.103 198.51.100.7 ftp-data",
                "vigie.dlp.upload_external 10.77.10.103 198.51.100.7 http"), upload,
                "the HTTP POST and the FTP STOR data channel of exfil_http and exfil_ftp, nothing else");
        assertTrue(detect(moved, lists).stream().anyMatch(a -> a.startsWith("vigie.dlp.external_destination ")),
                "9000050 fires as well once the destination is public");

        assertTrue(detect(mixed, lists).stream().noneMatch(a -> a.startsWith("vigie.dlp.upload_external ")),
                "as captured, the drop 10.77.200.10 is RFC 1918: not public");
        assertEquals(Set.of(), detect(benign, lists), "benign: no DLP alert at all");
    }

    @Test
    void hl7ToAPeerOutsideTheSiteListFiresOnlyWithTheListAndOnlyForUnlistedPeers() throws Exception {
        Path mixed = ROOT.resolve("datasets/lab/mixed.pcap");
        Path benign = ROOT.resolve("datasets/lab/benign.pcap");
        assumeTrue(Files.exists(mixed) && Files.exists(benign), "lab captures missing");
        Path site = lists("site", "# the HL7 interface engine", "10.77.1.75");
        for (Path p : List.of(mixed, benign)) {
            assertTrue(detect(p, site).stream().noneMatch(a -> a.startsWith("vigie.dlp.hl7_unknown_peer ")),
                    p + ": every HL7 feed goes to the listed engine");
        }
        assertTrue(detect(mixed, lists("none")).stream().noneMatch(a -> a.startsWith("vigie.dlp.hl7_unknown_peer ")),
                "no hl7_peers list: the rule is inactive");

        // a site whose list names another engine: the lab feeds now go to an unknown peer
        Set<String> hl7 = new TreeSet<>();
        for (String a : detect(benign, lists("other", "10.77.1.76"))) {
            if (a.startsWith("vigie.dlp.hl7_unknown_peer ")) {
                hl7.add(a);
            }
        }
        assertEquals(Set.of("vigie.dlp.hl7_unknown_peer 10.77.20.11 10.77.1.75 hl7",
                "vigie.dlp.hl7_unknown_peer 10.77.20.12 10.77.1.75 hl7",
                "vigie.dlp.hl7_unknown_peer 10.77.20.13 10.77.1.75 hl7"), hl7, "the three devices' feeds, suppressed per pair");
    }
}
