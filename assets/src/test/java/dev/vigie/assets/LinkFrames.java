package dev.vigie.assets;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.capture.LinkType;
import dev.vigie.decode.DecodeCounters;
import dev.vigie.decode.DecodeResult;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.decode.PacketDecoder;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.flow.FlowConfig;
import dev.vigie.protocols.ProtocolAnalyzers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** Crafted link frames (ARP, DHCP, DNS, NetBIOS) fed to a tracker through the real decoder. */
final class LinkFrames implements AutoCloseable {
    final BufferAllocator allocator = new RootAllocator();
    final AssetTracker tracker;
    private final PacketDecoder decoder = new PacketDecoder(new DecodeCounters());
    private final DecodedPacket decoded = new DecodedPacket();
    private final CapturedPacket frame = new CapturedPacket();

    LinkFrames(AssetConfig config) {
        tracker = new AssetTracker(config, FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, ProtocolAnalyzers.standard()).schema(), allocator);
    }

    LinkFrames() {
        this(AssetConfig.defaults());
    }

    DecodeResult feed(byte[] bytes, long ns) {
        System.arraycopy(bytes, 0, frame.data, 0, bytes.length);
        frame.captureLength = bytes.length;
        frame.originalLength = bytes.length;
        frame.timestampNanos = ns;
        frame.linkType = LinkType.ETHERNET;
        DecodeResult r = decoder.decode(frame, decoded);
        tracker.onFrame(r, decoded, frame);
        return r;
    }

    @Override
    public void close() {
        tracker.close();
        allocator.close();
    }

    // ------------------------------------------------------------------------------------------------ builders

    static long mac(String s) {
        return OuiTable.parseMac(s);
    }

    static int ip(String s) {
        return Addresses.ipv4(s);
    }

    static byte[] ethernet(long dst, long src, int type, byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        put(o, dst, 6);
        put(o, src, 6);
        put(o, type, 2);
        o.writeBytes(payload);
        return o.toByteArray();
    }

    static byte[] arp(int op, long sha, int spa, long tha, int tpa) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        put(o, 1, 2);
        put(o, 0x0800, 2);
        o.write(6);
        o.write(4);
        put(o, op, 2);
        put(o, sha, 6);
        put(o, spa & 0xFFFFFFFFL, 4);
        put(o, tha, 6);
        put(o, tpa & 0xFFFFFFFFL, 4);
        return ethernet(op == 1 ? 0xFFFFFFFFFFFFL : tha, sha, 0x0806, o.toByteArray());
    }

    static byte[] udp(long srcMac, int src, int sport, int dst, int dport, byte[] payload) {
        ByteArrayOutputStream u = new ByteArrayOutputStream();
        put(u, sport, 2);
        put(u, dport, 2);
        put(u, 8 + payload.length, 2);
        put(u, 0, 2);
        u.writeBytes(payload);
        byte[] udp = u.toByteArray();
        ByteArrayOutputStream ip = new ByteArrayOutputStream();
        ip.write(0x45);
        ip.write(0);
        put(ip, 20 + udp.length, 2);
        put(ip, 1, 2);
        put(ip, 0, 2);
        ip.write(64);
        ip.write(17);
        put(ip, 0, 2);
        put(ip, src & 0xFFFFFFFFL, 4);
        put(ip, dst & 0xFFFFFFFFL, 4);
        ip.writeBytes(udp);
        return ethernet(0xFFFFFFFFFFFFL, srcMac, 0x0800, ip.toByteArray());
    }

    /** A BOOTP message with the given options (code, value...) appended after the magic cookie. */
    static byte[] dhcp(int op, long chaddr, int ciaddr, int yiaddr, byte[]... options) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(op);
        o.write(1);
        o.write(6);
        o.write(0);
        put(o, 0x1234, 4);
        put(o, 0, 4);
        put(o, ciaddr & 0xFFFFFFFFL, 4);
        put(o, yiaddr & 0xFFFFFFFFL, 4);
        put(o, 0, 8);
        put(o, chaddr, 6);
        o.writeBytes(new byte[10 + 64 + 128]);
        put(o, 0x63825363L, 4);
        for (byte[] opt : options) o.writeBytes(opt);
        o.write(255);
        return o.toByteArray();
    }

    static byte[] option(int code, byte[] value) {
        byte[] b = new byte[value.length + 2];
        b[0] = (byte) code;
        b[1] = (byte) value.length;
        System.arraycopy(value, 0, b, 2, value.length);
        return b;
    }

    static byte[] option(int code, String value) {
        return option(code, value.getBytes(StandardCharsets.US_ASCII));
    }

    /** A DNS response with one answer record: owner name, type, rdata (already encoded). */
    static byte[] dnsAnswer(String owner, int type, byte[] rdata) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        put(o, 0x4242, 2);
        put(o, 0x8400, 2);
        put(o, 0, 2);
        put(o, 1, 2);
        put(o, 0, 4);
        o.writeBytes(name(owner));
        put(o, type, 2);
        put(o, 1, 2);
        put(o, 120, 4);
        put(o, rdata.length, 2);
        o.writeBytes(rdata);
        return o.toByteArray();
    }

    static byte[] name(String dotted) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (String label : dotted.split("\\.")) {
            o.write(label.length());
            o.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        o.write(0);
        return o.toByteArray();
    }

    static void put(ByteArrayOutputStream o, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) o.write((int) (v >>> (8 * i)));
    }
}
