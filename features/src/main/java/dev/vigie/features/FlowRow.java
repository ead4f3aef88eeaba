package dev.vigie.features;

import dev.vigie.flow.DirectionStats;
import dev.vigie.flow.EndReason;
import dev.vigie.flow.Flow;

/**
 * The source a flow column reads: the flow being emitted, why, and helpers that format its identity. One instance
 * is reused for every row.
 */
public final class FlowRow {
    private final CommunityId communityId = new CommunityId(0);
    Flow flow;
    EndReason reason;

    public FlowRow set(Flow flow, EndReason reason) {
        this.flow = flow;
        this.reason = reason;
        return this;
    }

    public Flow flow() {
        return flow;
    }

    public EndReason reason() {
        return reason;
    }

    public DirectionStats orig() {
        return flow.orig();
    }

    public DirectionStats resp() {
        return flow.resp();
    }

    public String origAddress() {
        return IpText.format(flow.ipVersion(), flow.origHi(), flow.origLo());
    }

    public String respAddress() {
        return IpText.format(flow.ipVersion(), flow.respHi(), flow.respLo());
    }

    public String communityId() {
        return communityId.of(flow);
    }

    public boolean writeOrigAddress(dev.vigie.schema.TextBuffer out) {
        IpText.format(flow.ipVersion(), flow.origHi(), flow.origLo(), out);
        return true;
    }

    public boolean writeRespAddress(dev.vigie.schema.TextBuffer out) {
        IpText.format(flow.ipVersion(), flow.respHi(), flow.respLo(), out);
        return true;
    }

    public boolean writeCommunityId(dev.vigie.schema.TextBuffer out) {
        communityId.write(flow, out);
        return true;
    }
}
