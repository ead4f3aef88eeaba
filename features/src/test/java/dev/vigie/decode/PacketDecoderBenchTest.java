package dev.vigie.decode;

import static dev.vigie.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.capture.LinkType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Decode throughput on one thread. Excluded from normal runs; run with
 * {@code ./mvnw -q -pl features test -Dtest=PacketDecoderBenchTest -Dsurefire.excludedGroups=none}.
 *
 * <p>A loop over a frame array rather than JMH: the decoder is a few hundred nanoseconds of straight-line code at
 * worst, and what we want to know is the order of magnitude against the capture reader's 2 M packets/s.
 */
@Tag("bench")
class PacketDecoderBenchTest {

    @Test
    void decodeThroughput() throws IOException {
        bench("crafted mix", craftedMix());
        Path dir = MiniPcap.capturesDir();
        if (dir != null) {
            List<MiniPcap.Frame> all = new ArrayList<>();
            for (Path file : MiniPcap.captureFiles(dir)) {
                all.addAll(MiniPcap.read(file, 2_000));
            }
            // An even sample that stays in cache: behind the capture reader, the decoder reads a buffer the reader
            // has just written, so a window of tens of MB would measure DRAM latency, not decoding.
            CapturedPacket[] sample = new CapturedPacket[1024];
            for (int i = 0; i < sample.length; i++) {
                MiniPcap.Frame f = all.get((int) ((long) i * all.size() / sample.length));
                sample[i] = packet(f.linkType(), f.data(), f.originalLength());
            }
            bench("shared captures (1024 of " + all.size() + " frames)", sample);
        }
    }

    private static void bench(String name, CapturedPacket[] frames) {
        PacketDecoder decoder = new PacketDecoder(new DecodeCounters());
        DecodedPacket out = new DecodedPacket();
        long sink = 0;
        int mask = Integer.highestOneBit(frames.length) - 1;  // power-of-two window: no modulo in the loop
        long best = Long.MAX_VALUE;
        long allocated = 0;
        final int perRound = 10_000_000;
        for (int round = 0; round < 8; round++) {   // the first rounds are warm-up; keep the best
            long allocatedBefore = allocatedBytes();
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                decoder.decode(frames[i & mask], out);
                sink += out.payloadOffset + out.srcPort;
            }
            best = Math.min(best, System.nanoTime() - start);
            allocated = allocatedBytes() - allocatedBefore;
        }
        double pps = perRound * 1e9 / best;
        System.out.printf("%ndecode %s: %.1f M packets/s (%.1f ns/packet), %d bytes allocated in the last %d "
                + "decodes, sink %d%n", name, pps / 1e6, best / (double) perRound, allocated, perRound, sink);
        assertTrue(pps > 1e6, "decode far below the capture reader's speed");
        assertTrue(allocated < 10_000, allocated + " bytes allocated");
    }

    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private static CapturedPacket packet(int linkType, byte[] data, int originalLength) {
        CapturedPacket p = new CapturedPacket();
        p.data = Arrays.copyOf(data, data.length);
        p.captureLength = data.length;
        p.originalLength = originalLength;
        p.linkType = linkType;
        return p;
    }

    /** What a busy enterprise link looks like to the decoder: mostly TCP over IPv4, some VLANs, UDP and IPv6. */
    private static CapturedPacket[] craftedMix() {
        byte[] timestamps = new Bytes().u8(1).u8(1).u8(8).u8(10).u32(1).u32(2).array();
        Tcp ack = tcp().options(timestamps);
        ack.flags = DecodedPacket.TCP_ACK;
        Tcp data = tcp().options(timestamps);
        data.flags = DecodedPacket.TCP_ACK | DecodedPacket.TCP_PSH;
        byte[][] frames = {
            ethernet(0x0800, ipv4().build(ack.build(new byte[0]))),
            ethernet(0x0800, ipv4().build(data.build(pattern(1448)))),
            ethernet(0x0800, ipv4().build(tcp().options(allTcpOptions()).build(new byte[0]))),
            ethernetTagged(new int[][] {{0x8100, 10}}, 0x0800, ipv4().protocol(17).build(udp(5353, 53, pattern(40)))),
            ethernet(0x86DD, ipv6(6, ack.build(new byte[0]))),
            ethernet(0x86DD, ipv6(17, udp(443, 50000, pattern(1200)))),
            ethernet(0x0800, ipv4().build(data.build(pattern(600)))),
            padTo60(ethernet(0x0806, arpRequest())),
        };
        CapturedPacket[] packets = new CapturedPacket[64];
        for (int i = 0; i < packets.length; i++) {
            byte[] f = frames[i % frames.length];
            packets[i] = packet(LinkType.ETHERNET, f, f.length);
        }
        return packets;
    }
}
