package dev.vigie.capture;

import static dev.vigie.capture.TestCaptures.frame;
import static dev.vigie.capture.TestCaptures.readAll;
import static dev.vigie.capture.TestCaptures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.capture.TestCaptures.Frame;
import dev.vigie.capture.TestCaptures.Pcapng;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcapngReaderTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final CaptureCounters counters = new CaptureCounters();

    private PacketSource open(byte[] content) {
        return CaptureFiles.open(write(dir, "t.pcapng", content), 1, counters);
    }

    private static ByteOrder order(String name) {
        return name.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG_ENDIAN", "LITTLE_ENDIAN"})
    void enhancedPacketBlocksInEitherByteOrder(String orderName) {
        Pcapng png = new Pcapng(order(orderName)).idb(LinkType.ETHERNET, 65535, null, null);
        int first = png.offset();
        png.epb(0, 1_700_000_000_123_456L, frame(61, 1), 61);
        int second = png.offset();
        png.epb(0, 1_700_000_001_000_000L, frame(60, 2), 1514);
        try (PacketSource source = open(png.bytes())) {
            List<Frame> frames = readAll(source);
            assertNull(source.fault());
            assertEquals(2, frames.size());
            Frame a = frames.get(0);
            assertArrayEquals(frame(61, 1), a.data());
            assertEquals(61, a.originalLength());
            assertEquals(1_700_000_000_123_456_000L, a.timestampNanos());
            assertEquals(LinkType.ETHERNET, a.linkType());
            assertEquals(1, a.sourceIndex());
            assertEquals(first, a.fileOffset());
            assertEquals(1514, frames.get(1).originalLength());
            assertEquals(second, frames.get(1).fileOffset());
            assertEquals(png.bytes().length, source.bytesConsumed());
        }
        assertEquals(2, counters.packets);
        assertEquals(61 + 1514, counters.wireBytes);
    }

    @Test
    void interfacesKeepTheirOwnLinkTypeResolutionAndOffset() {
        Pcapng png = new Pcapng(ByteOrder.LITTLE_ENDIAN)
                .idb(LinkType.ETHERNET, 65535, null, null)            // µs (default)
                .idb(LinkType.RAW, 65535, 9, null)                    // ns
                .idb(LinkType.LINUX_SLL, 65535, 0x80 | 20, null)      // 2^-20 s
                .idb(LinkType.NULL, 65535, 3, 3600L)                  // ms, one hour ahead
                .idb(LinkType.IPV4, 65535, 0, null)                   // whole seconds
                .idb(LinkType.IPV6, 65535, 12, null);                 // ps
        png.epb(0, 1_500_000L, frame(20, 0), 20);
        png.epb(1, 1_500_000_000L, frame(20, 1), 20);
        png.epb(2, (5L << 20) | (1L << 19), frame(20, 2), 20);
        png.epb(3, 2_500L, frame(20, 3), 20);
        png.epb(4, 7L, frame(20, 4), 20);
        png.epb(5, 1_000_000_000_999L, frame(20, 5), 20);
        try (PacketSource source = open(png.bytes())) {
            List<Frame> frames = readAll(source);
            assertNull(source.fault());
            assertEquals(List.of(LinkType.ETHERNET, LinkType.RAW, LinkType.LINUX_SLL, LinkType.NULL, LinkType.IPV4, LinkType.IPV6),
                    frames.stream().map(Frame::linkType).toList());
            assertEquals(List.of(0, 1, 2, 3, 4, 5), frames.stream().map(Frame::interfaceId).toList());
            assertEquals(List.of(1_500_000_000L, 1_500_000_000L, 5 * SECOND + SECOND / 2, 3600 * SECOND + 2_500_000_000L,
                    7 * SECOND, SECOND), frames.stream().map(Frame::timestampNanos).toList());
        }
    }

    @Test
    void sectionsMaySwitchByteOrderAndResetInterfaces() {
        Pcapng png = new Pcapng(ByteOrder.LITTLE_ENDIAN)
                .idb(LinkType.ETHERNET, 65535, null, null)
                .idb(LinkType.RAW, 65535, 9, null)
                .epb(1, 5, frame(30, 1), 30)
                .shb(ByteOrder.BIG_ENDIAN)
                .idb(LinkType.LINUX_SLL2, 65535, 9, null);
        int stale = png.offset();
        // Interface 1 belonged to the first section only.
        png.epb(1, 6, frame(30, 2), 30)
                .epb(0, 7, frame(30, 3), 30)
                .shb(ByteOrder.LITTLE_ENDIAN)
                .idb(LinkType.NULL, 65535, null, null)
                .epb(0, 8, frame(30, 4), 30);
        try (PacketSource source = open(png.bytes())) {
            List<Frame> frames = readAll(source);
            assertNull(source.fault());
            assertEquals(3, frames.size());
            assertEquals(List.of(LinkType.RAW, LinkType.LINUX_SLL2, LinkType.NULL), frames.stream().map(Frame::linkType).toList());
            assertEquals(List.of(5L, 7L, 8_000L), frames.stream().map(Frame::timestampNanos).toList());
            assertArrayEquals(frame(30, 3), frames.get(1).data());
            assertEquals(1, source.warnings().size());
            assertEquals(CaptureError.UNKNOWN_INTERFACE, source.warnings().get(0).error());
            assertEquals(stale, source.warnings().get(0).offset());
        }
        assertEquals(1, counters.errors.get(CaptureError.UNKNOWN_INTERFACE));
    }

    @Test
    void simplePacketBlocksUseInterfaceZeroAndItsSnaplen() {
        Pcapng png = new Pcapng(ByteOrder.BIG_ENDIAN)
                .idb(LinkType.ETHERNET, 64, null, null)
                .epb(0, 42, frame(60, 0), 60)
                .spb(61, frame(61, 1))          // padded to 64: the padding is not data
                .spb(1514, frame(64, 2))        // cut by the snaplen
                .spb(40, frame(40, 3));
        try (PacketSource source = open(png.bytes())) {
            List<Frame> frames = readAll(source);
            assertNull(source.fault());
            assertEquals(4, frames.size());
            assertArrayEquals(frame(61, 1), frames.get(1).data());
            assertEquals(61, frames.get(1).originalLength());
            assertEquals(64, frames.get(2).captureLength());
            assertEquals(1514, frames.get(2).originalLength());
            assertEquals(40, frames.get(3).captureLength());
            // No timestamp in an SPB: the previous packet's keeps a merge in order.
            assertEquals(42_000L, frames.get(3).timestampNanos());
            assertEquals(LinkType.ETHERNET, frames.get(3).linkType());
        }
    }

    @Test
    void simplePacketBlockWithoutInterfaceIsUnknownInterface() {
        Pcapng png = new Pcapng(ByteOrder.LITTLE_ENDIAN).spb(40, frame(40, 0))
                .idb(LinkType.ETHERNET, 0, null, null).spb(40, frame(40, 0));
        try (PacketSource source = open(png.bytes())) {
            assertEquals(1, readAll(source).size());
            assertNull(source.fault());
        }
        assertEquals(1, counters.errors.get(CaptureError.UNKNOWN_INTERFACE));
    }

    @Test
    void obsoletePacketBlocks() {
        Pcapng png = new Pcapng(ByteOrder.LITTLE_ENDIAN)
                .idb(LinkType.ETHERNET, 65535, null, null)
                .idb(LinkType.RAW, 65535, 9, null)
                .opb(1, 77, frame(33, 9), 100);
        try (PacketSource source = open(png.bytes())) {
            Frame f = readAll(source).get(0);
            assertArrayEquals(frame(33, 9), f.data());
            assertEquals(100, f.originalLength());
            assertEquals(77, f.timestampNanos());
            assertEquals(LinkType.RAW, f.linkType());
            assertEquals(1, f.interfaceId());
        }
    }

    @Test
    void otherBlocksAreSkippedWhateverTheirSize() {
        Pcapng png = new Pcapng(ByteOrder.BIG_ENDIAN)
                .block(4, new byte[] {0, 1, 0, 8, 10, 0, 0, 1, 'h', 'o', 's', 't', 0, 0, 0, 0}) // NRB
                .idb(LinkType.ETHERNET, 0, null, null)
                .epb(0, 1, frame(20, 0), 20)
                .block(5, new byte[24])                           // ISB
                .block(0x0A, new byte[40])                        // DSB
                .block(0x00000BAD, new byte[] {1, 2, 3})          // custom, padded
                .block(0x40000BAD, new byte[12])                  // custom, do not copy
                .block(0x12345678, new byte[0])                   // unknown, minimal
                .block(0xBAD, new byte[3 << 20])                  // larger than the read buffer
                .epb(0, 2, frame(20, 1), 20);
        try (PacketSource source = open(png.bytes())) {
            List<Frame> frames = readAll(source);
            assertNull(source.fault());
            assertEquals(2, frames.size());
            assertArrayEquals(frame(20, 1), frames.get(1).data());
        }
        assertEquals(0, counters.errors.total());
    }

    @Test
    void blockLengthBelowTwelve() {
        Pcapng png = packets(2);
        int bad = png.offset();
        png.block(6, 8, new byte[0], 8);
        assertFault(png.bytes(), 2, CaptureError.BAD_BLOCK_LENGTH, bad);
    }

    @Test
    void blockLengthNotAMultipleOfFour() {
        Pcapng png = packets(1);
        int bad = png.offset();
        png.block(6, 50, new byte[40], 50);
        assertFault(png.bytes(), 1, CaptureError.BAD_BLOCK_LENGTH, bad);
    }

    @Test
    void blockLengthBeyondTheSaneLimit() {
        Pcapng png = packets(1);
        int bad = png.offset();
        png.block(0xBAD, (int) PcapngReader.MAX_BLOCK_LENGTH + 4, new byte[16], 0);
        assertFault(png.bytes(), 1, CaptureError.BAD_BLOCK_LENGTH, bad);
    }

    @Test
    void blockLengthPastEndOfFile() {
        Pcapng png = packets(3);
        int bad = png.offset();
        png.block(6, 1024, new byte[40], 1024);
        assertFault(png.bytes(), 3, CaptureError.BAD_BLOCK_LENGTH, bad);
    }

    @Test
    void blockLengthPastEndOfGzipStream() {
        Pcapng png = packets(3);
        int bad = png.offset();
        png.block(6, 1024, new byte[40], 1024);
        try (PacketSource source = CaptureFiles.open(write(dir, "t.pcapng.gz", TestCaptures.gzip(png.bytes())), 0, counters)) {
            assertEquals(3, readAll(source).size());
            assertEquals(CaptureError.BAD_BLOCK_LENGTH, source.fault().error());
            assertEquals(bad, source.fault().offset());
        }
    }

    @Test
    void trailerDiffersFromHeader() {
        Pcapng png = packets(2);
        int bad = png.offset();
        png.block(0xBAD, 28, new byte[16], 32).epb(0, 1, frame(10, 0), 10);
        assertFault(png.bytes(), 2, CaptureError.BAD_BLOCK_TRAILER, bad + 24);
    }

    @Test
    void packetBlockTrailerIsCheckedToo() {
        Pcapng png = packets(1);
        byte[] bytes = png.epb(0, 1, frame(10, 0), 10).bytes();
        bytes[bytes.length - 1] ^= 0x40;
        assertFault(bytes, 1, CaptureError.BAD_BLOCK_TRAILER, bytes.length - 4);
    }

    @Test
    void truncatedBlockHeaderAtEnd() {
        Pcapng png = packets(2);
        int cut = png.offset();
        png.raw(new byte[] {6, 0, 0});
        assertFault(png.bytes(), 2, CaptureError.TRUNCATED_RECORD_HEADER, cut);
    }

    @Test
    void caplenBeyondItsBlockIsSkipped() {
        Pcapng png = packets(1);
        int bad = png.offset();
        png.epb(0, 1, 500, 500, frame(40, 0)).epb(0, 2, frame(40, 1), 40);
        try (PacketSource source = open(png.bytes())) {
            assertEquals(2, readAll(source).size());
            assertNull(source.fault());
            assertEquals(CaptureError.TRUNCATED_RECORD, source.warnings().get(0).error());
            assertEquals(bad, source.warnings().get(0).offset());
        }
    }

    @Test
    void caplenAbove256KiBIsSkippedSinceTheBlockFramingHolds() {
        Pcapng png = packets(1).epb(0, 1, CapturedPacket.MAX_CAPTURE_LENGTH + 4, 300_000, frame(CapturedPacket.MAX_CAPTURE_LENGTH + 4, 0))
                .epb(0, 2, frame(40, 1), 40);
        try (PacketSource source = open(png.bytes())) {
            assertEquals(2, readAll(source).size());
            assertNull(source.fault());
        }
        assertEquals(1, counters.errors.get(CaptureError.CAPLEN_TOO_LARGE));
    }

    @Test
    void caplenAboveSnaplenIsKept() {
        Pcapng png = new Pcapng(ByteOrder.LITTLE_ENDIAN).idb(LinkType.ETHERNET, 50, null, null)
                .epb(0, 1, frame(60, 0), 60).epb(0, 1, frame(60, 0), 60);
        try (PacketSource source = open(png.bytes())) {
            assertEquals(2, readAll(source).size());
            assertEquals(CaptureError.CAPLEN_ABOVE_SNAPLEN, source.warnings().get(0).error());
        }
        assertEquals(2, counters.errors.get(CaptureError.CAPLEN_ABOVE_SNAPLEN));
    }

    @Test
    void badByteOrderMagicInALaterSection() {
        Pcapng png = packets(2);
        int bad = png.offset();
        png.block(0x0A0D0D0A, new byte[] {1, 2, 3, 4, 0, 1, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1});
        assertFault(png.bytes(), 2, CaptureError.BAD_MAGIC, bad + 8);
    }

    @Test
    void unsupportedSectionVersion() {
        byte[] bytes = packets(1).bytes();
        bytes[12] = 2; // little-endian major version of the first SHB
        assertFault(bytes, 0, CaptureError.UNSUPPORTED_VERSION, 12);
    }

    @Test
    void gzipCompressedPcapngReportsCompressedProgress() {
        byte[] gz = TestCaptures.gzip(packets(50).bytes());
        try (PacketSource source = CaptureFiles.open(write(dir, "t.pcapng.gz", gz), 0, counters)) {
            assertEquals(50, readAll(source).size());
            assertNull(source.fault());
            assertEquals(gz.length, source.bytesConsumed());
            assertEquals(gz.length, source.bytesTotal());
        }
    }

    @Test
    void resolutionConversionsAgainstExactArithmetic() {
        long[] samples = {0, 1, 999, 1L << 31, (1L << 32) + 17, 1_700_000_000_123_456_789L, Long.MAX_VALUE, -1L, Long.MIN_VALUE};
        for (int shift = 0; shift < 130; shift++) {
            for (long units : samples) {
                assertEquals(exactPow2(units, shift), PcapngReader.pow2ToNanos(units, shift), "units " + units + " shift " + shift);
            }
        }
    }

    @Test
    void powerOfTwoResolutionIsExactFloor() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20240227);
        for (int i = 0; i < 3000; i++) {
            long units = i < 64 ? (1L << i) - (i & 1) : random.nextLong();
            int shift = 1 + random.nextInt(127);
            assertEquals(exactPow2(units, shift), PcapngReader.pow2ToNanos(units, shift),
                    "units " + units + " shift " + shift);
        }
    }

    /** floor(unsigned(units) * 1e9 / 2^shift), truncated to 64 bits as the reader's arithmetic wraps. */
    private static long exactPow2(long units, int shift) {
        BigInteger u = new BigInteger(Long.toUnsignedString(units));
        return u.multiply(BigInteger.valueOf(SECOND)).shiftRight(shift).longValue();
    }

    /** One LE section with one Ethernet interface and n packets. */
    private static Pcapng packets(int n) {
        Pcapng png = new Pcapng(ByteOrder.LITTLE_ENDIAN).idb(LinkType.ETHERNET, 0, null, null);
        for (int i = 0; i < n; i++) {
            png.epb(0, i, frame(40 + i, i), 40 + i);
        }
        return png;
    }

    private void assertFault(byte[] content, int packetsBefore, CaptureError error, long offset) {
        try (PacketSource source = open(content)) {
            assertEquals(packetsBefore, readAll(source).size());
            CaptureFault fault = source.fault();
            assertEquals(error, fault == null ? null : fault.error(), String.valueOf(fault));
            assertEquals(offset, fault.offset(), fault.toString());
            assertNull(source.next());
        }
        assertEquals(1, counters.errors.get(error));
    }
}
