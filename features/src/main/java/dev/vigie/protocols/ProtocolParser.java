package dev.vigie.protocols;

/**
 * One flow's parser for one protocol: its parse state and the metadata it found (read by the columns). Created when
 * the flow looks like a candidate, dropped with the flow. Must never throw on any input and must bound what it keeps.
 *
 * <p>TCP parsers are push parsers over each direction's in-order byte stream: {@link #onStream} returns how many
 * bytes it used, and only advances its state for those; the caller keeps the rest (an incomplete line or header) and
 * offers it again with more bytes. When the caller's buffer is full, {@code full} is set and the parser must use
 * something (cut the line, skip the unit) or the direction is abandoned.
 */
abstract class ProtocolParser {
    /** The content turned out not to be this protocol: the flow gets no {@code app_proto}. */
    boolean rejected;

    abstract AppProto proto();

    /** In-order bytes of one TCP direction; returns how many it used (0..len). */
    int onStream(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len, boolean full) {
        return len;
    }

    /** One UDP datagram's payload (the captured part). */
    void onDatagram(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len) {}

    /** A TCP direction will deliver nothing more (gap, budget spent, or this parser lost interest). */
    void onStreamEnd(ParseContext ctx, boolean fromOrig) {}

    /** Whether this direction is still worth parsing; when both are not, the flow costs nothing more. */
    boolean wants(boolean fromOrig) {
        return true;
    }

    /** Bytes of a TCP direction this parser looks at, at most. */
    long budget(boolean fromOrig) {
        return Long.MAX_VALUE;
    }

    /** FTP USER/PASS, HTTP Basic authorization, a Telnet login prompt: credentials crossed the wire in clear. */
    boolean cleartextCredentials() {
        return false;
    }

    /** Gives back pooled buffers; called once when the flow ends. */
    void release(ParseContext ctx) {}

    final void parseError(ParseContext ctx) {
        ctx.counters.parseErrors.increment(proto());
    }

    final void truncated(ParseContext ctx) {
        ctx.counters.truncations.increment(proto());
    }
}
