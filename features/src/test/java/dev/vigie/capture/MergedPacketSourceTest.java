package dev.vigie.capture;

import static dev.vigie.capture.TestCaptures.frame;
import static dev.vigie.capture.TestCaptures.readAll;
import static dev.vigie.capture.TestCaptures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vigie.capture.TestCaptures.Frame;
import dev.vigie.capture.TestCaptures.Pcap;
import dev.vigie.capture.TestCaptures.Pcapng;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergedPacketSourceTest {
    @TempDir
    Path dir;

    private final CaptureCounters counters = new CaptureCounters();

    /** A pcap whose frames carry (file, seconds) in their first bytes so order can be checked. */
    private Path pcap(String name, int file, long... seconds) {
        Pcap pcap = new Pcap(ByteOrder.LITTLE_ENDIAN, false, 0, LinkType.ETHERNET);
        for (long s : seconds) {
            byte[] data = frame(20, 0);
            data[0] = (byte) file;
            data[1] = (byte) s;
            pcap.record(s, 0, data);
        }
        return write(dir, name, pcap.bytes());
    }

    @Test
    void timestampOrderAcrossFormatsWithTiesInInputOrder() {
        Path a = pcap("a.pcap", 0, 1, 4, 4, 9);
        Pcapng png = new Pcapng(ByteOrder.BIG_ENDIAN).idb(LinkType.RAW, 0, 0, null); // whole seconds
        for (long s : new long[] {2, 4, 5}) {
            byte[] data = frame(20, 0);
            data[0] = 1;
            data[1] = (byte) s;
            png.epb(0, s, data, 20);
        }
        Path b = write(dir, "b.pcapng", png.bytes());
        Path c = write(dir, "c.pcap.gz", TestCaptures.gzip(readBytes(pcap("c.pcap", 2, 0, 4, 10))));
        try (MergedPacketSource merged = CaptureFiles.openAll(List.of(a, b, c), counters)) {
            List<Frame> frames = readAll(merged);
            List<String> order = frames.stream().map(f -> f.data()[0] + "@" + f.data()[1]).toList();
            assertEquals(List.of("2@0", "0@1", "1@2", "0@4", "0@4", "1@4", "2@4", "1@5", "0@9", "2@10"), order);
            assertEquals(List.of(2, 0, 1, 0, 0, 1, 2, 1, 0, 2), frames.stream().map(Frame::sourceIndex).toList());
            assertEquals(LinkType.RAW, frames.get(2).linkType());
            assertEquals(LinkType.ETHERNET, frames.get(1).linkType());
            assertEquals(List.of(), merged.faults());
            assertNull(merged.fault());
            assertNull(merged.next());
        }
        assertEquals(10, counters.packets);
    }

    @Test
    void faultyInputsDoNotStopTheOthers() {
        Path good = pcap("good.pcap", 0, 1, 2, 3, 4, 5);
        Path missing = dir.resolve("missing.pcap");
        Pcap cut = new Pcap(ByteOrder.LITTLE_ENDIAN, false, 0, 1).record(1, 500_000, frame(20, 1)).record(2, 500_000, frame(20, 1));
        cut.raw(new byte[7]);
        Path truncated = write(dir, "cut.pcap", cut.bytes());
        try (MergedPacketSource merged = CaptureFiles.openAll(List.of(missing, good, truncated), counters)) {
            List<Frame> frames = readAll(merged);
            assertEquals(7, frames.size());
            assertEquals(List.of(1, 2, 1, 2, 1, 1, 1), frames.stream().map(Frame::sourceIndex).toList());
            List<CaptureFault> faults = merged.faults();
            assertEquals(2, faults.size());
            assertEquals(CaptureError.UNREADABLE, faults.get(0).error());
            assertEquals(CaptureError.TRUNCATED_RECORD_HEADER, faults.get(1).error());
            assertEquals(truncated.toString(), faults.get(1).input());
            assertEquals(CaptureError.UNREADABLE, merged.fault().error());
        }
        assertEquals(2, counters.errors.total());
    }

    @Test
    void matchesASortOfAllInputsOnRandomData() {
        Random random = new Random(42);
        List<Path> paths = new ArrayList<>();
        List<long[]> expected = new ArrayList<>();
        for (int file = 0; file < 7; file++) {
            int n = random.nextInt(200);
            long[] ts = new long[n];
            long t = random.nextInt(50);
            Pcap pcap = new Pcap(ByteOrder.BIG_ENDIAN, true, 0, 1);
            for (int i = 0; i < n; i++) {
                t += random.nextInt(3); // many ties
                ts[i] = t;
                pcap.record(t, 0, frame(10, i));
                expected.add(new long[] {t, file, i});
            }
            paths.add(write(dir, file + ".pcap", pcap.bytes()));
        }
        expected.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]).thenComparingLong(e -> e[2]));
        try (MergedPacketSource merged = CaptureFiles.openAll(paths, counters)) {
            List<Frame> frames = readAll(merged);
            assertEquals(expected.size(), frames.size());
            for (int i = 0; i < frames.size(); i++) {
                assertEquals(expected.get(i)[0] * 1_000_000_000L, frames.get(i).timestampNanos(), "at " + i);
                assertEquals(expected.get(i)[1], frames.get(i).sourceIndex(), "at " + i);
                assertEquals((byte) expected.get(i)[2], frames.get(i).data()[0], "at " + i);
            }
        }
    }

    @Test
    void noInputs() {
        try (MergedPacketSource merged = new MergedPacketSource(List.of())) {
            assertNull(merged.next());
            assertEquals(0, merged.bytesTotal());
        }
    }

    private static byte[] readBytes(Path p) {
        try {
            return java.nio.file.Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
