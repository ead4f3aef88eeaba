package dev.vigie.protocols;

import dev.vigie.decode.DecodedPacket;

/**
 * Naive in-order reassembly of one TCP direction, for metadata only: a segment at the next expected sequence
 * number is delivered, the new part of an overlapping retransmission too. One run of early segments (up to
 * {@link ParseContext#PENDING_SIZE} bytes, the common reordering of two segments) is held until the hole before it
 * fills; any other hole ends the direction (the fuller reassembler comes with content inspection). Bytes a parser
 * could not use yet wait in a pooled buffer of {@link ParseContext#PENDING_SIZE} bytes.
 *
 * <p>The parser is read from the flow's {@link ProtocolState} at every call, because a {@link SniffParser} may be
 * replaced by the real parser in the middle of a delivery; the new parser is then offered the same bytes.
 */
final class StreamDirection {
    private static final long MASK = 0xFFFF_FFFFL;

    private long nextSeq = -1;
    private boolean closed;
    private byte[] pending;
    private int pendingLen;
    private long delivered;
    /** Early bytes waiting for the hole before them: {@code held[0, heldLen)} starts at sequence {@code heldSeq}. */
    private byte[] held;
    private long heldSeq;
    private int heldLen;

    boolean closed() {
        return closed;
    }

    void onSegment(ParseContext ctx, ProtocolState s, boolean fromOrig, DecodedPacket p, byte[] data) {
        if (closed) {
            return;
        }
        if (!wants(s, fromOrig)) {
            close(ctx, s, fromOrig);
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
            if (!hold(ctx, seq, claimed, p.payloadCaptured, data, p.payloadOffset)) {
                ctx.counters.gaps.increment(s.parser.proto());
                close(ctx, s, fromOrig);
            }
            return;
        }
        int skip = -diff;
        if (skip >= claimed) {
            return;                          // a retransmission of what we already have
        }
        int captured = Math.max(0, Math.min(p.payloadCaptured, claimed));
        nextSeq = (seq + claimed) & MASK;
        if (captured > skip) {
            deliver(ctx, s, fromOrig, data, p.payloadOffset + skip, captured - skip);
        }
        if (captured < claimed && !closed) {
            // the snaplen cut the segment: the missing bytes are a hole we cannot parse across
            if (s.parser != null) {
                ctx.counters.gaps.increment(s.parser.proto());
            }
            close(ctx, s, fromOrig);
            return;
        }
        if (heldLen > 0 && !closed) {
            drainHeld(ctx, s, fromOrig);
        }
    }

    /** Keeps an early segment if it starts or extends the one held run; false when it cannot be kept. */
    private boolean hold(ParseContext ctx, long seq, int claimed, int captured, byte[] data, int off) {
        if (captured < claimed) {
            return false;
        }
        if (heldLen == 0) {
            if (claimed > ParseContext.PENDING_SIZE) {
                return false;
            }
            if (held == null) {
                held = ctx.pending.take();
            }
            System.arraycopy(data, off, held, 0, claimed);
            heldSeq = seq;
            heldLen = claimed;
            return true;
        }
        int into = (int) (seq - heldSeq);
        if (into >= 0 && into + claimed <= heldLen) {
            return true;                     // a retransmission of held bytes
        }
        if (into == heldLen && heldLen + claimed <= held.length) {
            System.arraycopy(data, off, held, heldLen, claimed);
            heldLen += claimed;
            return true;
        }
        return false;
    }

    /** Delivers the held run once the bytes before it have arrived. */
    private void drainHeld(ParseContext ctx, ProtocolState s, boolean fromOrig) {
        int diff = (int) (heldSeq - nextSeq);
        if (diff > 0) {
            return;                          // the hole is still there
        }
        int skip = -diff;
        int n = heldLen;
        long end = (heldSeq + n) & MASK;
        heldLen = 0;
        if (skip < n) {
            nextSeq = end;
            deliver(ctx, s, fromOrig, held, skip, n - skip);
        }
        if (held != null && heldLen == 0) {
            ctx.pending.give(held);
            held = null;
        }
    }

    /** Delivers in-order stream bytes to the flow's parser. */
    void deliver(ParseContext ctx, ProtocolState s, boolean fromOrig, byte[] data, int off, int len) {
        if (closed || s.parser == null) {
            return;
        }
        long budget = s.parser.budget(fromOrig);
        boolean overBudget = false;
        if (delivered + len > budget) {
            len = (int) Math.max(0, budget - delivered);
            overBudget = true;
        }
        delivered += len;
        int cap = ParseContext.PENDING_SIZE;
        if (pendingLen == 0 && len > 0) {
            int used = parse(ctx, s, fromOrig, data, off, len, false);
            off += used;
            len -= used;
            if (len > 0 && len < cap && wants(s, fromOrig)) {
                ensurePending(ctx);
                System.arraycopy(data, off, pending, 0, len);
                pendingLen = len;
                len = 0;
            }
        }
        while (len > 0 && wants(s, fromOrig)) {
            ensurePending(ctx);
            int n = Math.min(cap - pendingLen, len);
            System.arraycopy(data, off, pending, pendingLen, n);
            pendingLen += n;
            off += n;
            len -= n;
            boolean full = pendingLen == cap;
            int used = parse(ctx, s, fromOrig, pending, 0, pendingLen, full);
            if (used == 0 && full && s.parser != null) {
                s.parser.truncated(ctx);
                close(ctx, s, fromOrig);
                return;
            }
            compact(used);
        }
        if (overBudget || !wants(s, fromOrig)) {
            close(ctx, s, fromOrig);
        }
    }

    /** Runs the parser, swapping a decided {@link SniffParser} for its choice (which then sees the same bytes). */
    private static int parse(ParseContext ctx, ProtocolState s, boolean fromOrig, byte[] b, int off, int len,
                             boolean full) {
        int used = s.parser.onStream(ctx, fromOrig, b, off, len, full);
        if (s.parser instanceof SniffParser sniff && sniff.decided) {
            s.parser = sniff.result;
            if (s.parser == null || !s.parser.wants(fromOrig)) {
                return len;
            }
            used = s.parser.onStream(ctx, fromOrig, b, off, len, full);
        }
        return used < 0 ? 0 : Math.min(used, len);
    }

    private static boolean wants(ProtocolState s, boolean fromOrig) {
        return s.parser != null && s.parser.wants(fromOrig);
    }

    private void compact(int used) {
        pendingLen -= used;
        if (pendingLen > 0 && used > 0) {
            System.arraycopy(pending, used, pending, 0, pendingLen);
        }
    }

    /** Offers the waiting bytes to the flow's parser again (after detection replaced the parser). */
    void reoffer(ParseContext ctx, ProtocolState s, boolean fromOrig) {
        if (closed || pendingLen == 0 || s.parser == null) {
            return;
        }
        if (!wants(s, fromOrig)) {
            close(ctx, s, fromOrig);
            return;
        }
        compact(parse(ctx, s, fromOrig, pending, 0, pendingLen, pendingLen == ParseContext.PENDING_SIZE));
        if (!wants(s, fromOrig)) {
            close(ctx, s, fromOrig);
        }
    }

    private void ensurePending(ParseContext ctx) {
        if (pending == null) {
            pending = ctx.pending.take();
        }
    }

    void close(ParseContext ctx, ProtocolState s, boolean fromOrig) {
        if (closed) {
            return;
        }
        closed = true;
        release(ctx);
        if (s.parser != null) {
            s.parser.onStreamEnd(ctx, fromOrig);
        }
    }

    void release(ParseContext ctx) {
        if (pending != null) {
            ctx.pending.give(pending);
            pending = null;
        }
        pendingLen = 0;
        if (held != null) {
            ctx.pending.give(held);
            held = null;
        }
        heldLen = 0;
    }
}
