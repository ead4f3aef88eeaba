package dev.vigie.flow;

import dev.vigie.util.EnumCounters;

/** What the flow table did; single writer (the packet loop). */
public final class FlowCounters {
    /** IP packets handed to the table. */
    public long packets;
    public long flowsCreated;
    /** Records emitted, by reason (an active-timeout part counts as one record). */
    public final EnumCounters<EndReason> records = new EnumCounters<>(EndReason.class);
    /** Non-first fragments whose first fragment was not seen (attributed to a port-less flow). */
    public long orphanFragments;
    /** Packets whose timestamp was earlier than the capture clock (out of order input). */
    public long timeWentBackwards;
    /** Records of flows that kept their packets in compact form to the end (never needed full statistics live). */
    public long compactRecords;
    public int liveFlows;
    public int peakLiveFlows;
}
