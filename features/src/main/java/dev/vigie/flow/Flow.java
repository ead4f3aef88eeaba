package dev.vigie.flow;

import dev.vigie.decode.DecodedPacket;

/**
 * A bidirectional flow: its key, the two sides' {@link DirectionStats}, and flow-wide statistics. Instances are
 * pooled by the {@link FlowTable} and reused after their record is emitted, so a sink must copy what it keeps
 * before returning.
 *
 * <p>The originator is the sender of the first packet seen, except that a SYN-ACK seen first makes its
 * destination the originator (the history then starts with {@code ^}). Read-only accessors are public for sinks
 * and analyzers; mutation happens only in this package, on the packet thread.
 *
 * <p>Two tiers, so that memory follows what a flow needs: most live flows of a busy or scanned network have one or
 * two packets (a SYN and its RST, a DNS query and its answer), and a flow's full statistics ({@link FlowStats}:
 * both sides, history, active/idle periods) take about three times the room of its key. So a new flow keeps its
 * first {@value #COMPACT_PACKETS} packets as packed summaries (the fields the statistics read, nothing
 * lossy). It takes full statistics from the table's pool, replaying the held packets through the same code as
 * live ones, when a third packet comes, when a packet does not fit the summary (a TCP FIN or RST, whose state the
 * table must see at once, or an out-of-range field), or as soon as anything reads the statistics (an analyzer, or
 * the record being written). The figures are therefore the same as with full statistics from the first packet,
 * which {@code CompactFlowTest} checks on real captures.
 */
public final class Flow {
    /** Packets a flow holds in compact form before it takes full statistics (the room of the compact form). */
    static final int COMPACT_PACKETS = 2;

    // ---- identity
    long flowId;
    int part;
    byte ipVersion;
    byte protocol;
    short vlanOuter;
    short vlanInner;
    long origHi, origLo, respHi, respLo;
    int origPort, respPort;
    long origMac = -1, respMac = -1;

    // ---- time
    long startNs;
    long lastNs;

    // ---- full statistics (null while the flow is compact) and the compact form
    FlowStats stats;
    private final FlowStats.Pool statsPool;
    /** Packets held in compact form (0 once the flow has full statistics). */
    private byte heldPackets;
    /** The originator was inferred from a SYN-ACK: the history starts with ^ once it exists. */
    private boolean flipped;
    /** Packed summaries of the held packets (see {@link #hold}); the first one's time is {@link #startNs}. */
    private long sizes0, tcp0, misc0, time1, sizes1, tcp1, misc1;

    // ---- table bookkeeping
    int hash;
    Flow nextInBucket;
    Flow olderInList;
    Flow newerInList;
    byte timeoutClass;
    boolean closing;
    /** Per-analyzer state, indexed by analyzer slot; null until an analyzer attaches something. */
    Object[] attachments;

    /** A flow outside any table (tests, tools): its statistics come from a pool of its own. */
    public Flow() {
        this(new FlowStats.Pool(FlowConfig.DEFAULTS.activityGapNanos(), COMPACT_PACKETS));
    }

    Flow(FlowStats.Pool statsPool) {
        this.statsPool = statsPool;
    }

    void reset(long id) {
        flowId = id;
        part = 0;
        ipVersion = protocol = 0;
        vlanOuter = vlanInner = 0;
        origHi = origLo = respHi = respLo = 0;
        origPort = respPort = 0;
        origMac = respMac = -1;
        startNs = lastNs = 0;
        releaseStats();
        heldPackets = 0;
        flipped = false;
        hash = 0;
        nextInBucket = olderInList = newerInList = null;
        timeoutClass = 0;
        closing = false;
        if (attachments != null) {
            java.util.Arrays.fill(attachments, null);
        }
    }

    /** Gives the full statistics back to the pool; the table calls it when the flow has ended. */
    void releaseStats() {
        if (stats != null) {
            statsPool.give(stats);
            stats = null;
        }
    }

    /** Starts the next active-timeout part: counters restart, identity, TCP state and history carry on. */
    void startNextPart(long ts) {
        FlowStats s = full();
        part++;
        s.orig.resetCounters();
        s.resp.resetCounters();
        s.resetCounters();
        startNs = ts;
        lastNs = ts;
    }

    /** Sets the key from a packet; {@code senderIsOriginator} false flips it (a SYN-ACK seen first). */
    void initKey(DecodedPacket p, boolean senderIsOriginator, int srcPort, int dstPort) {
        ipVersion = (byte) p.ipVersion;
        protocol = (byte) p.protocol;
        vlanOuter = (short) p.vlanOuter;
        vlanInner = (short) p.vlanInner;
        if (senderIsOriginator) {
            origHi = p.srcHi; origLo = p.srcLo; respHi = p.dstHi; respLo = p.dstLo;
            origPort = srcPort; respPort = dstPort;
            origMac = p.srcMac; respMac = p.dstMac;
        } else {
            origHi = p.dstHi; origLo = p.dstLo; respHi = p.srcHi; respLo = p.srcLo;
            origPort = dstPort; respPort = srcPort;
            origMac = p.dstMac; respMac = p.srcMac;
            flipped = true;
        }
    }

    /** Counts one packet. */
    void add(DecodedPacket p, boolean fromOriginator, long ts) {
        if (fromOriginator && p.srcMac != -1 && origMac == -1) origMac = p.srcMac;
        if (!fromOriginator && p.srcMac != -1 && respMac == -1) respMac = p.srcMac;
        FlowStats s = stats;
        if (s == null) {
            if (heldPackets < statsPool.compactPackets && hold(p, fromOriginator, ts)) {
                return;
            }
            s = promote();
        }
        s.add(this, p, fromOriginator, ts, statsPool.activityGapNs);
    }

    // ---- the compact form: per held packet three longs (and its time, the first one's being startNs)
    //   sizes: IP total length (high 32 bits) | payload length (low 32)
    //   tcp:   TTL (bits 48-55) | TCP window (32-47) | TCP sequence number (0-31)
    //   misc:  TCP flags (0-15) | MSS + 1 (16-32) | window scale + 1 (33-41) | flag bits (42-46)
    private static final int MISC_FROM_ORIG = 42, MISC_FRAGMENT = 43, MISC_TRANSPORT = 44, MISC_SACK = 45,
            MISC_TIMESTAMPS = 46;

    /** Holds the packet in compact form; false when it must be counted with full statistics instead. */
    private boolean hold(DecodedPacket p, boolean fromOriginator, long ts) {
        boolean tcp = p.protocol == DecodedPacket.PROTO_TCP && p.hasTransport;
        if (tcp && (p.tcpFlags & (DecodedPacket.TCP_FIN | DecodedPacket.TCP_RST)) != 0) {
            return false;             // the table reads the TCP close state right after this packet
        }
        if ((p.ttl & ~0xFF) != 0 || (p.tcpWindow & ~0xFFFF) != 0 || (p.tcpFlags & ~0xFFFF) != 0
                || p.tcpMss < -1 || p.tcpMss > 0xFFFF || p.tcpWindowScale < -1 || p.tcpWindowScale > 0xFF) {
            return false;             // not representable: never a silently different figure
        }
        long sizes = ((long) p.ipTotalLength << 32) | (p.payloadLength & 0xFFFFFFFFL);
        long tcpWord = ((long) p.ttl << 48) | ((long) p.tcpWindow << 32) | (p.tcpSeq & 0xFFFFFFFFL);
        long misc = p.tcpFlags | ((long) (p.tcpMss + 1) << 16) | ((long) (p.tcpWindowScale + 1) << 33)
                | (fromOriginator ? 1L << MISC_FROM_ORIG : 0) | (p.fragment ? 1L << MISC_FRAGMENT : 0)
                | (p.hasTransport ? 1L << MISC_TRANSPORT : 0) | (p.tcpSackPermitted ? 1L << MISC_SACK : 0)
                | (p.tcpTimestamps ? 1L << MISC_TIMESTAMPS : 0);
        if (heldPackets == 0) {
            startNs = ts;
            lastNs = ts;
            sizes0 = sizes;
            tcp0 = tcpWord;
            misc0 = misc;
        } else {
            if (ts > lastNs) {
                lastNs = ts;
            }
            time1 = ts;
            sizes1 = sizes;
            tcp1 = tcpWord;
            misc1 = misc;
        }
        heldPackets++;
        return true;
    }

    /** Takes full statistics and replays the held packets into them, exactly as if they had been counted live. */
    private FlowStats promote() {
        FlowStats s = statsPool.take();
        stats = s;
        if (flipped) {
            s.history.markFlipped();
        }
        int held = heldPackets;
        heldPackets = 0;
        if (held >= 1) {
            replay(s, startNs, sizes0, tcp0, misc0);
        }
        if (held >= 2) {
            replay(s, time1, sizes1, tcp1, misc1);
        }
        return s;
    }

    private void replay(FlowStats s, long ts, long sizes, long tcpWord, long misc) {
        DecodedPacket q = statsPool.replay;
        q.protocol = protocol & 0xFF;
        q.ipTotalLength = (int) (sizes >>> 32);
        q.payloadLength = (int) sizes;
        q.ttl = (int) (tcpWord >>> 48) & 0xFF;
        q.tcpWindow = (int) (tcpWord >>> 32) & 0xFFFF;
        q.tcpSeq = tcpWord & 0xFFFFFFFFL;
        q.tcpFlags = (int) misc & 0xFFFF;
        q.tcpMss = (int) (misc >>> 16 & 0x1FFFF) - 1;
        q.tcpWindowScale = (int) (misc >>> 33 & 0x1FF) - 1;
        q.fragment = (misc & 1L << MISC_FRAGMENT) != 0;
        q.hasTransport = (misc & 1L << MISC_TRANSPORT) != 0;
        q.tcpSackPermitted = (misc & 1L << MISC_SACK) != 0;
        q.tcpTimestamps = (misc & 1L << MISC_TIMESTAMPS) != 0;
        s.add(this, q, (misc & 1L << MISC_FROM_ORIG) != 0, ts, statsPool.activityGapNs);
    }

    /** The full statistics, taken (and the held packets replayed) on first use. */
    private FlowStats full() {
        FlowStats s = stats;
        return s != null ? s : promote();
    }

    /** True while the flow holds its packets in compact form (see the class comment); for tests and benchmarks. */
    boolean isCompact() {
        return stats == null;
    }

    /** Closes the last active period; called once before the record is written. */
    void finishPeriods() {
        full().closeActivePeriod(lastNs);
    }

    /** True when the packet's endpoints match this flow in either direction; sets nothing. */
    boolean matches(DecodedPacket p, int srcPort, int dstPort) {
        if (p.protocol != (protocol & 0xFF) || p.ipVersion != ipVersion
                || p.vlanOuter != vlanOuter || p.vlanInner != vlanInner) {
            return false;
        }
        return (p.srcLo == origLo && p.dstLo == respLo && p.srcHi == origHi && p.dstHi == respHi
                && srcPort == origPort && dstPort == respPort)
                || (p.srcLo == respLo && p.dstLo == origLo && p.srcHi == respHi && p.dstHi == origHi
                && srcPort == respPort && dstPort == origPort);
    }

    boolean isFromOriginator(DecodedPacket p, int srcPort) {
        // a flow from an endpoint to itself (same address and port) counts every packet as the originator's
        return p.srcLo == origLo && p.srcHi == origHi && srcPort == origPort;
    }

    // ---- read-only view for sinks, analyzers and tests

    public long flowId() { return flowId; }
    public int part() { return part; }
    public int ipVersion() { return ipVersion; }
    public int protocol() { return protocol & 0xFF; }
    public int vlanOuter() { return vlanOuter; }
    public int vlanInner() { return vlanInner; }
    public long origHi() { return origHi; }
    public long origLo() { return origLo; }
    public long respHi() { return respHi; }
    public long respLo() { return respLo; }
    public int origPort() { return origPort; }
    public int respPort() { return respPort; }
    public long origMac() { return origMac; }
    public long respMac() { return respMac; }
    public long startNs() { return startNs; }
    public long lastNs() { return lastNs; }
    public DirectionStats orig() { return full().orig; }
    public DirectionStats resp() { return full().resp; }
    public ConnHistory history() { return full().history; }
    public int fragments() { return full().fragments; }
    public long packets() {
        FlowStats s = stats;
        return s == null ? heldPackets : (long) s.orig.packets + s.resp.packets;
    }

    /** Packets with at least one payload byte, both sides; reads no statistics while the flow is compact. */
    public long payloadPackets() {
        FlowStats s = stats;
        if (s != null) {
            return (long) s.orig.payloadPackets + s.resp.payloadPackets;
        }
        return (heldPackets >= 1 && (int) sizes0 > 0 ? 1 : 0) + (heldPackets >= 2 && (int) sizes1 > 0 ? 1 : 0);
    }

    public long iatMinNs() { return full().iatMinNs; }
    public long iatMaxNs() { return full().iatMaxNs; }
    public double iatSquares() { return full().iatSquares; }
    public int activePeriods() { return full().activePeriods; }
    public long activeMinNs() { return full().activeMinNs; }
    public long activeMaxNs() { return full().activeMaxNs; }
    public long activeSumNs() { return full().activeSumNs; }
    public double activeSquares() { return full().activeSquares; }
    public int idlePeriods() { return full().idlePeriods; }
    public long idleMinNs() { return full().idleMinNs; }
    public long idleMaxNs() { return full().idleMaxNs; }
    public long idleSumNs() { return full().idleSumNs; }
    public double idleSquares() { return full().idleSquares; }

    /** Zeek conn_state of the flow as seen so far. */
    public String connState() {
        return TcpEndpoints.connState(this);
    }

    /** Analyzer state in slot {@code i}, or null. */
    public Object attachment(int i) {
        return attachments == null || i >= attachments.length ? null : attachments[i];
    }

    public void attach(int i, Object state, int slots) {
        if (attachments == null || attachments.length < slots) {
            Object[] bigger = new Object[slots];
            if (attachments != null) {
                System.arraycopy(attachments, 0, bigger, 0, attachments.length);
            }
            attachments = bigger;
        }
        attachments[i] = state;
    }
}
