package dev.vigie.protocols;

import dev.vigie.flow.Flow;

/**
 * Stands in for the real parser while a TCP flow's first payload is too short to recognise (a record header sent
 * on its own, a request line typed slowly): keeps the bytes unconsumed, so they wait in the direction's pending
 * buffer, and runs detection again as more arrive. Once it decides, the analyzer swaps in the real parser, which
 * is offered the waiting bytes first.
 */
final class SniffParser extends ProtocolParser {
    /** Enough bytes to tell every protocol we detect apart (the longest HTTP method plus a space is 10). */
    static final int ENOUGH = 16;
    private static final int MAX_TRIES = 8;

    private final Flow flow;
    private final int ipProtocol;
    private int tries;
    boolean decided;
    ProtocolParser result;

    SniffParser(Flow flow, int ipProtocol) {
        this.flow = flow;
        this.ipProtocol = ipProtocol;
    }

    @Override
    AppProto proto() {
        return result != null ? result.proto() : AppProto.TLS;  // only used for counters while undecided
    }

    @Override
    int onStream(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len, boolean full) {
        if (decided) {
            return 0;
        }
        if (ready(b, off, len) || full || ++tries >= MAX_TRIES) {
            decided = true;
            result = ProtocolDetector.detect(flow, ipProtocol, b, off, len, fromOrig);
        }
        return 0;
    }

    static boolean ready(byte[] b, int off, int len) {
        return len >= ENOUGH || Text.indexOf(b, off, off + len, '\n') >= 0;
    }
}
