package dev.vigie.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * pcapng: a sequence of sections, each a Section Header Block (which fixes the byte order) followed by Interface
 * Description Blocks and packet blocks (EPB, SPB, obsolete OPB) referring to those interfaces. Every other block
 * type is skipped by its length.
 *
 * <p>Unlike classic pcap, every block is framed twice (length before and after), so a block whose content makes no
 * sense (unknown interface, caplen beyond the block) is counted and skipped, while a block whose <em>framing</em>
 * is broken (bad length, trailer mismatch) ends the file: nothing after it can be trusted.
 */
final class PcapngReader extends CaptureFileReader {
    static final int SHB = 0x0A0D0D0A;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int IDB = 1;
    private static final int OPB = 2;
    private static final int SPB = 3;
    private static final int EPB = 6;

    /**
     * Largest block we accept. Real blocks are far smaller (a packet block is bounded by 256 KiB of data plus
     * options); a larger length is almost surely corruption, and skipping it would swallow the rest of the file.
     */
    static final long MAX_BLOCK_LENGTH = 16L << 20;
    /** Interfaces per section beyond this are ignored (their packets count as UNKNOWN_INTERFACE): bounds memory. */
    static final int MAX_INTERFACES = 1 << 16;
    private static final int MIN_SHB_LENGTH = 28;
    private static final int MIN_IDB_LENGTH = 20;
    private static final int EPB_HEAD = 28;
    private static final int OPB_HEAD = 28;
    private static final int SPB_HEAD = 12;

    private static final int OPT_ENDOFOPT = 0;
    private static final int IF_TSRESOL = 9;
    private static final int IF_TSOFFSET = 14;

    /** Timestamp conversion modes, per interface. */
    private static final int TS_MULTIPLY = 0;
    private static final int TS_DIVIDE = 1;
    private static final int TS_POW2 = 2;

    // Interfaces of the current section, in parallel arrays so the packet path reads primitives only.
    private int interfaceCount;
    private int[] ifLinkType = new int[4];
    private long[] ifSnaplen = new long[4];
    private int[] ifTsMode = new int[4];
    /** Multiplier (TS_MULTIPLY), divisor (TS_DIVIDE, unsigned) or shift (TS_POW2). */
    private long[] ifTsFactor = new long[4];
    private long[] ifTsOffsetNanos = new long[4];

    private boolean sawSection;
    /** SPBs carry no timestamp: they get the last one seen, which keeps a merge in order. */
    private long lastTimestampNanos;

    /** Checks the first block's header; {@code in} must hold the 4-byte block type (the SHB type). */
    PcapngReader(String name, InputBuffer in, int sourceIndex, CaptureCounters counters) throws IOException {
        super(name, in, sourceIndex, counters);
        if (!in.ensure(12)) {
            fail(0, CaptureError.TRUNCATED_FILE_HEADER, in.available() + " bytes, a section header block needs " + MIN_SHB_LENGTH);
            return;
        }
        int bom = in.buf.order(ByteOrder.BIG_ENDIAN).getInt(in.pos + 8);
        if (bom != BYTE_ORDER_MAGIC && bom != Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            fail(8, CaptureError.BAD_MAGIC, "pcapng byte-order magic 0x" + Integer.toHexString(bom));
            return;
        }
        if (!in.ensure(MIN_SHB_LENGTH)) {
            fail(0, CaptureError.TRUNCATED_FILE_HEADER, in.available() + " bytes, a section header block needs " + MIN_SHB_LENGTH);
        }
    }

    @Override
    protected CapturedPacket readNext() throws IOException {
        final InputBuffer in = this.in;
        final ByteBuffer b = in.buf;
        while (true) {
            long blockOffset = in.offset();
            if (!in.ensure(8)) {
                int left = in.available();
                if (left == 0) {
                    return null;
                }
                return fail(blockOffset, CaptureError.TRUNCATED_RECORD_HEADER, left + " bytes left, a block header needs 8");
            }
            int type = b.getInt(in.pos);
            if (type == SHB) {
                if (!in.ensure(12)) {
                    return fail(blockOffset, CaptureError.BAD_BLOCK_LENGTH, "section header block runs past end of input");
                }
                int bom = b.getInt(in.pos + 8);
                if (bom == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
                    b.order(b.order() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                } else if (bom != BYTE_ORDER_MAGIC) {
                    return fail(blockOffset + 8, CaptureError.BAD_MAGIC, "pcapng byte-order magic 0x" + Integer.toHexString(bom));
                }
            } else if (!sawSection) {
                return fail(blockOffset, CaptureError.BAD_MAGIC, "pcapng file does not start with a section header block");
            }
            long length = b.getInt(in.pos + 4) & 0xFFFFFFFFL;
            if (length < 12 || (length & 3) != 0 || length > MAX_BLOCK_LENGTH) {
                return fail(blockOffset, CaptureError.BAD_BLOCK_LENGTH, "block type 0x" + Integer.toHexString(type) + " length " + length);
            }
            long streamSize = in.streamSize();
            if (streamSize >= 0 && blockOffset + length > streamSize) {
                return fail(blockOffset, CaptureError.BAD_BLOCK_LENGTH,
                        "block of " + length + " bytes runs past end of file (" + (streamSize - blockOffset) + " left)");
            }
            switch (type) {
                case EPB -> {
                    if (length < EPB_HEAD + 4) {
                        return tooShort(blockOffset, type, length);
                    }
                    if (!in.ensure(EPB_HEAD)) {
                        return pastEnd(blockOffset, length);
                    }
                    int p = in.pos;
                    int interfaceId = b.getInt(p + 8);
                    long units = ((long) b.getInt(p + 12) << 32) | (b.getInt(p + 16) & 0xFFFFFFFFL);
                    int caplen = b.getInt(p + 20);
                    int len = b.getInt(p + 24);
                    if (readPacket(blockOffset, length, EPB_HEAD, interfaceId, units, caplen, len)) {
                        return emit();
                    }
                    if (fault() != null) {
                        return null;
                    }
                }
                case SPB -> {
                    if (length < SPB_HEAD + 4) {
                        return tooShort(blockOffset, type, length);
                    }
                    if (!in.ensure(SPB_HEAD)) {
                        return pastEnd(blockOffset, length);
                    }
                    int len = b.getInt(in.pos + 8);
                    long room = length - SPB_HEAD - 4;
                    long caplen = Math.min(len & 0xFFFFFFFFL, room);
                    if (interfaceCount > 0 && ifSnaplen[0] != 0) {
                        caplen = Math.min(caplen, ifSnaplen[0]);
                    }
                    if (readPacket(blockOffset, length, SPB_HEAD, 0, 0, (int) caplen, len)) {
                        return emit();
                    }
                    if (fault() != null) {
                        return null;
                    }
                }
                case OPB -> {
                    if (length < OPB_HEAD + 4) {
                        return tooShort(blockOffset, type, length);
                    }
                    if (!in.ensure(OPB_HEAD)) {
                        return pastEnd(blockOffset, length);
                    }
                    int p = in.pos;
                    int interfaceId = b.getShort(p + 8) & 0xFFFF;
                    long units = ((long) b.getInt(p + 12) << 32) | (b.getInt(p + 16) & 0xFFFFFFFFL);
                    int caplen = b.getInt(p + 20);
                    int len = b.getInt(p + 24);
                    if (readPacket(blockOffset, length, OPB_HEAD, interfaceId, units, caplen, len)) {
                        return emit();
                    }
                    if (fault() != null) {
                        return null;
                    }
                }
                case IDB -> {
                    if (length < MIN_IDB_LENGTH) {
                        return tooShort(blockOffset, type, length);
                    }
                    if (!readInterface(blockOffset, length)) {
                        return null;
                    }
                }
                case SHB -> {
                    if (length < MIN_SHB_LENGTH) {
                        return tooShort(blockOffset, type, length);
                    }
                    if (!in.ensure(16)) {
                        return pastEnd(blockOffset, length);
                    }
                    int major = b.getShort(in.pos + 12) & 0xFFFF;
                    int minor = b.getShort(in.pos + 14) & 0xFFFF;
                    if (major != 1) {
                        return fail(blockOffset + 12, CaptureError.UNSUPPORTED_VERSION,
                                "pcapng version " + major + "." + minor + ", expected 1.0");
                    }
                    sawSection = true;
                    interfaceCount = 0;
                    if (!finishBlock(blockOffset, length)) {
                        return null;
                    }
                }
                default -> {
                    if (!finishBlock(blockOffset, length)) {
                        return null;
                    }
                }
            }
        }
    }

    /**
     * Reads a packet block's data into the flyweight and finishes the block. {@code in.pos} is at the block start
     * and {@code head} bytes are available.
     *
     * @param units timestamp in the interface's units (ignored for an SPB, which has none)
     * @return true if the flyweight holds a packet; false if the block was skipped, or a fault ended the file
     *         (then {@link #fault()} is set)
     */
    private boolean readPacket(long blockOffset, long length, int head, int interfaceId, long units, int caplen, int len)
            throws IOException {
        if (Integer.compareUnsigned(interfaceId, interfaceCount) >= 0) {
            warn(blockOffset, CaptureError.UNKNOWN_INTERFACE,
                    "interface " + Integer.toUnsignedString(interfaceId) + ", " + interfaceCount + " described");
            finishBlock(blockOffset, length);
            return false;
        }
        long room = length - head - 4;
        if (Integer.compareUnsigned(caplen, CapturedPacket.MAX_CAPTURE_LENGTH) > 0) {
            // The block framing still holds, so unlike classic pcap we can skip just this packet.
            warn(blockOffset, CaptureError.CAPLEN_TOO_LARGE, "caplen " + Integer.toUnsignedString(caplen));
            finishBlock(blockOffset, length);
            return false;
        }
        if (caplen > room) {
            warn(blockOffset, CaptureError.TRUNCATED_RECORD, "caplen " + caplen + " exceeds the block's " + room + " data bytes");
            finishBlock(blockOffset, length);
            return false;
        }
        long snaplen = ifSnaplen[interfaceId];
        if (caplen > snaplen && snaplen != 0) {
            warn(blockOffset, CaptureError.CAPLEN_ABOVE_SNAPLEN, "caplen " + caplen + " > snaplen " + snaplen);
        }
        if (!in.ensure(head + caplen)) {
            pastEnd(blockOffset, length);
            return false;
        }
        CapturedPacket packet = this.packet;
        in.buf.get(in.pos + head, packet.data, 0, caplen);
        packet.captureLength = caplen;
        packet.originalLength = len;
        packet.linkType = ifLinkType[interfaceId];
        packet.interfaceId = interfaceId;
        packet.fileOffset = blockOffset;
        if (head != SPB_HEAD) {
            lastTimestampNanos = toNanos(units, ifTsMode[interfaceId], ifTsFactor[interfaceId]) + ifTsOffsetNanos[interfaceId];
        }
        packet.timestampNanos = lastTimestampNanos;
        return finishBlock(blockOffset, length);
    }

    /** Parses an IDB, options included when the block fits the buffer (any real one does). */
    private boolean readInterface(long blockOffset, long length) throws IOException {
        InputBuffer in = this.in;
        ByteBuffer b = in.buf;
        int whole = (int) Math.min(length, in.capacity());
        if (!in.ensure(whole)) {
            pastEnd(blockOffset, length);
            return false;
        }
        int p = in.pos;
        int linkType = b.getShort(p + 8) & 0xFFFF;
        long snaplen = b.getInt(p + 12) & 0xFFFFFFFFL;
        int resolution = 6;
        long offsetSeconds = 0;
        // Options run from byte 16 to the trailer; a malformed option list just ends the parse.
        int o = p + 16;
        int end = p + whole - (whole == length ? 4 : 0);
        while (o + 4 <= end) {
            int code = b.getShort(o) & 0xFFFF;
            int optLength = b.getShort(o + 2) & 0xFFFF;
            if (code == OPT_ENDOFOPT || o + 4 + optLength > end) {
                break;
            }
            if (code == IF_TSRESOL && optLength >= 1) {
                resolution = b.get(o + 4) & 0xFF;
            } else if (code == IF_TSOFFSET && optLength >= 8) {
                offsetSeconds = b.getLong(o + 4);
            }
            o += 4 + ((optLength + 3) & ~3);
        }
        if (interfaceCount < MAX_INTERFACES) {
            addInterface(linkType, snaplen, resolution, offsetSeconds);
        }
        return finishBlock(blockOffset, length);
    }

    private void addInterface(int linkType, long snaplen, int resolution, long offsetSeconds) {
        int i = interfaceCount++;
        if (i == ifLinkType.length) {
            int n = i * 2;
            ifLinkType = Arrays.copyOf(ifLinkType, n);
            ifSnaplen = Arrays.copyOf(ifSnaplen, n);
            ifTsMode = Arrays.copyOf(ifTsMode, n);
            ifTsFactor = Arrays.copyOf(ifTsFactor, n);
            ifTsOffsetNanos = Arrays.copyOf(ifTsOffsetNanos, n);
        }
        ifLinkType[i] = linkType;
        ifSnaplen[i] = snaplen;
        ifTsOffsetNanos[i] = offsetSeconds * NANOS_PER_SECOND;
        if ((resolution & 0x80) != 0) {
            ifTsMode[i] = TS_POW2;
            ifTsFactor[i] = resolution & 0x7F;
        } else if (resolution <= 9) {
            ifTsMode[i] = TS_MULTIPLY;
            ifTsFactor[i] = pow10(9 - resolution);
        } else {
            // 10^(r-9) fits an unsigned long up to r = 28; beyond, every 64-bit count is below one nanosecond.
            ifTsMode[i] = TS_DIVIDE;
            ifTsFactor[i] = resolution - 9 <= 19 ? pow10(resolution - 9) : 0;
        }
    }

    private static long pow10(int e) {
        long v = 1;
        for (int i = 0; i < e; i++) {
            v *= 10;
        }
        return v;
    }

    /** Converts a timestamp in an interface's units (unsigned 64-bit) to nanoseconds. */
    static long toNanos(long units, int mode, long factor) {
        return switch (mode) {
            case TS_MULTIPLY -> units * factor;
            case TS_DIVIDE -> factor == 0 ? 0 : Long.divideUnsigned(units, factor);
            default -> pow2ToNanos(units, (int) factor);
        };
    }

    /** units / 2^shift seconds, in nanoseconds, exact (floor) for any shift 0..127 without overflow of the fraction. */
    static long pow2ToNanos(long units, int shift) {
        if (shift == 0) {
            return units * NANOS_PER_SECOND;
        }
        if (shift >= 64) {
            long high = unsignedMultiplyHigh(units, NANOS_PER_SECOND);
            return shift >= 128 ? 0 : high >>> (shift - 64);
        }
        long seconds = units >>> shift;
        long fraction = units & ((1L << shift) - 1);
        // fraction * 1e9 / 2^shift on 128 bits: the fraction may use up to 63 bits.
        long high = unsignedMultiplyHigh(fraction, NANOS_PER_SECOND);
        long low = fraction * NANOS_PER_SECOND;
        long fractionNanos = (high << (64 - shift)) | (low >>> shift);
        return seconds * NANOS_PER_SECOND + fractionNanos;
    }

    private static long unsignedMultiplyHigh(long x, long y) {
        // Math.unsignedMultiplyHigh is Java 18; this is its documented derivation from the signed one.
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }

    /** Skips to the block's trailer and checks it against the header's length. */
    private boolean finishBlock(long blockOffset, long length) throws IOException {
        long trailerAt = blockOffset + length - 4;
        if (!in.skip(trailerAt - in.offset()) || !in.ensure(4)) {
            pastEnd(blockOffset, length);
            return false;
        }
        long trailer = in.buf.getInt(in.pos) & 0xFFFFFFFFL;
        if (trailer != length) {
            fail(trailerAt, CaptureError.BAD_BLOCK_TRAILER, "trailer says " + trailer + ", header " + length);
            return false;
        }
        in.pos += 4;
        return true;
    }

    private CapturedPacket tooShort(long blockOffset, int type, long length) {
        return fail(blockOffset, CaptureError.BAD_BLOCK_LENGTH, "block type " + type + " cannot be " + length + " bytes long");
    }

    private CapturedPacket pastEnd(long blockOffset, long length) {
        return fail(blockOffset, CaptureError.BAD_BLOCK_LENGTH, "block of " + length + " bytes runs past end of input");
    }
}
