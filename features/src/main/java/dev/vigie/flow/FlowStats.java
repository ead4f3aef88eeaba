package dev.vigie.flow;

import dev.vigie.decode.DecodedPacket;

/**
 * The full statistics of a flow: both sides' {@link DirectionStats}, the Zeek history and the flow-wide
 * inter-arrival and active/idle statistics. A {@link Flow} holds its first packets in a compact form and takes one
 * of these from its table's {@link Pool} only when it needs it (see {@link Flow}), so that the many short flows of a
 * scan or of DNS cost a fraction of a long flow's memory.
 */
final class FlowStats {
    final DirectionStats orig = new DirectionStats();
    final DirectionStats resp = new DirectionStats();
    final ConnHistory history = new ConnHistory();
    int fragments;

    // flow-wide inter-arrival and active/idle periods (CICFlowMeter's definitions, correctly computed)
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

    private FlowStats nextFree;

    void reset() {
        orig.reset();
        resp.reset();
        history.clear();
        resetCounters();
    }

    /** Clears the flow-wide counters; the two sides are handled by the caller (a new part keeps TCP state). */
    void resetCounters() {
        fragments = 0;
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

    /** Counts one packet of {@code f}; updates the flow's first and last times too. */
    void add(Flow f, DecodedPacket p, boolean fromOriginator, long ts, long activityGapNs) {
        int totalBefore = orig.packets + resp.packets;
        if (totalBefore == 0) {
            f.startNs = ts;
            f.lastNs = ts;
            activeStartNs = ts;
        } else {
            long gap = Math.max(0, ts - f.lastNs);
            if (gap < iatMinNs) iatMinNs = gap;
            if (gap > iatMaxNs) iatMaxNs = gap;
            double s = gap * 1e-9;
            iatSquares += s * s;
            if (gap > activityGapNs) {
                closeActivePeriod(f.lastNs);
                idlePeriods++;
                if (gap < idleMinNs) idleMinNs = gap;
                if (gap > idleMaxNs) idleMaxNs = gap;
                idleSumNs += gap;
                idleSquares += s * s;
                activeStartNs = ts;
            }
            if (ts > f.lastNs) {
                f.lastNs = ts;
            }
        }
        if (p.fragment) {
            fragments++;
        }
        DirectionStats side = fromOriginator ? orig : resp;
        DirectionStats other = fromOriginator ? resp : orig;
        int events = side.add(p, ts);
        if (p.protocol == DecodedPacket.PROTO_TCP && p.hasTransport) {
            TcpEndpoints.update(side, other, p.tcpFlags, p.payloadLength);
        }
        history.record(events, fromOriginator, side.retransmitted, side.zeroWindow);
    }

    void closeActivePeriod(long endNs) {
        long active = endNs - activeStartNs;
        activePeriods++;
        if (active < activeMinNs) activeMinNs = active;
        if (active > activeMaxNs) activeMaxNs = active;
        activeSumNs += active;
        double s = active * 1e-9;
        activeSquares += s * s;
    }

    /**
     * Free statistics objects of one flow table, and what replaying a compact flow needs. Single-threaded, like the
     * table; it grows to the peak number of flows that needed full statistics at once and never allocates after.
     */
    static final class Pool {
        final long activityGapNs;
        /** Packets a flow holds in compact form before it takes full statistics (0: full from the first). */
        final int compactPackets;
        /** Reused to replay a compact flow's packets through the same code as live packets. */
        final DecodedPacket replay = new DecodedPacket();
        private FlowStats free;
        private int created;

        Pool(long activityGapNs, int compactPackets) {
            if (compactPackets < 0 || compactPackets > Flow.COMPACT_PACKETS) {
                throw new IllegalArgumentException("compact packets " + compactPackets);
            }
            this.activityGapNs = activityGapNs;
            this.compactPackets = compactPackets;
        }

        FlowStats take() {
            FlowStats s = free;
            if (s != null) {
                free = s.nextFree;
                s.nextFree = null;
            } else {
                s = new FlowStats();
                created++;
            }
            s.reset();
            return s;
        }

        void give(FlowStats s) {
            s.nextFree = free;
            free = s;
        }

        /** Statistics objects allocated so far: the peak number of flows that held full statistics at once. */
        int created() {
            return created;
        }
    }
}
