package dev.vigie.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.flow.FlowConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our flows against tshark (Wireshark 4.0.17), on the real captures shipped in datasets/captures. The expected
 * values were produced once by datasets/reference/make-reference.sh and are committed under
 * src/test/resources/reference/:
 * <ul>
 *   <li>capinfos.tsv: packet count and data size of every capture: our reader must match exactly;</li>
 *   <li>NAME.conv_tcp.tsv / conv_udp.tsv: tshark's conversations ({@code -z conv,tcp}, {@code -z conv,udp}): for
 *       every conversation, the packets each side sent must equal the sum over our flow records of that 5-tuple
 *       (summing makes the comparison independent of timeouts, which tshark does not have);</li>
 *   <li>NAME.packets.tsv.gz: tshark's per-packet fields, from which the IP bytes each side sent are summed
 *       (tshark's conversation bytes include link-layer headers; ours are IP bytes).</li>
 * </ul>
 * Conversations are left out, with the reason counted, when tshark sees through an encapsulation we do not decode
 * (PPPoE, IP-in-IP, GRE: tshark reports the inner conversation) or when the datagram was fragmented (tshark
 * reassembles and attributes every fragment to the last one's frame; we attribute each fragment as it comes).
 */
class TsharkReferenceTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));
    static final Path REF = Path.of("src/test/resources/reference");

    record Side(long frames, long ipBytes) {}

    @TestFactory
    List<DynamicTest> everyShippedCaptureMatchesTshark() throws IOException {
        Path captures = ROOT.resolve("datasets/captures");
        assumeTrue(Files.isDirectory(captures), "datasets/captures missing");
        List<DynamicTest> tests = new ArrayList<>();
        Map<String, String[]> capinfos = readTsv(REF.resolve("capinfos.tsv"), "path");
        try (Stream<Path> files = Files.list(captures)) {
            for (Path capture : files.filter(f -> f.toString().matches(".*\\.(pcap|pcapng)(\\.gz)?")).sorted().toList()) {
                String name = capture.getFileName().toString().replaceAll("\\.(pcap|pcapng)(\\.gz)?$", "");
                tests.add(DynamicTest.dynamicTest(name, () -> compare(capture, name, capinfos)));
            }
        }
        assertTrue(tests.size() >= 6, "at least six reference captures");
        return tests;
    }

    void compare(Path capture, String name, Map<String, String[]> capinfos) throws IOException {
        ExtractHarness h = ExtractHarness.run(FlowConfig.DEFAULTS, capture);
        assertTrue(h.counters.faults.isEmpty(), h.counters.faults.toString());
        String[] info = capinfos.get("datasets/captures/" + capture.getFileName());
        if (info != null) {
            assertEquals(Long.parseLong(info[1]), h.counters.capture.packets, "packets per capinfos");
            assertEquals(Long.parseLong(info[2]), h.counters.capture.wireBytes, "data size per capinfos");
        }

        // our records, summed per (protocol, endpoint, endpoint) and per sending endpoint
        Map<String, Map<String, Side>> ours = new HashMap<>();
        Set<String> fragmented = new HashSet<>();
        for (Map<String, Object> r : h.rows) {
            String proto = (String) r.get("proto");
            String o = r.get("orig_h") + "|" + r.get("orig_p");
            String s = r.get("resp_h") + "|" + r.get("resp_p");
            String key = tuple(proto, o, s);
            Map<String, Side> sides = ours.computeIfAbsent(key, k -> new HashMap<>());
            sides.merge(o, new Side((Long) r.get("orig_pkts"), (Long) r.get("orig_ip_bytes")), TsharkReferenceTest::add);
            sides.merge(s, new Side((Long) r.get("resp_pkts"), (Long) r.get("resp_ip_bytes")), TsharkReferenceTest::add);
            if (((Integer) r.get("fragments")) > 0) {
                fragmented.add(key);
            }
        }

        // tshark's per-packet fields: IP bytes per sending endpoint, and the conversations to leave out
        Map<String, Map<String, Side>> theirs = new HashMap<>();
        Set<String> excluded = new HashSet<>();
        Path packets = REF.resolve(name + ".packets.tsv.gz");
        assumeTrue(Files.exists(packets), "no reference for " + name);
        readPackets(packets, theirs, excluded);

        int compared = 0;
        Map<String, Integer> skipped = new TreeMap<>();
        for (String proto : List.of("tcp", "udp")) {
            Path conv = REF.resolve(name + ".conv_" + proto + ".tsv");
            if (!Files.exists(conv)) {
                continue;
            }
            for (String[] c : readRows(conv)) {
                String a = c[0] + "|" + c[1];
                String b = c[2] + "|" + c[3];
                String key = tuple(proto, a, b);
                if (excluded.contains(key)) {
                    skipped.merge("encapsulation tshark sees through", 1, Integer::sum);
                    continue;
                }
                if (fragmented.contains(key)) {
                    skipped.merge("fragmented", 1, Integer::sum);
                    continue;
                }
                Map<String, Side> mine = ours.getOrDefault(key, Map.of());
                long framesAtoB = Long.parseLong(c[4]);
                long framesBtoA = Long.parseLong(c[6]);
                String where = name + " " + proto + " " + a + " <-> " + b;
                assertEquals(framesAtoB, mine.getOrDefault(a, new Side(0, 0)).frames(), where + ": packets from A");
                assertEquals(framesBtoA, mine.getOrDefault(b, new Side(0, 0)).frames(), where + ": packets from B");
                Map<String, Side> ref = theirs.getOrDefault(key, Map.of());
                assertEquals(ref.getOrDefault(a, new Side(0, 0)).ipBytes(), mine.getOrDefault(a, new Side(0, 0)).ipBytes(),
                        where + ": IP bytes from A");
                assertEquals(ref.getOrDefault(b, new Side(0, 0)).ipBytes(), mine.getOrDefault(b, new Side(0, 0)).ipBytes(),
                        where + ": IP bytes from B");
                compared++;
            }
        }
        System.out.printf("%s: %d conversations equal to tshark's; left out: %s%n", name, compared, skipped);
        assertTrue(compared > 0 || !skipped.isEmpty(), name + ": no conversation compared");
    }

    static Side add(Side x, Side y) {
        return new Side(x.frames() + y.frames(), x.ipBytes() + y.ipBytes());
    }

    static String tuple(String proto, String a, String b) {
        return proto + " " + (a.compareTo(b) < 0 ? a + " " + b : b + " " + a);
    }

    /** Per-packet fields → IP bytes per (tuple, sender); tuples with tunnelled or unusual stacks → excluded. */
    static void readPackets(Path file, Map<String, Map<String, Side>> out, Set<String> excluded) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            String[] header = r.readLine().split("\t", -1);
            Map<String, Integer> col = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                col.put(header[i], i);
            }
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                String proto;
                String sport;
                String dport;
                if (!get(f, col, "tcp.srcport").isEmpty()) {
                    proto = "tcp";
                    sport = get(f, col, "tcp.srcport");
                    dport = get(f, col, "tcp.dstport");
                } else if (!get(f, col, "udp.srcport").isEmpty()) {
                    proto = "udp";
                    sport = get(f, col, "udp.srcport");
                    dport = get(f, col, "udp.dstport");
                } else {
                    continue;
                }
                String v4src = get(f, col, "ip.src");
                String v6src = get(f, col, "ipv6.src");
                String src = !v6src.isEmpty() ? last(v6src) : last(v4src);
                String dst = !v6src.isEmpty() ? last(get(f, col, "ipv6.dst")) : last(get(f, col, "ip.dst"));
                String a = src + "|" + last(sport);
                String b = dst + "|" + last(dport);
                String key = tuple(proto, a, b);
                String stack = get(f, col, "frame.protocols");
                int ipLayers = count(stack, ":ip:") + count(stack, ":ipv6:") + (stack.startsWith("ip:") || stack.startsWith("ipv6:") ? 1 : 0);
                if (ipLayers != 1 || stack.contains("pppoe") || stack.contains("gre") || sport.contains(",")
                        || stack.contains("icmp")) {
                    excluded.add(key);
                    continue;
                }
                long ipBytes = !v6src.isEmpty() ? 40 + Long.parseLong(get(f, col, "ipv6.plen"))
                        : Long.parseLong(get(f, col, "ip.len"));
                out.computeIfAbsent(key, k -> new HashMap<>()).merge(a, new Side(1, ipBytes), TsharkReferenceTest::add);
            }
        }
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    static String get(String[] f, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null || i >= f.length ? "" : f[i];
    }

    static String last(String aggregated) {
        int comma = aggregated.lastIndexOf(',');
        return comma < 0 ? aggregated : aggregated.substring(comma + 1);
    }

    static List<String[]> readRows(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        List<String[]> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (!l.isBlank()) {
                rows.add(l.split("\t", -1));
            }
        }
        return rows;
    }

    static Map<String, String[]> readTsv(Path tsv, String keyColumn) throws IOException {
        Map<String, String[]> out = new HashMap<>();
        if (!Files.exists(tsv)) {
            return out;
        }
        for (String[] row : readRows(tsv)) {
            out.put(row[0], row);
        }
        return out;
    }
}
