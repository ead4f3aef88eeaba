package dev.vigie.assets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.flow.FlowConfig;
import dev.vigie.flow.FlowCounters;
import dev.vigie.flow.FlowTable;
import dev.vigie.protocols.ProtocolAnalyzers;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/**
 * Address-only assets (no MAC: raw IP captures) learned from flows, through the tracker's IPv4 index: the same
 * asset for every flow of an address, least-recently-seen eviction, and an evicted address that comes back is
 * a new asset.
 */
class AddressAssetsTest {
    private final DecodedPacket p = new DecodedPacket();
    private final CapturedPacket frame = new CapturedPacket();

    @Test
    void addressAssetsAreBoundedEvictedLeastRecentlySeenFirstAndRecreated() {
        try (BufferAllocator allocator = new RootAllocator();
             AssetTracker tracker = new AssetTracker(AssetConfig.defaults().withMaxAssets(1000),
                     FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, ProtocolAnalyzers.standard()).schema(), allocator)) {
            FlowTable table = new FlowTable(FlowConfig.DEFAULTS, tracker, new FlowCounters());
            double ts = 1_700_000_000;
            int keep = ip(10, 9, 0, 1);
            for (int i = 0; i < 3000; i++) {
                // no .0 or .255: those are not taken for hosts
                rejected(table, ts += 0.01, ip(10, 9, 1 + i / 250, 1 + i % 250), 40000 + i % 20000, ip(10, 9, 255, 1), 80);
                if (i % 50 == 0) {
                    rejected(table, ts += 0.01, keep, 30000 + i, ip(10, 9, 255, 1), 443); // seen all along
                }
            }
            table.flushAll();
            assertEquals(1000, tracker.size());
            // 3000 originators, the one seen all along and the responder created; 1000 kept
            assertEquals(3002, tracker.counters().assetsCreated);
            assertEquals(2002, tracker.counters().assetsEvicted);
            assertNotNull(tracker.record("ip:10.9.0.1"), "seen every 50 flows: never the least recent");
            assertNotNull(tracker.record("ip:10.9.255.1"), "the responder of every flow");
            assertNull(tracker.record("ip:10.9.1.2"), "an early one went");
            assertNotNull(tracker.record("ip:10.9.12.250"), "the last is kept");
            assertEquals(60, tracker.record("ip:10.9.0.1").flows(), "every flow of the address on one asset");

            rejected(table, ts += 0.01, ip(10, 9, 1, 2), 50000, ip(10, 9, 255, 1), 80);
            table.flushAll();
            assertEquals(3003, tracker.counters().assetsCreated, "an evicted address that comes back is new");
            AssetRecord back = tracker.record("ip:10.9.1.2");
            assertNotNull(back);
            assertEquals(1, back.flows());
            assertEquals(1000, tracker.size());
        }
    }

    private static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    /** A SYN answered by a RST: a flow that ends at once. */
    private void rejected(FlowTable table, double ts, int src, int sport, int dst, int dport) {
        tcp(table, ts, src, sport, dst, dport, DecodedPacket.TCP_SYN);
        tcp(table, ts + 0.001, dst, dport, src, sport, DecodedPacket.TCP_RST | DecodedPacket.TCP_ACK);
    }

    private void tcp(FlowTable table, double ts, int src, int sport, int dst, int dport, int flags) {
        p.clear();
        frame.timestampNanos = Math.round(ts * 1e9);
        p.ipVersion = 4;
        p.srcLo = src & 0xFFFFFFFFL;
        p.dstLo = dst & 0xFFFFFFFFL;
        p.protocol = DecodedPacket.PROTO_TCP;
        p.ttl = 64;
        p.ipTotalLength = 40;
        p.ipHeaderLength = 20;
        p.hasTransport = true;
        p.srcPort = sport;
        p.dstPort = dport;
        p.tcpFlags = flags;
        p.tcpSeq = 1000;
        p.tcpWindow = 29200;
        p.tcpHeaderLength = 20;
        table.onPacket(p, frame);
    }
}
