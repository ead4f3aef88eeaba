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
 */
public final class Flow {
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

    // ---- the two sides and the connection
    final DirectionStats orig = new DirectionStats();
    final DirectionStats resp = new DirectionStats();
    final ConnHistory history = new ConnHistory();
    int fragments;

    // ---- flow-wide inter-arrival and active/idle periods (CICFlowMeter's definitions, correctly computed)
    long iatMinNs;
    long iatMaxNs;
    double iatSquares;
    long activeStartNs;
    int activePeriods;
    long activeMinNs, activeMaxNs, activeSumNs;
    double activeSquares;
    int idlePeriods;
    long idleMinNs, idleMaxNs, idleSumNs;
    double idleSquares;

    // ---- table bookkeeping
    int hash;
    Flow nextInBucket;
    Flow olderInList;
    Flow newerInList;
    byte timeoutClass;
    boolean closing;
    /** Per-analyzer state, indexed by analyzer slot; null until an analyzer attaches something. */
    Object[] attachments;

    void reset(long id) {
        flowId = id;
        part = 0;
        ipVersion = protocol = 0;
        vlanOuter = vlanInner = 0;
        origHi = origLo = respHi = respLo = 0;
        origPort = respPort = 0;
        origMac = respMac = -1;
        startNs = lastNs = 0;
        orig.reset();
        resp.reset();
        history.clear();
        fragments = 0;
        resetFlowStats();
        hash = 0;
        nextInBucket = olderInList = newerInList = null;
        timeoutClass = 0;
        closing = false;
        if (attachments != null) {
            java.util.Arrays.fill(attachments, null);
        }
    }

    private void resetFlowStats() {
        iatMinNs = Long.MAX_VALUE;
        iatMaxNs = 0;
        iatSquares = 0;
        activeStartNs = 0;
        activePeriods = 0;
        activeMinNs = Long.MAX_VALUE;
        activeMaxNs = activeSumNs = 0;
        activeSquares = 0;
        idlePeriods = 0;
        idleMinNs = Long.MAX_VALUE;
        idleMaxNs = idleSumNs = 0;
        idleSquares = 0;
    }

    /** Starts the next active-timeout part: counters restart, identity, TCP state and history carry on. */
    void startNextPart(long ts) {
        part++;
        orig.resetCounters();
        resp.resetCounters();
        fragments = 0;
        resetFlowStats();
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
            history.markFlipped();
        }
    }

    /** Counts one packet; {@code activityGapNs} separates active periods. */
    void add(DecodedPacket p, boolean fromOriginator, long ts, long activityGapNs) {
        int totalBefore = orig.packets + resp.packets;
        if (totalBefore == 0) {
            startNs = ts;
            lastNs = ts;
            activeStartNs = ts;
        } else {
            long gap = Math.max(0, ts - lastNs);
            if (gap < iatMinNs) iatMinNs = gap;
            if (gap > iatMaxNs) iatMaxNs = gap;
            double s = gap * 1e-9;
            iatSquares += s * s;
            if (gap > activityGapNs) {
                closeActivePeriod(lastNs);
                idlePeriods++;
                if (gap < idleMinNs) idleMinNs = gap;
                if (gap > idleMaxNs) idleMaxNs = gap;
                idleSumNs += gap;
                idleSquares += s * s;
                activeStartNs = ts;
            }
            if (ts > lastNs) {
                lastNs = ts;
            }
        }
        if (p.fragment) {
            fragments++;
        }
        DirectionStats side = fromOriginator ? orig : resp;
        DirectionStats other = fromOriginator ? resp : orig;
        if (fromOriginator && p.srcMac != -1 && origMac == -1) origMac = p.srcMac;
        if (!fromOriginator && p.srcMac != -1 && respMac == -1) respMac = p.srcMac;
        int events = side.add(p, ts);
        if (p.protocol == DecodedPacket.PROTO_TCP && p.hasTransport) {
            TcpEndpoints.update(side, other, p.tcpFlags, p.payloadLength);
        }
        history.record(events, fromOriginator, side.retransmitted, side.zeroWindow);
    }

    private void closeActivePeriod(long endNs) {
        long active = endNs - activeStartNs;
        activePeriods++;
        if (active < activeMinNs) activeMinNs = active;
        if (active > activeMaxNs) activeMaxNs = active;
        activeSumNs += active;
        double s = active * 1e-9;
        activeSquares += s * s;
    }

    /** Closes the last active period; called once before the record is written. */
    void finishPeriods() {
        closeActivePeriod(lastNs);
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
    public DirectionStats orig() { return orig; }
    public DirectionStats resp() { return resp; }
    public ConnHistory history() { return history; }
    public int fragments() { return fragments; }
    public long packets() { return (long) orig.packets + resp.packets; }
    public long iatMinNs() { return iatMinNs; }
    public long iatMaxNs() { return iatMaxNs; }
    public double iatSquares() { return iatSquares; }
    public int activePeriods() { return activePeriods; }
    public long activeMinNs() { return activeMinNs; }
    public long activeMaxNs() { return activeMaxNs; }
    public long activeSumNs() { return activeSumNs; }
    public double activeSquares() { return activeSquares; }
    public int idlePeriods() { return idlePeriods; }
    public long idleMinNs() { return idleMinNs; }
    public long idleMaxNs() { return idleMaxNs; }
    public long idleSumNs() { return idleSumNs; }
    public double idleSquares() { return idleSquares; }

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
