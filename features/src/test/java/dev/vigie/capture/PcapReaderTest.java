package dev.vigie.capture;

import static dev.vigie.capture.TestCaptures.frame;
import static dev.vigie.capture.TestCaptures.readAll;
import static dev.vigie.capture.TestCaptures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.capture.TestCaptures.Frame;
import dev.vigie.capture.TestCaptures.Pcap;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PcapReaderTest {
    @TempDir
    Path dir;

    private final CaptureCounters counters = new CaptureCounters();

    private PacketSource open(byte[] content) {
        return CaptureFiles.open(write(dir, "t.pcap", content), 3, counters);
    }

    @ParameterizedTest
    @CsvSource({"BIG_ENDIAN,false", "BIG_ENDIAN,true", "LITTLE_ENDIAN,false", "LITTLE_ENDIAN,true"})
    void readsEveryByteOrderAndResolution(String orderName, boolean nanos) {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        // Upper bits of the link-type field say "FCS present, 4 bytes": they are not part of the link type.
        Pcap pcap = new Pcap(order, nanos, 65535, 0x1C000000 | LinkType.RAW);
        int second = pcap.record(1_700_000_000L, 123_456, frame(60, 1)).offset();
        pcap.record(1_700_000_001L, 999_999, 54, 1514, frame(54, 2));
        // Seconds are unsigned 32-bit: 2^32-1 is in 2106, not 1969.
        int third = pcap.offset();
        pcap.record(0xFFFF_FFFFL, 0, frame(1, 3));

        try (PacketSource source = open(pcap.bytes())) {
            List<Frame> frames = readAll(source);
            assertNull(source.fault());
            assertEquals(3, frames.size());
            long unit = nanos ? 1 : 1000;
            Frame a = frames.get(0);
            assertArrayEquals(frame(60, 1), a.data());
            assertEquals(60, a.originalLength());
            assertEquals(1_700_000_000L * 1_000_000_000L + 123_456 * unit, a.timestampNanos());
            assertEquals(LinkType.RAW, a.linkType());
            assertEquals(3, a.sourceIndex());
            assertEquals(0, a.interfaceId());
            assertEquals(24, a.fileOffset());
            Frame b = frames.get(1);
            assertEquals(54, b.captureLength());
            assertEquals(1514, b.originalLength());
            assertEquals(second, b.fileOffset());
            assertEquals(0xFFFF_FFFFL * 1_000_000_000L, frames.get(2).timestampNanos());
            assertEquals(third, frames.get(2).fileOffset());
            assertEquals(pcap.bytes().length, source.bytesConsumed());
            assertEquals(pcap.bytes().length, source.bytesTotal());
        }
        assertEquals(3, counters.packets);
        assertEquals(115, counters.capturedBytes);
        assertEquals(60 + 1514 + 1, counters.wireBytes);
        assertEquals(1, counters.truncatedBySnaplen);
        assertEquals(0, counters.errors.total());
    }

    @Test
    void headerOnlyFileIsAnEmptyCaptureNotAFault() {
        try (PacketSource source = open(new Pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, 1).bytes())) {
            assertNull(source.next());
            assertNull(source.fault());
            assertNull(source.next());
        }
    }

    @Test
    void caplenAboveSnaplenIsCountedEveryTimeWarnedOnceAndKept() {
        Pcap pcap = new Pcap(ByteOrder.LITTLE_ENDIAN, false, 64, 1)
                .record(1, 0, frame(64, 0));
        int firstOffending = pcap.offset();
        pcap.record(2, 0, frame(100, 1)).record(3, 0, frame(200, 2));
        try (PacketSource source = open(pcap.bytes())) {
            assertEquals(3, readAll(source).size());
            assertNull(source.fault());
            assertEquals(1, source.warnings().size());
            CaptureFault warning = source.warnings().get(0);
            assertEquals(CaptureError.CAPLEN_ABOVE_SNAPLEN, warning.error());
            assertEquals(firstOffending, warning.offset());
        }
        assertEquals(2, counters.errors.get(CaptureError.CAPLEN_ABOVE_SNAPLEN));
    }

    @Test
    void snaplenZeroMeansNoLimit() {
        Pcap pcap = new Pcap(ByteOrder.LITTLE_ENDIAN, false, 0, 1).record(1, 0, frame(1500, 0));
        try (PacketSource source = open(pcap.bytes())) {
            assertEquals(1, readAll(source).size());
            assertTrue(source.warnings().isEmpty());
        }
    }

    @Test
    void caplenAbove256KiBIsFatalAndKeepsWhatCameBefore() {
        Pcap pcap = new Pcap(ByteOrder.BIG_ENDIAN, false, 65535, 1).record(1, 0, frame(60, 0));
        int bad = pcap.offset();
        pcap.record(2, 0, CapturedPacket.MAX_CAPTURE_LENGTH + 1, 60, frame(60, 1)).record(3, 0, frame(60, 2));
        assertFault(pcap.bytes(), 1, CaptureError.CAPLEN_TOO_LARGE, bad);
    }

    @Test
    void negativeCaplenAsSignedIntIsTooLarge() {
        Pcap pcap = new Pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, 1).record(1, 0, frame(60, 0));
        int bad = pcap.offset();
        pcap.record(2, 0, -4, 60, new byte[0]);
        assertFault(pcap.bytes(), 1, CaptureError.CAPLEN_TOO_LARGE, bad);
    }

    @Test
    void exactly256KiBIsAccepted() {
        Pcap pcap = new Pcap(ByteOrder.LITTLE_ENDIAN, false, 0, 1)
                .record(1, 0, frame(CapturedPacket.MAX_CAPTURE_LENGTH, 0)).record(2, 0, frame(10, 0));
        try (PacketSource source = open(pcap.bytes())) {
            List<Frame> frames = readAll(source);
            assertNull(source.fault());
            assertEquals(CapturedPacket.MAX_CAPTURE_LENGTH, frames.get(0).captureLength());
            assertEquals(2, frames.size());
        }
    }

    @Test
    void truncatedRecordHeaderAtEnd() {
        Pcap pcap = new Pcap(ByteOrder.LITTLE_ENDIAN, true, 65535, 1).record(1, 0, frame(60, 0)).record(2, 0, frame(70, 0));
        int cut = pcap.offset();
        pcap.raw(new byte[10]);
        assertFault(pcap.bytes(), 2, CaptureError.TRUNCATED_RECORD_HEADER, cut);
    }

    @Test
    void truncatedRecordDataAtEnd() {
        Pcap pcap = new Pcap(ByteOrder.BIG_ENDIAN, false, 65535, 1).record(1, 0, frame(60, 0));
        int cut = pcap.offset();
        pcap.record(2, 0, 100, 100, frame(99, 0));
        assertFault(pcap.bytes(), 1, CaptureError.TRUNCATED_RECORD, cut);
    }

    @Test
    void unsupportedMajorVersion() {
        byte[] bytes = new Pcap(ByteOrder.LITTLE_ENDIAN, false, 3, 0, 65535, 1).record(1, 0, frame(60, 0)).bytes();
        assertFault(bytes, 0, CaptureError.UNSUPPORTED_VERSION, 4);
    }

    @Test
    void version22LengthsAreSwappedLikeLibpcapDoes() {
        // Pre-2.3 writers put len before caplen.
        byte[] bytes = new Pcap(ByteOrder.LITTLE_ENDIAN, false, 2, 2, 65535, 1)
                .record(1, 0, 1514, 60, frame(60, 0)).bytes();
        try (PacketSource source = open(bytes)) {
            Frame f = readAll(source).get(0);
            assertEquals(60, f.captureLength());
            assertEquals(1514, f.originalLength());
        }
    }

    @Test
    void manyRecordsAcrossBufferRefills() {
        // A small buffer forces refills with compaction at every possible record boundary.
        Pcap pcap = new Pcap(ByteOrder.LITTLE_ENDIAN, false, 0, 1);
        int n = 0;
        long sum = 0;
        for (int len = 1; sum < 3_000_000; len = (len * 7 + 13) % 9000 + 1, n++) {
            pcap.record(n, 0, frame(len, n));
            sum += len;
        }
        Path file = write(dir, "many.pcap", pcap.bytes());
        try (PacketSource small = CaptureFiles.open(file, 0, counters, 300 * 1024);
             PacketSource big = CaptureFiles.open(file, 0, counters)) {
            List<Frame> a = readAll(small);
            List<Frame> b = readAll(big);
            assertEquals(n, a.size());
            assertEquals(b.size(), a.size());
            for (int i = 0; i < n; i++) {
                assertArrayEquals(b.get(i).data(), a.get(i).data());
                assertEquals(b.get(i).fileOffset(), a.get(i).fileOffset());
                assertEquals(i, a.get(i).timestampNanos() / 1_000_000_000L);
            }
            assertNull(small.fault());
        }
    }

    private void assertFault(byte[] content, int packetsBefore, CaptureError error, long offset) {
        try (PacketSource source = open(content)) {
            assertEquals(packetsBefore, readAll(source).size());
            CaptureFault fault = source.fault();
            assertEquals(error, fault == null ? null : fault.error(), String.valueOf(fault));
            assertEquals(offset, fault.offset(), fault.toString());
            assertNull(source.next(), "a faulted source stays ended");
        }
        assertEquals(1, counters.errors.get(error));
        assertEquals(packetsBefore, counters.packets);
    }
}
