package dev.vigie.rules;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.flow.FlowConfig;
import dev.vigie.flow.FlowCounters;
import dev.vigie.flow.FlowSink;
import dev.vigie.flow.FlowTable;

/** Crafted flows for engine tests: decoded packets driven through a real flow table. */
final class Flows {
    final FlowTable table;
    private final DecodedPacket p = new DecodedPacket();
    private final CapturedPacket frame = new CapturedPacket();

    Flows(FlowSink sink) {
        table = new FlowTable(FlowConfig.DEFAULTS, sink, new FlowCounters());
    }

    static long v4(String dotted) {
        long v = 0;
        for (String part : dotted.split("\\.")) v = (v << 8) | Integer.parseInt(part);
        return v;
    }

    private void tcp(double ts, String src, int sport, String dst, int dport, int flags, int payload) {
        p.clear();
        frame.timestampNanos = Math.round(ts * 1e9);
        p.ipVersion = 4;
        p.srcLo = v4(src);
        p.dstLo = v4(dst);
        p.protocol = DecodedPacket.PROTO_TCP;
        p.ttl = 64;
        p.ipTotalLength = 40 + payload;
        p.ipHeaderLength = 20;
        p.payloadLength = payload;
        p.payloadCaptured = payload;
        p.hasTransport = true;
        p.srcPort = sport;
        p.dstPort = dport;
        p.tcpFlags = flags;
        p.tcpSeq = 1000;
        p.tcpWindow = 29200;
        p.tcpHeaderLength = 20;
        table.onPacket(p, frame);
    }

    /** A SYN that gets a RST: a closed port (REJ), ended at once. */
    void rejected(double ts, String src, int sport, String dst, int dport) {
        tcp(ts, src, sport, dst, dport, DecodedPacket.TCP_SYN, 0);
        tcp(ts + 0.001, dst, dport, src, sport, DecodedPacket.TCP_RST | DecodedPacket.TCP_ACK, 0);
    }

    /** A full TCP session with data both ways and a FIN close. */
    void session(double ts, String src, int sport, String dst, int dport, int origBytes, int respBytes, double duration) {
        int syn = DecodedPacket.TCP_SYN;
        int ack = DecodedPacket.TCP_ACK;
        tcp(ts, src, sport, dst, dport, syn, 0);
        tcp(ts + 0.001, dst, dport, src, sport, syn | ack, 0);
        tcp(ts + 0.002, src, sport, dst, dport, ack, 0);
        tcp(ts + 0.003, src, sport, dst, dport, ack | DecodedPacket.TCP_PSH, origBytes);
        tcp(ts + 0.004, dst, dport, src, sport, ack | DecodedPacket.TCP_PSH, respBytes);
        tcp(ts + duration, src, sport, dst, dport, ack | DecodedPacket.TCP_FIN, 0);
        tcp(ts + duration + 0.001, dst, dport, src, sport, ack | DecodedPacket.TCP_FIN, 0);
    }

    void end() {
        table.flushAll();
    }
}
