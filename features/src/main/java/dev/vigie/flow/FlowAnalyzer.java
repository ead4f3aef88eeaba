package dev.vigie.flow;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodedPacket;

/**
 * A protocol parser or content scanner attached to flows, the way Zeek attaches analyzers to a connection. The
 * flow table calls every registered analyzer for every packet; an analyzer keeps its per-flow state with
 * {@link Flow#attach} in the slot the table gave it, and its output columns read that state when the record is
 * written. Adding an analyzer touches no flow-table code.
 */
public interface FlowAnalyzer {

    /** Called once when the analyzer is registered: the slot index for {@link Flow#attach}, and the slot count. */
    void bind(int slot, int slotCount);

    /** Sees a packet after the flow's counters were updated. Must not throw and must bound its own memory. */
    void onPacket(Flow flow, DecodedPacket packet, CapturedPacket frame, boolean fromOriginator);

    /**
     * The flow's record is about to be written (its end, or a part at the active timeout): finish pending work so
     * the record is complete, e.g. scan bytes held for reordering whose hole never filled.
     */
    default void beforeRecord(Flow flow) {}

    /** The flow's record has been written (or the flow was dropped): release per-flow state. */
    default void onFlowEnd(Flow flow) {}
}
