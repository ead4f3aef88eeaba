package dev.vigie.capture;

import dev.vigie.util.EnumCounters;

/** What the readers of one run saw: frames, bytes, and faults by reason. */
public final class CaptureCounters {
    /** Frames handed out by readers. */
    public long packets;
    /** Sum of captured lengths (caplen) of those frames. */
    public long capturedBytes;
    /** Sum of wire lengths (origlen) of those frames: what capinfos calls "data size". */
    public long wireBytes;
    /** Frames cut by the snaplen (caplen &lt; origlen). */
    public long truncatedBySnaplen;
    /** Frames dropped by the kernel or the interface (live capture only), as reported by libpcap. */
    public long kernelDrops;
    public long interfaceDrops;
    /** Input faults by reason. */
    public final EnumCounters<CaptureError> errors = new EnumCounters<>(CaptureError.class);

    public void countPacket(CapturedPacket p) {
        packets++;
        capturedBytes += p.captureLength;
        wireBytes += p.originalLength;
        if (p.captureLength < p.originalLength) {
            truncatedBySnaplen++;
        }
    }
}
