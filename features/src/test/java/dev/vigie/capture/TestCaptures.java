package dev.vigie.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Crafts pcap and pcapng files byte by byte, including broken ones, and reads sources back for assertions. */
public final class TestCaptures {
    private TestCaptures() {}

    /** Frame bytes whose content identifies them: {@code tag, tag+1, ...}. */
    public static byte[] frame(int length, int tag) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (tag + i);
        }
        return b;
    }

    /** Classic pcap. */
    public static final class Pcap {
        private final ByteOrder order;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Pcap(ByteOrder order, boolean nanos, int major, int minor, int snaplen, int linkTypeField) {
            this.order = order;
            ByteBuffer h = ByteBuffer.allocate(24).order(order);
            h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) major).putShort((short) minor)
                    .putInt(0).putInt(0).putInt(snaplen).putInt(linkTypeField);
            out.writeBytes(h.array());
        }

        public Pcap(ByteOrder order, boolean nanos, int snaplen, int linkType) {
            this(order, nanos, 2, 4, snaplen, linkType);
        }

        /** Offset the next record will start at. */
        public int offset() {
            return out.size();
        }

        public Pcap record(long seconds, long fraction, int caplen, int origlen, byte[] data) {
            ByteBuffer h = ByteBuffer.allocate(16).order(order);
            h.putInt((int) seconds).putInt((int) fraction).putInt(caplen).putInt(origlen);
            out.writeBytes(h.array());
            out.writeBytes(data);
            return this;
        }

        public Pcap record(long seconds, long fraction, byte[] data) {
            return record(seconds, fraction, data.length, data.length, data);
        }

        public Pcap raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        public byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** pcapng, one block at a time; {@link #shb(ByteOrder)} starts a new section in any byte order. */
    public static final class Pcapng {
        private ByteOrder order;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Pcapng(ByteOrder order) {
            shb(order);
        }

        public int offset() {
            return out.size();
        }

        public Pcapng shb(ByteOrder newOrder) {
            this.order = newOrder;
            ByteBuffer body = ByteBuffer.allocate(16).order(order);
            body.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
            return block(0x0A0D0D0A, body.array());
        }

        /** IDB; tsresol / tsoffset null for the defaults. */
        public Pcapng idb(int linkType, int snaplen, Integer tsresol, Long tsoffset) {
            ByteBuffer body = ByteBuffer.allocate(64).order(order);
            body.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
            // An option we do not read first, to prove options are walked, not assumed.
            body.putShort((short) 2).putShort((short) 3).put(new byte[] {'e', 't', 'h', 0});
            if (tsresol != null) {
                body.putShort((short) 9).putShort((short) 1).put(new byte[] {(byte) (int) tsresol, 0, 0, 0});
            }
            if (tsoffset != null) {
                body.putShort((short) 14).putShort((short) 8).putLong(tsoffset);
            }
            body.putShort((short) 0).putShort((short) 0);
            return block(1, slice(body));
        }

        public Pcapng epb(int iface, long units, byte[] data, int origlen) {
            return epb(iface, units, data.length, origlen, data);
        }

        public Pcapng epb(int iface, long units, int caplen, int origlen, byte[] data) {
            ByteBuffer body = ByteBuffer.allocate(20 + pad(data.length) + 12).order(order);
            body.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units).putInt(caplen).putInt(origlen);
            body.put(data).position(20 + pad(data.length));
            // One option (epb_flags) after the data, as writers do.
            body.putShort((short) 2).putShort((short) 4).putInt(1).putShort((short) 0).putShort((short) 0);
            return block(6, body.array());
        }

        public Pcapng spb(int origlen, byte[] data) {
            ByteBuffer body = ByteBuffer.allocate(4 + pad(data.length)).order(order);
            body.putInt(origlen).put(data);
            return block(3, body.array());
        }

        public Pcapng opb(int iface, long units, byte[] data, int origlen) {
            ByteBuffer body = ByteBuffer.allocate(20 + pad(data.length)).order(order);
            body.putShort((short) iface).putShort((short) 0).putInt((int) (units >>> 32)).putInt((int) units)
                    .putInt(data.length).putInt(origlen).put(data);
            return block(2, body.array());
        }

        /** Any block; the body is padded to 4 bytes. */
        public Pcapng block(int type, byte[] body) {
            int length = 12 + pad(body.length);
            return block(type, length, body, length);
        }

        /** A block with explicit (possibly lying) header and trailer lengths. */
        public Pcapng block(int type, int headerLength, byte[] body, int trailerLength) {
            ByteBuffer b = ByteBuffer.allocate(12 + pad(body.length)).order(order);
            b.putInt(type).putInt(headerLength).put(body).position(8 + pad(body.length));
            b.putInt(trailerLength);
            out.writeBytes(b.array());
            return this;
        }

        public Pcapng raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        public ByteOrder order() {
            return order;
        }

        public byte[] bytes() {
            return out.toByteArray();
        }

        private static byte[] slice(ByteBuffer b) {
            byte[] a = new byte[b.position()];
            b.flip().get(a);
            return a;
        }
    }

    public static int pad(int n) {
        return (n + 3) & ~3;
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A frame as read, copied out of the flyweight. */
    record Frame(byte[] data, int originalLength, long timestampNanos, int linkType, int sourceIndex, int interfaceId, long fileOffset) {
        public static Frame of(CapturedPacket p) {
            byte[] d = new byte[p.captureLength];
            System.arraycopy(p.data, 0, d, 0, p.captureLength);
            return new Frame(d, p.originalLength, p.timestampNanos, p.linkType, p.sourceIndex, p.interfaceId, p.fileOffset);
        }

        public int captureLength() {
            return data.length;
        }
    }

    public static List<Frame> readAll(PacketSource source) {
        List<Frame> frames = new ArrayList<>();
        for (CapturedPacket p = source.next(); p != null; p = source.next()) {
            frames.add(Frame.of(p));
        }
        return frames;
    }
}
