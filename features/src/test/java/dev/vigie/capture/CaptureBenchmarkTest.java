package dev.vigie.capture;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vigie.capture.TestCaptures.Pcap;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read throughput from the page cache. Excluded from normal runs; run with
 * {@code ./mvnw -q -pl features test -Dtest=CaptureBenchmarkTest -Dsurefire.excludedGroups=none}.
 */
@Tag("bench")
class CaptureBenchmarkTest {
    private static final int ROUNDS = 7;

    @TempDir
    Path dir;

    @Test
    void syntheticPcap() throws IOException {
        // 1 M frames, lengths drawn like a typical edge link: many ACK-sized, some full-sized, a spread between.
        Path file = dir.resolve("bench.pcap");
        Random random = new Random(7);
        byte[] payload = TestCaptures.frame(1514, 0);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new Pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, LinkType.ETHERNET).bytes());
            ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 1_000_000; i++) {
                int r = random.nextInt(100);
                int len = r < 50 ? 66 : r < 80 ? 1514 : 60 + random.nextInt(1400);
                h.clear();
                h.putInt(1_700_000_000 + i / 100_000).putInt(i % 100_000 * 10).putInt(len).putInt(len);
                out.write(h.array());
                out.write(payload, 0, len);
            }
        }
        measure("synthetic 1M-frame pcap (" + Files.size(file) / (1 << 20) + " MiB)", file, 1);
    }

    @Test
    void syntheticPcapng() throws IOException {
        Path file = dir.resolve("bench.pcapng");
        TestCaptures.Pcapng png = new TestCaptures.Pcapng(ByteOrder.LITTLE_ENDIAN).idb(LinkType.ETHERNET, 0, null, null);
        Random random = new Random(7);
        for (int i = 0; i < 300_000; i++) {
            int len = random.nextInt(100) < 50 ? 66 : 60 + random.nextInt(1454);
            png.epb(0, 1_700_000_000_000_000L + i * 10L, TestCaptures.frame(len, i), len);
        }
        Files.write(file, png.bytes());
        measure("synthetic 300k-frame pcapng", file, 3);
    }

    @Test
    void realCapture() {
        Path dir = CaptureRealFilesTest.capturesDir();
        Path file = dir.resolve("suricata-verify/tests/ipv6-evasion/ipv6-dos-with-ext-headers-6/denial6-6.pcap");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(file));
        measure("real " + dir.relativize(file) + " x25", file, 25);
    }

    private static void measure(String what, Path file, int repeat) {
        double best = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long packets = 0;
            long bytes = 0;
            long start = System.nanoTime();
            for (int r = 0; r < repeat; r++) {
                CaptureCounters counters = new CaptureCounters();
                try (PacketSource source = CaptureFiles.open(file, 0, counters)) {
                    for (CapturedPacket p = source.next(); p != null; p = source.next()) {
                        bytes += p.data[0] + p.captureLength;
                    }
                    assertNull(source.fault());
                }
                packets += counters.packets;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double pps = packets / seconds;
            best = Math.max(best, pps);
            System.out.printf("%s: round %d: %,d packets in %.3f s = %.2f M packets/s (%.0f MB/s)%n",
                    what, round, packets, seconds, pps / 1e6, bytes / seconds / 1e6);
        }
        System.out.printf("%s: BEST %.2f M packets/s%n", what, best / 1e6);
    }
}
