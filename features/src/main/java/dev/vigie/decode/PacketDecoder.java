package dev.vigie.decode;

import dev.vigie.capture.CapturedPacket;

/**
 * Decodes link, network and transport headers of one frame into a {@link DecodedPacket}, without allocating and
 * without throwing: every malformed case is counted in {@link DecodeCounters} by reason.
 */
public final class PacketDecoder {
    private final DecodeCounters counters;

    public PacketDecoder(DecodeCounters counters) {
        this.counters = counters;
    }

    public DecodeCounters counters() {
        return counters;
    }

    /** Decodes {@code frame} into {@code out} (cleared first). */
    public DecodeResult decode(CapturedPacket frame, DecodedPacket out) {
        throw new UnsupportedOperationException("being written");
    }
}
