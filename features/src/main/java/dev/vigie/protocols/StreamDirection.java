package dev.vigie.protocols;

import dev.vigie.decode.DecodedPacket;

/**
 * Naive in-order reassembly of one TCP direction, for metadata only: a segment at the next expected sequence
 * number is delivered, the new part of an overlapping retransmission too, and a segment past a hole ends the
 * direction (the fuller reassembler comes with content inspection). Bytes a parser could not use yet wait in a
 * pooled buffer of {@link ParseContext#PENDING_SIZE} bytes.
 */
final class StreamDirection {
    private static final long MASK = 0xFFFF_FFFFL;

    private long nextSeq = -1;
    private boolean closed;
    private byte[] pending;
    private int pendingLen;
    private long delivered;

    boolean closed() {
        return closed;
    }

    void onSegment(ParseContext ctx, ProtocolParser parser, boolean fromOrig, DecodedPacket p, byte[] data) {
        if (closed) {
            return;
        }
        if (!parser.wants(fromOrig)) {
            close(ctx, parser, fromOrig);
            return;
        }
        long seq = p.tcpSeq & MASK;
        if ((p.tcpFlags & DecodedPacket.TCP_SYN) != 0) {
            seq = (seq + 1) & MASK;          // the SYN takes one sequence number; any data starts after it
            if (nextSeq < 0) {
                nextSeq = seq;
            }
        }
        int claimed = p.payloadLength;
        if (claimed <= 0) {
            return;
        }
        if (nextSeq < 0) {
            nextSeq = seq;
        }
        int diff = (int) (seq - nextSeq);   // modular: the sign says before or after what we expect
        if (diff > 0) {
            ctx.counters.gaps.increment(parser.proto());
            close(ctx, parser, fromOrig);
            return;
        }
        int skip = -diff;
        if (skip >= claimed) {
            return;                          // a retransmission of what we already have
        }
        int captured = Math.max(0, Math.min(p.payloadCaptured, claimed));
        nextSeq = (seq + claimed) & MASK;
        if (captured > skip) {
            deliver(ctx, parser, fromOrig, data, p.payloadOffset + skip, captured - skip);
        }
        if (captured < claimed && !closed) {
            // the snaplen cut the segment: the missing bytes are a hole we cannot parse across
            ctx.counters.gaps.increment(parser.proto());
            close(ctx, parser, fromOrig);
        }
    }

    /** Delivers stream bytes; public to tests that drive a parser without packets. */
    void deliver(ParseContext ctx, ProtocolParser parser, boolean fromOrig, byte[] data, int off, int len) {
        if (closed) {
            return;
        }
        long budget = parser.budget(fromOrig);
        boolean overBudget = false;
        if (delivered + len > budget) {
            len = (int) Math.max(0, budget - delivered);
            overBudget = true;
        }
        delivered += len;
        int cap = ParseContext.PENDING_SIZE;
        if (pendingLen == 0 && len > 0) {
            int used = clamp(parser.onStream(ctx, fromOrig, data, off, len, false), len);
            off += used;
            len -= used;
            if (len > 0 && len < cap && parser.wants(fromOrig)) {
                ensurePending(ctx);
                System.arraycopy(data, off, pending, 0, len);
                pendingLen = len;
                len = 0;
            }
        }
        while (len > 0 && parser.wants(fromOrig)) {
            ensurePending(ctx);
            int n = Math.min(cap - pendingLen, len);
            System.arraycopy(data, off, pending, pendingLen, n);
            pendingLen += n;
            off += n;
            len -= n;
            boolean full = pendingLen == cap;
            int used = clamp(parser.onStream(ctx, fromOrig, pending, 0, pendingLen, full), pendingLen);
            if (used == 0 && full) {
                parser.truncated(ctx);
                close(ctx, parser, fromOrig);
                return;
            }
            pendingLen -= used;
            if (pendingLen > 0 && used > 0) {
                System.arraycopy(pending, used, pending, 0, pendingLen);
            }
        }
        if (overBudget || !parser.wants(fromOrig)) {
            close(ctx, parser, fromOrig);
        }
    }

    private static int clamp(int used, int len) {
        return used < 0 ? 0 : Math.min(used, len);
    }

    private void ensurePending(ParseContext ctx) {
        if (pending == null) {
            pending = ctx.pending.take();
        }
    }

    void close(ParseContext ctx, ProtocolParser parser, boolean fromOrig) {
        if (closed) {
            return;
        }
        closed = true;
        release(ctx);
        parser.onStreamEnd(ctx, fromOrig);
    }

    void release(ParseContext ctx) {
        if (pending != null) {
            ctx.pending.give(pending);
            pending = null;
        }
        pendingLen = 0;
    }
}
