package dev.vigie.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Classic libpcap file format: a 24-byte file header, then records of a 16-byte header and caplen bytes.
 *
 * <p>Classic pcap has no framing besides caplen, so a caplen above 256 KiB means we have lost the record boundaries
 * and stop; a caplen merely above the file's snaplen is a sloppy writer and the record is kept.
 */
final class PcapReader extends CaptureFileReader {
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int FILE_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;

    private final long fractionToNanos;
    /** Unsigned; 0 means "no limit declared". */
    private final long snaplen;
    /**
     * libpcap before 2.3 wrote caplen and len in the other order, and 2.3 files exist either way: libpcap swaps
     * always below 2.3 and when caplen &gt; len at 2.3. We do the same so such files read as tcpdump reads them.
     */
    private final int lengthSwap;
    private static final int SWAP_NEVER = 0;
    private static final int SWAP_ALWAYS = 1;
    private static final int SWAP_IF_CAPLEN_ABOVE_LEN = 2;

    /** Reads the file header; on a bad header the reader starts out faulted. {@code in} must hold the magic. */
    PcapReader(String name, InputBuffer in, int sourceIndex, CaptureCounters counters) throws IOException {
        super(name, in, sourceIndex, counters);
        ByteBuffer b = in.buf;
        int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(in.pos);
        boolean nanos = magic == MAGIC_NANOS || magic == Integer.reverseBytes(MAGIC_NANOS);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        }
        fractionToNanos = nanos ? 1 : 1000;
        if (!in.ensure(FILE_HEADER_LENGTH)) {
            snaplen = 0;
            lengthSwap = SWAP_NEVER;
            fail(0, CaptureError.TRUNCATED_FILE_HEADER, in.available() + " bytes, a pcap file header needs " + FILE_HEADER_LENGTH);
            return;
        }
        int p = in.pos;
        int major = b.getShort(p + 4) & 0xFFFF;
        int minor = b.getShort(p + 6) & 0xFFFF;
        snaplen = b.getInt(p + 16) & 0xFFFFFFFFL;
        // The upper bits of the link-type field carry the FCS length flag, not the link type.
        packet.linkType = b.getInt(p + 20) & 0xFFFF;
        packet.interfaceId = 0;
        in.pos += FILE_HEADER_LENGTH;
        if (major != 2) {
            lengthSwap = SWAP_NEVER;
            fail(4, CaptureError.UNSUPPORTED_VERSION, "pcap version " + major + "." + minor + ", expected 2.4");
            return;
        }
        lengthSwap = minor < 3 ? SWAP_ALWAYS : minor == 3 ? SWAP_IF_CAPLEN_ABOVE_LEN : SWAP_NEVER;
    }

    @Override
    protected CapturedPacket readNext() throws IOException {
        final InputBuffer in = this.in;
        if (!in.ensure(RECORD_HEADER_LENGTH)) {
            int left = in.available();
            if (left == 0) {
                return null;
            }
            return fail(in.offset(), CaptureError.TRUNCATED_RECORD_HEADER,
                    left + " bytes left, a record header needs " + RECORD_HEADER_LENGTH);
        }
        final ByteBuffer b = in.buf;
        int p = in.pos;
        long seconds = b.getInt(p) & 0xFFFFFFFFL;
        long fraction = b.getInt(p + 4) & 0xFFFFFFFFL;
        int caplen = b.getInt(p + 8);
        int len = b.getInt(p + 12);
        if (lengthSwap != SWAP_NEVER && (lengthSwap == SWAP_ALWAYS || Integer.compareUnsigned(caplen, len) > 0)) {
            int t = caplen;
            caplen = len;
            len = t;
        }
        if (Integer.compareUnsigned(caplen, CapturedPacket.MAX_CAPTURE_LENGTH) > 0) {
            return fail(in.offset(), CaptureError.CAPLEN_TOO_LARGE, "caplen " + Integer.toUnsignedString(caplen));
        }
        if (caplen > snaplen && snaplen != 0) {
            warn(in.offset(), CaptureError.CAPLEN_ABOVE_SNAPLEN, "caplen " + caplen + " > snaplen " + snaplen);
        }
        int recordLength = RECORD_HEADER_LENGTH + caplen;
        if (!in.ensure(recordLength)) {
            return fail(in.offset(), CaptureError.TRUNCATED_RECORD,
                    "record needs " + recordLength + " bytes, " + in.available() + " left");
        }
        p = in.pos;
        CapturedPacket packet = this.packet;
        b.get(p + RECORD_HEADER_LENGTH, packet.data, 0, caplen);
        packet.captureLength = caplen;
        packet.originalLength = len;
        packet.timestampNanos = seconds * NANOS_PER_SECOND + fraction * fractionToNanos;
        packet.fileOffset = in.offset();
        in.pos = p + recordLength;
        return emit();
    }
}
