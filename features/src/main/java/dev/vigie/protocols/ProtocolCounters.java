package dev.vigie.protocols;

import dev.vigie.util.EnumCounters;

/**
 * What the protocol parsers ran into; single writer (the packet loop). A parse error is a unit (record, message,
 * line) that broke its own rules; a truncation is a unit, value or list cut at one of our caps; a gap is a TCP
 * direction abandoned at a sequence hole, where the naive in-order reassembly cannot go on.
 */
public final class ProtocolCounters {
    /** Flows identified, by protocol. */
    public final EnumCounters<AppProto> flows = new EnumCounters<>(AppProto.class);
    public final EnumCounters<AppProto> parseErrors = new EnumCounters<>(AppProto.class);
    public final EnumCounters<AppProto> truncations = new EnumCounters<>(AppProto.class);
    public final EnumCounters<AppProto> gaps = new EnumCounters<>(AppProto.class);
    /** Per-flow parser states allocated (flows that looked like a candidate). */
    public long candidates;
    /** A parser threw: a bug. Parsing stops for that flow; the flow record is still written. */
    public long exceptions;
    /** FTP data channels announced (227, 229, PORT, EPRT), matched to a new flow, or dropped (table full/expired). */
    public long expectationsAdded;
    public long expectationsMatched;
    public long expectationsDropped;
    /** Reassembly buffers allocated because the pool was empty (steady state: 0). */
    public long bufferAllocations;

    @Override
    public String toString() {
        return "flows " + flows.nonZero() + " errors " + parseErrors.nonZero() + " truncations "
                + truncations.nonZero() + " gaps " + gaps.nonZero() + " exceptions " + exceptions
                + " ftp-data expected " + expectationsAdded + " matched " + expectationsMatched;
    }
}
