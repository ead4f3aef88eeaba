package dev.vigie.flow;

import static dev.vigie.decode.DecodedPacket.TCP_ACK;
import static dev.vigie.decode.DecodedPacket.TCP_FIN;
import static dev.vigie.decode.DecodedPacket.TCP_RST;
import static dev.vigie.decode.DecodedPacket.TCP_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.capture.CaptureCounters;
import dev.vigie.capture.CaptureException;
import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.decode.DecodeCounters;
import dev.vigie.decode.DecodeResult;
import dev.vigie.decode.PacketDecoder;
import dev.vigie.extract.ExtractHarness;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.protocols.ProtocolAnalyzers;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Comparator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The compact tier of {@link Flow} (first packets held as packed summaries, full statistics taken later) must give
 * exactly the figures of full statistics from the first packet. The reference is a second table fed the same
 * decoded packets with the compact tier off; every public reading of every record is compared.
 */
class CompactFlowTest {
    static final Path DATASETS = Path.of("..", "datasets");

    /** Every public reading of a flow record, by reflection so that a reading added later is covered too. */
    static String reading(Flow f) {
        StringBuilder b = new StringBuilder();
        try {
            for (Method m : sorted(Flow.class)) {
                Object v = m.invoke(f);
                if (v instanceof DirectionStats d) {
                    b.append(m.getName()).append('{');
                    for (Method dm : sorted(DirectionStats.class)) {
                        b.append(dm.getName()).append('=').append(dm.invoke(d)).append(',');
                    }
                    for (int i = 0; i < 8; i++) {
                        b.append("flag").append(i).append('=').append(d.flagCount(i)).append(',');
                    }
                    b.append("streamStart=").append(d.streamStart(12345)).append("} ");
                } else {
                    b.append(m.getName()).append('=').append(v).append(' ');
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return b.toString();
    }

    private static List<Method> sorted(Class<?> c) {
        List<Method> out = new ArrayList<>();
        for (Method m : c.getMethods()) {
            if (m.getParameterCount() == 0 && m.getReturnType() != void.class && m.getDeclaringClass() == c
                    && !Modifier.isStatic(m.getModifiers())) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing(Method::getName));
        return out;
    }

    /** Configurations that reach every path by which a compact flow ends or goes on. */
    static final FlowConfig[] CONFIGS = {
            FlowConfig.DEFAULTS,
            // parts, idle splits, short lingers and evictions
            FlowConfig.DEFAULTS.withActiveTimeout(Duration.ofSeconds(2))
                    .withIdleTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(1),
                            Duration.ofSeconds(1))
                    .withTcpLinger(Duration.ofMillis(10)).withMaxFlows(64)};

    @Test
    void shippedCapturesGiveTheSameRecordsAsFullStatisticsFromTheFirstPacket() throws IOException {
        List<Path> captures = new ArrayList<>();
        try (Stream<Path> s = Files.list(DATASETS.resolve("captures"))) {
            s.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().forEach(captures::add);
        }
        captures.add(DATASETS.resolve("lab/benign.pcap"));
        captures.add(DATASETS.resolve("lab/mixed.pcap"));
        assertTrue(captures.size() >= 10, "captures found: " + captures);
        long[] totals = compareWithAndWithoutCompactForm(captures);
        assertTrue(totals[1] > 10_000, "the captures exercise the compact tier: " + totals[1]
                + " packets held in compact form, " + totals[0] + " records");
    }

    @Test
    void sharedCapturesGiveTheSameRecordsAsFullStatisticsFromTheFirstPacket() throws IOException {
        String shared = System.getProperty("vigie.shared");
        Path dir = shared == null ? null : Path.of(shared, "captures");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(dir), "no ../shared/captures in this checkout");
        List<Path> captures;
        try (Stream<Path> s = Files.walk(dir)) {
            captures = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap|pcap\\.gz)$"))
                    .sorted().toList();
        }
        assertTrue(captures.size() > 100, "shared captures: " + captures.size());
        long[] totals = compareWithAndWithoutCompactForm(captures);
        assertTrue(totals[0] > 10_000, totals[0] + " records");
    }

    /** Records (index 0) and packets held in compact form (1) over all captures and configurations. */
    static long[] compareWithAndWithoutCompactForm(List<Path> captures) {
        long records = 0, heldCompact = 0;
        for (FlowConfig cfg : CONFIGS) {
            for (Path capture : captures) {
                List<String> compact = new ArrayList<>(), full = new ArrayList<>();
                long[] held = {0};
                FlowTable withCompact = new FlowTable(cfg, (f, r) -> compact.add(r + " " + reading(f)),
                        new FlowCounters());
                withCompact.addAnalyzer(new FlowAnalyzer() {
                    @Override public void bind(int slot, int slotCount) {}
                    @Override public void onPacket(Flow f, DecodedPacket q, CapturedPacket fr, boolean fromOrig) {
                        if (f.isCompact()) held[0]++;
                    }
                });
                FlowTable reference = new FlowTable(cfg, (f, r) -> full.add(r + " " + reading(f)), new FlowCounters(), 0);
                PacketDecoder decoder = new PacketDecoder(new DecodeCounters());
                DecodedPacket p = new DecodedPacket();
                try (MergedPacketSource source = CaptureFiles.openAll(List.of(capture), new CaptureCounters())) {
                    CapturedPacket frame;
                    while ((frame = source.next()) != null) {
                        if (decoder.decode(frame, p) == DecodeResult.IP) {
                            withCompact.onPacket(p, frame);
                            reference.onPacket(p, frame);
                        }
                    }
                } catch (CaptureException e) {
                    // an unreadable file: both tables saw the same packets up to the fault
                }
                withCompact.flushAll();
                reference.flushAll();
                assertEquals(full.size(), compact.size(), capture + ": records");
                for (int i = 0; i < full.size(); i++) {
                    assertEquals(full.get(i), compact.get(i), capture + " record " + i);
                }
                records += full.size();
                heldCompact += held[0];
            }
        }
        return new long[] {records, heldCompact};
    }

    @Test
    void withTheStandardAnalyzersShortUdpFlowsStayCompactToTheEnd() {
        // the protocol parsers and the content scanner read no statistics of a flow that has not needed them
        ExtractHarness h = ExtractHarness.run(
                FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, ProtocolAnalyzers.standard()),
                DATASETS.resolve("lab/mixed.pcap"), DATASETS.resolve("captures/http-dns-wikipedia.pcap"));
        long shortUdp = h.rows.stream().filter(r -> "udp".equals(r.get("proto")) && ((Number) r.get("part")).intValue() == 0
                && ((Number) r.get("orig_pkts")).longValue() + ((Number) r.get("resp_pkts")).longValue() <= 2).count();
        assertTrue(shortUdp > 100, "short UDP flows in the captures: " + shortUdp);
        assertTrue(h.counters.flows.compactRecords >= shortUdp,
                h.counters.flows.compactRecords + " compact records, " + shortUdp + " short UDP flows");
        assertTrue(h.counters.flows.compactRecords < h.rows.size());
    }

    final List<String> histories = new ArrayList<>();
    final List<Long> packets = new ArrayList<>();
    final PacketMaker m = new PacketMaker();
    static final String C = "10.0.0.1", S = "10.0.0.2";

    FlowTable table() {
        return new FlowTable(FlowConfig.DEFAULTS, (f, r) -> {
            histories.add(f.history().toString());
            packets.add(f.packets());
        }, new FlowCounters());
    }

    /** The flow of the latest packet, seen by an analyzer that reads nothing. */
    static Flow[] lastFlowSeen(FlowTable t) {
        Flow[] seen = new Flow[1];
        t.addAnalyzer(new FlowAnalyzer() {
            @Override public void bind(int slot, int slotCount) {}
            @Override public void onPacket(Flow flow, DecodedPacket p, CapturedPacket frame, boolean fromOrig) {
                seen[0] = flow;
            }
        });
        return seen;
    }

    @Test
    void twoPacketsStayCompactAndTheThirdTakesFullStatistics() {
        FlowTable t = table();
        Flow[] seen = lastFlowSeen(t);
        m.tcp(1.0, C, 40000, S, 80, TCP_SYN, 1000, 0).into(t);
        assertTrue(seen[0].isCompact());
        assertEquals(1, seen[0].packets());
        m.tcp(1.1, S, 80, C, 40000, TCP_SYN | TCP_ACK, 5000, 0).into(t);
        assertTrue(seen[0].isCompact());
        assertEquals(2, seen[0].packets());
        assertEquals(0, seen[0].payloadPackets());
        m.tcp(1.2, C, 40000, S, 80, TCP_ACK, 1001, 0).into(t);
        assertFalse(seen[0].isCompact());
        assertEquals(3, seen[0].packets());
        assertEquals("ShA", seen[0].history().toString());
        assertEquals("S1", seen[0].connState());
    }

    @Test
    void aFinOrRstTakesFullStatisticsAtOnceSoTheTableSeesTheClose() {
        FlowTable t = table();
        Flow[] seen = lastFlowSeen(t);
        m.tcp(1.0, C, 40000, S, 80, TCP_SYN, 1000, 0).into(t);
        assertTrue(seen[0].isCompact());
        m.tcp(1.1, S, 80, C, 40000, TCP_RST | TCP_ACK, 0, 0).into(t);
        assertFalse(seen[0].isCompact());
        assertTrue(seen[0].closing, "the RST put the flow in the closing list");
        m.tcp(2.0, C, 40001, S, 80, TCP_FIN | TCP_ACK, 1000, 0).into(t);
        assertFalse(seen[0].isCompact());
    }

    @Test
    void aFlowFlippedBySynAckFirstKeepsItsCaretAndEveryCountWhenItEndsCompact() {
        FlowTable t = table();
        m.tcp(1.0, S, 80, C, 40000, TCP_SYN | TCP_ACK, 5000, 0).into(t);
        m.udp(1.5, C, 5353, S, 53, 30).into(t);
        m.udp(1.6, S, 53, C, 5353, 90).into(t);
        t.flushAll();
        assertEquals(List.of("^h", "Dd"), histories);
        assertEquals(List.of(1L, 2L), packets);
    }

    @Test
    void statisticsGoBackToThePoolWhenFlowsEnd() {
        FlowTable t = table();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 50; i++) {
                double ts = round * 1000 + i * 0.001;
                m.tcp(ts, C, 1000 + i, S, 80, TCP_SYN, 1, 0).into(t);
                m.tcp(ts, S, 80, C, 1000 + i, TCP_SYN | TCP_ACK, 1, 0).into(t);
                m.tcp(ts, C, 1000 + i, S, 80, TCP_ACK, 2, 0).into(t);
            }
            t.flushAll();
        }
        assertEquals(250, histories.size());
        assertTrue(t.statisticsCreated() <= 51, "statistics objects reused: " + t.statisticsCreated());
    }
}
