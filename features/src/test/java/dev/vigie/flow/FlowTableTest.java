package dev.vigie.flow;

import static dev.vigie.decode.DecodedPacket.TCP_ACK;
import static dev.vigie.decode.DecodedPacket.TCP_FIN;
import static dev.vigie.decode.DecodedPacket.TCP_PSH;
import static dev.vigie.decode.DecodedPacket.TCP_RST;
import static dev.vigie.decode.DecodedPacket.TCP_SYN;
import static dev.vigie.decode.DecodedPacket.TCP_URG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Crafted cases with hand-computed expectations. */
class FlowTableTest {

    /** What a sink saw, copied out because flows are reused. */
    record Rec(EndReason reason, long id, int part, String orig, int oPort, long oPkts, long rPkts, long oBytes,
               long rBytes, long oIp, String state, String history, int oFin, int oPsh, int oUrg, int oRetrans,
               int oOoo, double durationS, int activePeriods, int idlePeriods) {}

    final List<Rec> out = new ArrayList<>();
    final FlowCounters counters = new FlowCounters();
    final PacketMaker m = new PacketMaker();

    FlowTable table(FlowConfig cfg) {
        return new FlowTable(cfg, (f, r) -> out.add(new Rec(r, f.flowId(), f.part(),
                dev.vigie.features.IpText.format(4, 0, f.origLo()), f.origPort(),
                f.orig().packets(), f.resp().packets(), f.orig().payloadBytes(), f.resp().payloadBytes(),
                f.orig().ipBytes(), f.connState(), f.history().toString(), f.orig().flagCount(0),
                f.orig().flagCount(3), f.orig().flagCount(5), f.orig().retransmitted(), f.orig().outOfOrder(),
                (f.lastNs() - f.startNs()) / 1e9, f.activePeriods(), f.idlePeriods())), counters);
    }

    static final String C = "10.0.0.1", S = "10.0.0.2";

    void handshake(FlowTable t, double ts) {
        m.tcp(ts, C, 40000, S, 80, TCP_SYN, 1000, 0).into(t);
        m.tcp(ts + 0.01, S, 80, C, 40000, TCP_SYN | TCP_ACK, 5000, 0).into(t);
        m.tcp(ts + 0.02, C, 40000, S, 80, TCP_ACK, 1001, 0).into(t);
    }

    @Test
    void fullConnectionIsOneFlowWithStateSF() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        handshake(t, 1.0);
        m.tcp(1.03, C, 40000, S, 80, TCP_ACK | TCP_PSH, 1001, 100).into(t);
        m.tcp(1.04, S, 80, C, 40000, TCP_ACK | TCP_PSH, 5001, 300).into(t);
        m.tcp(1.05, C, 40000, S, 80, TCP_ACK | TCP_FIN, 1101, 0).into(t);
        // CICFlowMeter would cut here, at the first FIN: we must not
        m.tcp(1.06, S, 80, C, 40000, TCP_ACK | TCP_PSH, 5301, 50).into(t);
        m.tcp(1.07, S, 80, C, 40000, TCP_ACK | TCP_FIN, 5351, 0).into(t);
        m.tcp(1.08, C, 40000, S, 80, TCP_ACK, 1102, 0).into(t);
        assertEquals(0, out.size(), "the flow lingers for the last ACKs");
        // a packet 6 s later from an unrelated flow drives the capture clock past the 5 s linger
        m.udp(7.5, "10.0.0.9", 5353, "10.0.0.10", 5353, 10).into(t);
        assertEquals(1, out.size());
        Rec r = out.get(0);
        assertEquals(EndReason.TCP_CLOSE, r.reason());
        assertEquals(5, r.oPkts());
        assertEquals(4, r.rPkts());
        assertEquals(100, r.oBytes());
        assertEquals(350, r.rBytes());
        assertEquals(5 * 40 + 100, r.oIp());
        assertEquals("SF", r.state());
        assertEquals("ShADdFf", r.history(), "the responder never sent a pure ACK");
        assertEquals(1, r.oFin());
        assertEquals(0.08, r.durationS(), 1e-9);
    }

    @Test
    void finFromOneSideOnlyKeepsFlowOpenUntilIdleTimeout() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        handshake(t, 0);
        m.tcp(0.1, C, 40000, S, 80, TCP_ACK | TCP_FIN, 1001, 0).into(t);
        m.udp(100, "10.9.9.9", 1, "10.9.9.8", 2, 1).into(t);
        assertEquals(0, out.size(), "half-closed flow is still live before the TCP idle timeout");
        m.udp(301, "10.9.9.7", 1, "10.9.9.8", 2, 1).into(t);
        Rec tcp = out.stream().filter(r -> r.oPort() == 40000).findFirst().orElseThrow();
        assertEquals(EndReason.IDLE_TIMEOUT, tcp.reason());
        assertEquals("S2", tcp.state());
    }

    @Test
    void rstEndsAfterLingerWithResetReason() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        handshake(t, 0);
        m.tcp(0.5, S, 80, C, 40000, TCP_RST, 5001, 0).into(t);
        m.udp(6, "10.9.9.9", 1, "10.9.9.8", 2, 1).into(t);
        assertEquals(EndReason.TCP_RESET, out.get(0).reason());
        assertEquals("RSTR", out.get(0).state());
    }

    @Test
    void rejectedConnectionIsREJ() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        m.tcp(0, C, 40001, S, 23, TCP_SYN, 1, 0).into(t);
        m.tcp(0.001, S, 23, C, 40001, TCP_RST | TCP_ACK, 0, 0).into(t);
        t.flushAll();
        assertEquals("REJ", out.get(0).state());
        assertEquals("Sr", out.get(0).history());
        assertEquals(EndReason.TCP_RESET, out.get(0).reason());
    }

    @Test
    void unansweredSynIsS0() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        m.tcp(0, C, 40001, S, 22, TCP_SYN, 1, 0).into(t);
        t.flushAll();
        assertEquals("S0", out.get(0).state());
        assertEquals(EndReason.END_OF_INPUT, out.get(0).reason());
        assertEquals(1, out.get(0).oPkts(), "one-packet flows are emitted at end of input, not dropped");
    }

    @Test
    void synAckFirstFlipsDirection() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        m.tcp(0, S, 80, C, 40000, TCP_SYN | TCP_ACK, 5000, 0).into(t);
        m.tcp(0.01, C, 40000, S, 80, TCP_ACK, 1001, 0).into(t);
        t.flushAll();
        assertEquals(C, out.get(0).orig());
        assertEquals(40000, out.get(0).oPort());
        assertTrue(out.get(0).history().startsWith("^h"), out.get(0).history());
    }

    @Test
    void retransmissionAndReorderingAreEstimated() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        handshake(t, 0);
        m.tcp(0.10, C, 40000, S, 80, TCP_ACK, 1001, 100).into(t);  // 1001..1101
        m.tcp(0.11, C, 40000, S, 80, TCP_ACK, 1201, 100).into(t);  // skips 1101..1201: a hole
        m.tcp(0.12, C, 40000, S, 80, TCP_ACK, 1101, 100).into(t);  // fills the hole: out of order
        m.tcp(0.13, C, 40000, S, 80, TCP_ACK, 1001, 100).into(t);  // old data again: retransmission
        t.flushAll();
        assertEquals(1, out.get(0).oOoo());
        assertEquals(1, out.get(0).oRetrans());
        assertTrue(out.get(0).history().contains("T"), out.get(0).history());
    }

    @Test
    void pshAndUrgAreCountedPerPacket() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        handshake(t, 0);
        for (int i = 0; i < 5; i++) {
            m.tcp(0.1 + i * 0.01, C, 40000, S, 80, TCP_ACK | TCP_PSH | TCP_URG, 1001 + i * 10L, 10).into(t);
        }
        t.flushAll();
        assertEquals(5, out.get(0).oPsh());
        assertEquals(5, out.get(0).oUrg());
    }

    @Test
    void idleTimeoutSplitsAndSweepsWithoutTheKeyReappearing() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        m.udp(0, C, 5000, S, 53, 40).into(t);
        m.udp(0.1, S, 53, C, 5000, 80).into(t);
        // 61 s of silence on this key; another flow moves the clock
        m.udp(61.2, "10.1.1.1", 1, "10.1.1.2", 2, 1).into(t);
        assertEquals(1, out.size(), "swept by capture time");
        assertEquals(EndReason.IDLE_TIMEOUT, out.get(0).reason());
        assertEquals("SF", out.get(0).state());
        m.udp(62, C, 5000, S, 53, 40).into(t);
        t.flushAll();
        assertEquals(3, out.size());
        Rec again = out.stream().filter(r -> r.orig().equals(C) && r.reason() == EndReason.END_OF_INPUT).findFirst().orElseThrow();
        assertEquals(1, again.oPkts());
        assertTrue(again.id() != out.get(0).id(), "a new flow after the timeout");
    }

    @Test
    void activeTimeoutEmitsNumberedParts() {
        FlowTable t = table(FlowConfig.DEFAULTS.withActiveTimeout(Duration.ofSeconds(10)));
        for (int i = 0; i <= 25; i++) {
            m.udp(i, C, 6000, S, 514, 100).into(t);
        }
        t.flushAll();
        assertEquals(3, out.size());
        assertEquals(EndReason.ACTIVE_TIMEOUT, out.get(0).reason());
        assertEquals(0, out.get(0).part());
        assertEquals(10, out.get(0).oPkts(), "packets at t=0..9");
        assertEquals(1, out.get(1).part());
        assertEquals(10, out.get(1).oPkts(), "packets at t=10..19");
        assertEquals(2, out.get(2).part());
        assertEquals(6, out.get(2).oPkts(), "packets at t=20..25");
        assertEquals(out.get(0).id(), out.get(2).id(), "parts share the flow id");
        assertEquals(26, out.stream().mapToLong(Rec::oPkts).sum(), "no packet lost or counted twice");
    }

    @Test
    void capacityEvictsTheLongestIdleFlow() {
        FlowTable t = table(FlowConfig.DEFAULTS.withMaxFlows(2));
        m.udp(0, C, 1, S, 53, 1).into(t);
        m.udp(1, C, 2, S, 53, 1).into(t);
        m.udp(2, C, 1, S, 53, 1).into(t); // flow 1 active again
        m.udp(3, C, 3, S, 53, 1).into(t); // third flow: evicts port 2
        assertEquals(1, out.size());
        assertEquals(EndReason.EVICTED, out.get(0).reason());
        assertEquals(2, out.get(0).oPort());
        assertEquals(2, t.liveFlows());
    }

    @Test
    void portReuseAfterCloseStartsANewFlow() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        handshake(t, 0);
        m.tcp(0.1, C, 40000, S, 80, TCP_ACK | TCP_FIN, 1001, 0).into(t);
        m.tcp(0.2, S, 80, C, 40000, TCP_ACK | TCP_FIN, 5001, 0).into(t);
        m.tcp(0.3, C, 40000, S, 80, TCP_ACK, 1002, 0).into(t);
        handshake(t, 1.0); // same tuple, within the linger time
        t.flushAll();
        assertEquals(2, out.size());
        assertEquals(EndReason.TCP_CLOSE, out.get(0).reason());
        assertEquals("SF", out.get(0).state());
        assertEquals(3, out.get(1).oPkts() + out.get(1).rPkts());
    }

    @Test
    void activeAndIdlePeriods() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        m.udp(0, C, 7, S, 7, 1).into(t);
        m.udp(1, C, 7, S, 7, 1).into(t);
        m.udp(10, C, 7, S, 7, 1).into(t); // 9 s gap > 5 s activity gap
        m.udp(12, C, 7, S, 7, 1).into(t);
        t.flushAll();
        assertEquals(2, out.get(0).activePeriods());
        assertEquals(1, out.get(0).idlePeriods());
    }

    @Test
    void steadyStateAllocatesNoFlowObjects() {
        FlowTable t = table(FlowConfig.DEFAULTS);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 100; i++) {
                m.udp(round * 100 + i * 0.001, C, 1000 + i, S, 53, 10).into(t);
            }
            m.udp(round * 100 + 90, "10.7.7.7", 1, "10.7.7.8", 1, 1).into(t);
        }
        assertEquals(100 * 3 + 3, counters.flowsCreated);
        assertTrue(counters.peakLiveFlows <= 102, "pooled flows are reused: peak " + counters.peakLiveFlows);
    }

    @Test
    void packetsOfLiveFlowsAllocateNothing() {
        FlowTable t = new FlowTable(FlowConfig.DEFAULTS, (f, r) -> {}, counters);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        // two prepared packets whose ports, sequence numbers and times change in place: the harness allocates nothing
        PacketMaker data = new PacketMaker().tcp(0, C, 1000, S, 443, TCP_ACK | TCP_PSH, 1000, 10);
        PacketMaker ack = new PacketMaker().tcp(0, S, 443, C, 1000, TCP_ACK, 5000, 0);
        for (int round = 0; round < 2; round++) { // the first round creates the flows and warms up
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 200_000; i++) {
                int port = 1000 + (i & 1023);
                long ts = 10_000_000_000L + round * 1_000_000_000L + i * 1000L;
                if ((i & 1) == 0) {
                    data.p.srcPort = port;
                    data.p.tcpSeq = 1000L + i * 10L;
                    data.frame.timestampNanos = ts;
                    data.into(t);
                } else {
                    ack.p.dstPort = port;
                    ack.p.tcpSeq = 5000L + i;
                    ack.frame.timestampNanos = ts;
                    ack.into(t);
                }
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            if (round == 1) {
                assertTrue(allocated < 64 * 1024, "steady state allocated " + allocated + " bytes for 200,000 packets");
            }
        }
    }
}
