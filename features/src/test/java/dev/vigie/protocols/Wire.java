package dev.vigie.protocols;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodedPacket;

/** Decoded packets built directly (no frame parsing): the payload sits at a fixed offset of the frame buffer. */
final class Wire {
    static final int PAYLOAD_OFFSET = 54;

    final DecodedPacket p = new DecodedPacket();
    final CapturedPacket frame = new CapturedPacket();

    static long v4(String dotted) {
        long v = 0;
        for (String part : dotted.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }

    private Wire ip(long tsNanos, String src, String dst, int protocol, byte[] payload, int off, int len) {
        p.clear();
        frame.timestampNanos = tsNanos;
        p.ipVersion = 4;
        p.srcLo = v4(src);
        p.dstLo = v4(dst);
        p.protocol = protocol;
        p.ttl = 64;
        p.ipHeaderLength = 20;
        p.payloadOffset = PAYLOAD_OFFSET;
        p.payloadLength = len;
        p.payloadCaptured = len;
        p.srcMac = 0x0000_0A0B_0C0D_0E01L;
        p.dstMac = 0x0000_0A0B_0C0D_0E02L;
        p.hasTransport = true;
        System.arraycopy(payload, off, frame.data, PAYLOAD_OFFSET, len);
        frame.captureLength = PAYLOAD_OFFSET + len;
        frame.originalLength = frame.captureLength;
        return this;
    }

    Wire tcp(long tsNanos, String src, int sport, String dst, int dport, int flags, long seq, long ack,
             byte[] payload, int off, int len) {
        ip(tsNanos, src, dst, DecodedPacket.PROTO_TCP, payload, off, len);
        p.ipTotalLength = 40 + len;
        p.srcPort = sport;
        p.dstPort = dport;
        p.tcpFlags = flags;
        p.tcpSeq = seq & 0xFFFFFFFFL;
        p.tcpAck = ack & 0xFFFFFFFFL;
        p.tcpWindow = 29200;
        p.tcpHeaderLength = 20;
        return this;
    }

    Wire udp(long tsNanos, String src, int sport, String dst, int dport, byte[] payload) {
        ip(tsNanos, src, dst, DecodedPacket.PROTO_UDP, payload, 0, payload.length);
        p.ipTotalLength = 28 + payload.length;
        p.srcPort = sport;
        p.dstPort = dport;
        return this;
    }
}
