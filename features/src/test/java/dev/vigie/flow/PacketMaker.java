package dev.vigie.flow;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodedPacket;

/** Builds decoded packets directly, for flow-table tests that need exact control over every header field. */
final class PacketMaker {
    final DecodedPacket p = new DecodedPacket();
    final CapturedPacket frame = new CapturedPacket();

    static long v4(String dotted) {
        String[] parts = dotted.split("\\.");
        long v = 0;
        for (String part : parts) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }

    PacketMaker ip(double tsSeconds, String src, String dst, int protocol, int ipLength, int payload) {
        p.clear();
        frame.timestampNanos = Math.round(tsSeconds * 1e9);
        p.ipVersion = 4;
        p.srcLo = v4(src);
        p.dstLo = v4(dst);
        p.protocol = protocol;
        p.ttl = 64;
        p.ipTotalLength = ipLength;
        p.ipHeaderLength = 20;
        p.payloadLength = payload;
        p.payloadCaptured = payload;
        p.srcMac = 0x0000_0A0B_0C0D_0E01L;
        p.dstMac = 0x0000_0A0B_0C0D_0E02L;
        return this;
    }

    PacketMaker tcp(double ts, String src, int sport, String dst, int dport, int flags, long seq, int payload) {
        ip(ts, src, dst, DecodedPacket.PROTO_TCP, 40 + payload, payload);
        p.hasTransport = true;
        p.srcPort = sport;
        p.dstPort = dport;
        p.tcpFlags = flags;
        p.tcpSeq = seq & 0xFFFFFFFFL;
        p.tcpWindow = 29200;
        p.tcpHeaderLength = 20;
        if ((flags & DecodedPacket.TCP_SYN) != 0) {
            p.tcpMss = 1460;
            p.tcpWindowScale = 7;
            p.tcpSackPermitted = true;
        }
        return this;
    }

    PacketMaker udp(double ts, String src, int sport, String dst, int dport, int payload) {
        ip(ts, src, dst, DecodedPacket.PROTO_UDP, 28 + payload, payload);
        p.hasTransport = true;
        p.srcPort = sport;
        p.dstPort = dport;
        return this;
    }

    void into(FlowTable t) {
        t.onPacket(p, frame);
    }
}
