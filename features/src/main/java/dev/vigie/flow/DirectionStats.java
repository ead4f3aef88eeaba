package dev.vigie.flow;

import dev.vigie.decode.DecodedPacket;

/**
 * What one side of a flow sent. "Originator" and "responder" stats are two instances of this class; the flow
 * decides which one a packet updates. Reused across flows (see {@link Flow#reset}).
 *
 * <p>Sizes are IP-level: {@code ipBytes} counts IP total lengths (headers included, link layer excluded), as
 * Zeek's {@code orig_ip_bytes}; payload sizes are transport payload lengths claimed by the headers (TCP/UDP data,
 * the IP payload for other protocols), as CICFlowMeter's "packet length" features, whether or not the snaplen cut
 * them.
 */
public final class DirectionStats {
    static final byte INACTIVE = 0, SYN_SENT = 1, SYN_ACK_SENT = 2, PARTIAL = 3, ESTABLISHED = 4, CLOSED = 5, RESET = 6;

    long firstNs;
    long lastNs;
    int packets;
    /** Packets carrying at least one payload byte. */
    int payloadPackets;
    long ipBytes;
    long payloadBytes;
    /** Sum of squared payload lengths; long holds 2^31 packets of 65,535 bytes. */
    long payloadSquares;
    int payloadMin;
    int payloadMax;
    long iatMinNs;
    long iatMaxNs;
    /** Sum of squared inter-arrival times in seconds squared (double: ns^2 overflows a long in minutes). */
    double iatSquares;

    int fin, syn, rst, psh, ack, urg, ece, cwr;
    int zeroWindow;
    int retransmitted;
    int outOfOrder;

    /** Raw window of the first TCP packet of this side (-1: none seen). */
    int initialWindow;
    int mss;
    byte windowScale;
    boolean sackPermitted;
    boolean timestamps;
    short ttlFirst;
    short ttlMin;
    short ttlMax;

    /** TCP sequence tracking (32-bit arithmetic): highest end of data seen, and one open hole below it. */
    boolean seqKnown;
    int seqHighEnd;
    int holeStart;
    int holeEnd;
    /** Zeek-style endpoint state, for conn_state. */
    byte tcpState;

    void reset() {
        firstNs = lastNs = 0;
        packets = payloadPackets = 0;
        ipBytes = payloadBytes = payloadSquares = 0;
        payloadMin = Integer.MAX_VALUE;
        payloadMax = 0;
        iatMinNs = Long.MAX_VALUE;
        iatMaxNs = 0;
        iatSquares = 0;
        fin = syn = rst = psh = ack = urg = ece = cwr = 0;
        zeroWindow = retransmitted = outOfOrder = 0;
        initialWindow = -1;
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        ttlFirst = ttlMin = ttlMax = -1;
        seqKnown = false;
        seqHighEnd = holeStart = holeEnd = 0;
        tcpState = INACTIVE;
    }

    /** Keeps TCP sequence/endpoint state but clears the counters: the start of an active-timeout part. */
    void resetCounters() {
        int savedState = tcpState;
        boolean k = seqKnown;
        int hi = seqHighEnd, hs = holeStart, he = holeEnd;
        int win = initialWindow, m = mss;
        byte ws = windowScale;
        boolean sack = sackPermitted, ts = timestamps;
        reset();
        tcpState = (byte) savedState;
        seqKnown = k;
        seqHighEnd = hi;
        holeStart = hs;
        holeEnd = he;
        initialWindow = win;
        mss = m;
        windowScale = ws;
        sackPermitted = sack;
        timestamps = ts;
    }

    /**
     * Counts one packet. Returns the Zeek history letter events this packet caused as a bit set of
     * {@link ConnHistory} letters (lower-case index), for the flow to record with the right case.
     */
    int add(DecodedPacket p, long ts) {
        if (packets == 0) {
            firstNs = ts;
        } else {
            long gap = ts - lastNs;
            if (gap < 0) {
                gap = 0; // merged inputs or clock steps: never a negative inter-arrival
            }
            if (gap < iatMinNs) iatMinNs = gap;
            if (gap > iatMaxNs) iatMaxNs = gap;
            double s = gap * 1e-9;
            iatSquares += s * s;
        }
        if (ts > lastNs) {
            lastNs = ts;
        }
        packets++;
        ipBytes += p.ipTotalLength;
        int pl = p.payloadLength;
        payloadBytes += pl;
        payloadSquares += (long) pl * pl;
        if (pl < payloadMin) payloadMin = pl;
        if (pl > payloadMax) payloadMax = pl;
        if (pl > 0) payloadPackets++;
        short ttl = (short) p.ttl;
        if (ttlFirst < 0) {
            ttlFirst = ttlMin = ttlMax = ttl;
        } else {
            if (ttl < ttlMin) ttlMin = ttl;
            if (ttl > ttlMax) ttlMax = ttl;
        }
        return p.protocol == DecodedPacket.PROTO_TCP && p.hasTransport ? addTcp(p) : (pl > 0 ? ConnHistory.BIT_DATA : 0);
    }

    private int addTcp(DecodedPacket p) {
        int f = p.tcpFlags;
        int events = 0;
        if ((f & DecodedPacket.TCP_FIN) != 0) fin++;
        if ((f & DecodedPacket.TCP_SYN) != 0) syn++;
        if ((f & DecodedPacket.TCP_RST) != 0) rst++;
        if ((f & DecodedPacket.TCP_PSH) != 0) psh++;
        if ((f & DecodedPacket.TCP_ACK) != 0) ack++;
        if ((f & DecodedPacket.TCP_URG) != 0) urg++;
        if ((f & DecodedPacket.TCP_ECE) != 0) ece++;
        if ((f & DecodedPacket.TCP_CWR) != 0) cwr++;
        if (initialWindow < 0) {
            initialWindow = p.tcpWindow;
        }
        if ((f & DecodedPacket.TCP_SYN) != 0) {
            if (p.tcpMss >= 0) mss = p.tcpMss;
            if (p.tcpWindowScale >= 0) windowScale = (byte) p.tcpWindowScale;
            sackPermitted |= p.tcpSackPermitted;
            timestamps |= p.tcpTimestamps;
        }
        boolean syn = (f & DecodedPacket.TCP_SYN) != 0;
        boolean rstF = (f & DecodedPacket.TCP_RST) != 0;
        boolean finF = (f & DecodedPacket.TCP_FIN) != 0;
        boolean ackF = (f & DecodedPacket.TCP_ACK) != 0;
        if (syn && (finF || rstF)) events |= ConnHistory.BIT_MULTI;
        if (syn) events |= ackF ? ConnHistory.BIT_SYNACK : ConnHistory.BIT_SYN;
        if (finF) events |= ConnHistory.BIT_FIN;
        if (rstF) events |= ConnHistory.BIT_RST;
        int pl = p.payloadLength;
        if (pl > 0) {
            events |= ConnHistory.BIT_DATA;
        } else if (ackF && !syn && !finF && !rstF) {
            events |= ConnHistory.BIT_ACK;
        }
        if (p.tcpWindow == 0 && !rstF && !syn) {
            zeroWindow++;
            events |= ConnHistory.BIT_ZERO_WINDOW;
        }
        events |= trackSequence((int) p.tcpSeq, pl, syn, finF);
        return events;
    }

    /**
     * Estimates retransmissions and reordering from sequence numbers: a segment wholly below the highest end seen
     * is a retransmission unless it falls in the one hole we track (data skipped earlier), which makes it
     * out-of-order. One hole per direction keeps memory constant; with several holes the estimate undercounts
     * reordering and counts the rest as retransmissions (documented in docs/schema/flows.md).
     */
    private int trackSequence(int seq, int len, boolean syn, boolean fin) {
        int span = len + (syn ? 1 : 0) + (fin ? 1 : 0);
        if (span == 0) {
            return 0;
        }
        int end = seq + span;
        if (!seqKnown) {
            seqKnown = true;
            seqHighEnd = end;
            return 0;
        }
        if (end - seqHighEnd > 0) {
            if (seq - seqHighEnd > 0) {
                // data skipped: remember the hole it leaves
                holeStart = seqHighEnd;
                holeEnd = seq;
            } else if (seq - seqHighEnd < 0 && len > 0 && !syn) {
                // overlaps old data and extends it: a retransmission that repacketized
                seqHighEnd = end;
                retransmitted++;
                return ConnHistory.BIT_RETRANSMIT;
            }
            seqHighEnd = end;
            return 0;
        }
        if (holeEnd - holeStart > 0 && seq - holeStart >= 0 && holeEnd - seq > 0) {
            outOfOrder++;
            if (seq == holeStart) {
                holeStart = end - holeEnd >= 0 ? holeEnd : end;
            }
            return 0;
        }
        if (len > 0 || syn || fin) {
            retransmitted++;
            return ConnHistory.BIT_RETRANSMIT;
        }
        return 0;
    }

    // ---- read-only view for sinks and analyzers

    private static final double NS = 1e-9;

    public long firstNs() { return firstNs; }
    public long lastNs() { return lastNs; }
    public int packets() { return packets; }
    public int payloadPackets() { return payloadPackets; }
    public long ipBytes() { return ipBytes; }
    public long payloadBytes() { return payloadBytes; }
    public long payloadSquares() { return payloadSquares; }
    public int payloadMin() { return payloadMin; }
    public int payloadMax() { return payloadMax; }
    public long iatMinNs() { return iatMinNs; }
    public long iatMaxNs() { return iatMaxNs; }
    public int synCount() { return syn; }
    public int zeroWindow() { return zeroWindow; }
    public int retransmitted() { return retransmitted; }
    public int outOfOrder() { return outOfOrder; }
    /** Raw window of the first TCP packet, or -1. */
    public int initialWindow() { return initialWindow; }
    public int mss() { return mss; }
    public int windowScale() { return windowScale; }
    public boolean sackPermitted() { return sackPermitted; }
    public boolean timestamps() { return timestamps; }
    public int ttlFirst() { return ttlFirst; }
    public int ttlMin() { return ttlMin; }
    public int ttlMax() { return ttlMax; }

    /**
     * Where this direction's byte stream starts, given the sequence number of its first data segment: when that
     * segment overtook earlier data, the start of the hole it left (the handshake told where the data begins), else
     * {@code seq} itself. For stream reassemblers that only start at the first data segment.
     */
    public long streamStart(long seq) {
        int s = (int) seq;
        return seqKnown && holeEnd == s && holeEnd - holeStart > 0 ? holeStart & 0xFFFFFFFFL : seq;
    }

    /** Count of packets with TCP flag {@code i}: 0 FIN, 1 SYN, 2 RST, 3 PSH, 4 ACK, 5 URG, 6 ECE, 7 CWR. */
    public int flagCount(int i) {
        return switch (i) {
            case 0 -> fin;
            case 1 -> syn;
            case 2 -> rst;
            case 3 -> psh;
            case 4 -> ack;
            case 5 -> urg;
            case 6 -> ece;
            case 7 -> cwr;
            default -> throw new IllegalArgumentException("flag " + i);
        };
    }

    /** Mean payload per packet, NaN without packets. */
    public double payloadMean() {
        return packets == 0 ? Double.NaN : (double) payloadBytes / packets;
    }

    /** Population standard deviation of the payload per packet, NaN without packets. */
    public double payloadStd() {
        if (packets == 0) return Double.NaN;
        double mean = payloadMean();
        return Math.sqrt(Math.max(0, (double) payloadSquares / packets - mean * mean));
    }

    /** Mean inter-arrival time in seconds, NaN with fewer than two packets. */
    public double iatMean() {
        return packets < 2 ? Double.NaN : (lastNs - firstNs) * NS / (packets - 1);
    }

    /** Population standard deviation of the inter-arrival times in seconds, NaN with fewer than two packets. */
    public double iatStd() {
        if (packets < 2) return Double.NaN;
        double mean = iatMean();
        return Math.sqrt(Math.max(0, iatSquares / (packets - 1) - mean * mean));
    }
}
