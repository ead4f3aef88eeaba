package dev.vigie.capture;

import static dev.vigie.capture.TestCaptures.frame;
import static dev.vigie.capture.TestCaptures.readAll;
import static dev.vigie.capture.TestCaptures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.capture.TestCaptures.Frame;
import dev.vigie.capture.TestCaptures.Pcap;
import dev.vigie.capture.TestCaptures.Pcapng;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFilesTest {
    @TempDir
    Path dir;

    private final CaptureCounters counters = new CaptureCounters();

    private void assertOpenFault(Path path, CaptureError error) {
        PacketSource source = CaptureFiles.open(path, 0, counters);
        try (source) {
            assertNull(source.next());
            assertNotNull(source.fault(), "expected " + error);
            assertEquals(error, source.fault().error(), source.fault().toString());
            assertEquals(path.toString(), source.fault().input());
            assertEquals(0, source.fault().offset());
            assertTrue(source.fault().toString().startsWith(path + ": at offset 0: "));
            assertNull(source.next());
        }
        assertEquals(1, counters.errors.get(error));
        assertEquals(1, counters.errors.total());
    }

    @Test
    void directory() {
        assertOpenFault(dir, CaptureError.NOT_A_FILE);
    }

    @Test
    void missingFile() {
        assertOpenFault(dir.resolve("nope.pcap"), CaptureError.UNREADABLE);
    }

    @Test
    void unreadableFile() throws IOException {
        Path p = write(dir, "secret.pcap", new Pcap(ByteOrder.LITTLE_ENDIAN, false, 0, 1).bytes());
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(p), "running as root: permissions do not stop reads");
        assertOpenFault(p, CaptureError.UNREADABLE);
    }

    @Test
    void pathThroughAFileIsUnreadable() {
        Path file = write(dir, "plain", new byte[] {1});
        assertOpenFault(file.resolve("child.pcap"), CaptureError.UNREADABLE);
    }

    @Test
    void pipesReadAsStreamsPlainOrGzip() throws Exception {
        byte[] plain = bigPcap(ByteOrder.BIG_ENDIAN, 3000);
        for (byte[] content : List.of(plain, TestCaptures.gzip(plain))) {
            Path fifo = dir.resolve("fifo");
            Files.deleteIfExists(fifo);
            Process mkfifo;
            try {
                mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
            } catch (IOException e) {
                assumeFalse(true, "no mkfifo here");
                return;
            }
            assumeFalse(mkfifo.waitFor() != 0, "mkfifo failed");
            Thread writer = new Thread(() -> {
                try {
                    Files.write(fifo, content);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            try (PacketSource source = CaptureFiles.open(fifo, 0, counters)) {
                assertEquals(3000, readAll(source).size());
                assertNull(source.fault(), String.valueOf(source.fault()));
                assertEquals(-1, source.bytesTotal());
                assertEquals(content.length, source.bytesConsumed());
            }
            writer.join(10_000);
        }
    }

    @Test
    void steadyStateReadingDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        Path pcap = write(dir, "a.pcap", bigPcap(ByteOrder.LITTLE_ENDIAN, 8_000));
        Pcapng png = new Pcapng(ByteOrder.BIG_ENDIAN).idb(LinkType.ETHERNET, 0, 0x80 | 24, null).idb(LinkType.RAW, 0, 9, null);
        for (int i = 0; i < 8_000; i++) {
            png.epb(i & 1, i * 1000L, frame(60 + i % 1000, i), 1500);
        }
        Path pcapng = write(dir, "a.pcapng", png.bytes());
        for (Path file : List.of(pcap, pcapng)) {
            long allocated = 0;
            for (int round = 0; round < 3; round++) {
                try (PacketSource source = CaptureFiles.open(file, 0, counters)) {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    int n = 0;
                    while (source.next() != null) {
                        n++;
                    }
                    allocated = threads.getCurrentThreadAllocatedBytes() - before;
                    assertEquals(8_000, n);
                }
            }
            // Zero per packet; a little slack for the allocation counter's own bookkeeping.
            assertTrue(allocated < 16 * 1024, file.getFileName() + ": " + allocated + " bytes allocated for 8000 packets");
        }
    }

    @Test
    void emptyFile() {
        assertOpenFault(write(dir, "empty.pcap", new byte[0]), CaptureError.EMPTY_FILE);
    }

    @Test
    void wrongMagic() {
        assertOpenFault(write(dir, "text.pcap", "hello, this is not a capture\n".getBytes()), CaptureError.BAD_MAGIC);
    }

    @Test
    void shortFileThatIsNotACapture() {
        assertOpenFault(write(dir, "ab", new byte[] {'a', 'b'}), CaptureError.BAD_MAGIC);
    }

    @Test
    void truncatedMagic() {
        assertOpenFault(write(dir, "cut.pcap", new byte[] {(byte) 0xd4, (byte) 0xc3}), CaptureError.TRUNCATED_FILE_HEADER);
    }

    @Test
    void truncatedPcapFileHeader() {
        byte[] header = new Pcap(ByteOrder.BIG_ENDIAN, true, 65535, 1).bytes();
        assertOpenFault(write(dir, "cut.pcap", Arrays.copyOf(header, 20)), CaptureError.TRUNCATED_FILE_HEADER);
    }

    @Test
    void truncatedPcapngSectionHeader() {
        byte[] shb = new Pcapng(ByteOrder.LITTLE_ENDIAN).bytes();
        assertOpenFault(write(dir, "cut.pcapng", Arrays.copyOf(shb, 20)), CaptureError.TRUNCATED_FILE_HEADER);
    }

    @Test
    void gzipOfEmptyContent() {
        assertOpenFault(write(dir, "empty.pcap.gz", TestCaptures.gzip(new byte[0])), CaptureError.EMPTY_FILE);
    }

    @Test
    void gzipOfSomethingElse() {
        assertOpenFault(write(dir, "text.gz", TestCaptures.gzip("just text".getBytes())), CaptureError.BAD_MAGIC);
    }

    @Test
    void gzipWithABrokenHeader() {
        assertOpenFault(write(dir, "bad.gz", new byte[] {0x1f, (byte) 0x8b, 7, 0, 0}), CaptureError.GZIP_CORRUPT);
    }

    @Test
    void gzipPcapInBothByteOrdersReadsLikeThePlainFile() {
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            byte[] plain = bigPcap(order, 2000);
            Path plainPath = write(dir, "p.pcap", plain);
            byte[] gz = TestCaptures.gzip(plain);
            Path gzPath = write(dir, "p.pcap.gz", gz);
            try (PacketSource a = CaptureFiles.open(plainPath, 0, counters);
                 PacketSource b = CaptureFiles.open(gzPath, 0, counters)) {
                List<Frame> fa = readAll(a);
                List<Frame> fb = readAll(b);
                assertEquals(2000, fb.size());
                assertNull(b.fault());
                for (int i = 0; i < fa.size(); i++) {
                    assertArrayEquals(fa.get(i).data(), fb.get(i).data());
                    assertEquals(fa.get(i).timestampNanos(), fb.get(i).timestampNanos());
                    assertEquals(fa.get(i).fileOffset(), fb.get(i).fileOffset(), "offsets are in the decompressed stream");
                }
                assertEquals(gz.length, b.bytesConsumed());
                assertEquals(gz.length, b.bytesTotal());
            }
        }
    }

    @Test
    void concatenatedGzipMembersAreOneStream() {
        byte[] plain = bigPcap(ByteOrder.LITTLE_ENDIAN, 100);
        int cut = 24 + 16 + 60 + 5; // mid-record: the members need not split on records
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(TestCaptures.gzip(Arrays.copyOf(plain, cut)));
        both.writeBytes(TestCaptures.gzip(Arrays.copyOfRange(plain, cut, plain.length)));
        try (PacketSource source = CaptureFiles.open(write(dir, "multi.pcap.gz", both.toByteArray()), 0, counters)) {
            assertEquals(100, readAll(source).size());
            assertNull(source.fault());
        }
    }

    @Test
    void truncatedGzipKeepsThePacketsBefore() {
        byte[] plain = bigPcap(ByteOrder.LITTLE_ENDIAN, 8_000);
        byte[] gz = TestCaptures.gzip(plain);
        try (PacketSource source = CaptureFiles.open(write(dir, "cut.pcap.gz", Arrays.copyOf(gz, gz.length * 2 / 3)), 0, counters)) {
            int n = readAll(source).size();
            assertTrue(n > 1000 && n < 8_000, n + " packets");
            assertEquals(CaptureError.GZIP_CORRUPT, source.fault().error());
        }
    }

    @Test
    void corruptGzipDataKeepsThePacketsBefore() {
        byte[] plain = bigPcap(ByteOrder.LITTLE_ENDIAN, 8_000);
        byte[] gz = TestCaptures.gzip(plain);
        for (int i = gz.length / 2; i < gz.length / 2 + 64; i++) {
            gz[i] ^= (byte) 0x5A;
        }
        try (PacketSource source = CaptureFiles.open(write(dir, "bad.pcap.gz", gz), 0, counters)) {
            int n = readAll(source).size();
            assertTrue(n < 8_000, n + " packets");
            CaptureFault fault = source.fault();
            assertNotNull(fault);
            // Inflating garbage either fails outright or yields bytes the pcap layer rejects.
            assertTrue(fault.error() == CaptureError.GZIP_CORRUPT || n > 1000, fault.toString());
        }
    }

    @Test
    void everyFaultIsCountedOncePerInput() {
        CaptureFiles.open(dir, 0, counters).close();
        CaptureFiles.open(dir.resolve("missing"), 1, counters).close();
        CaptureFiles.open(write(dir, "e", new byte[0]), 2, counters).close();
        assertEquals(3, counters.errors.total());
    }

    /** n Ethernet-sized frames with varied lengths, µs timestamps one ms apart. */
    static byte[] bigPcap(ByteOrder order, int n) {
        Pcap pcap = new Pcap(order, false, 65535, LinkType.ETHERNET);
        for (int i = 0; i < n; i++) {
            pcap.record(1_600_000_000L + i / 1000, (i % 1000) * 1000L, frame(60 + (i * 37) % 1400, i));
        }
        return pcap.bytes();
    }
}
