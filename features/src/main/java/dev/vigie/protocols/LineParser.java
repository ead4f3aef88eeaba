package dev.vigie.protocols;

/**
 * Base of the line-oriented TCP parsers (HTTP headers, FTP, SSH banners): splits each direction's stream at LF,
 * strips the CR, and hands complete lines to {@link #line}. A line longer than the pending buffer is cut: its first
 * part is handed over as {@code cut} and the rest is skipped up to the next LF. Subclasses can take raw bytes
 * (message bodies) by overriding {@link #raw}.
 */
abstract class LineParser extends ProtocolParser {
    private boolean origSkipping;
    private boolean respSkipping;

    @Override
    final int onStream(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len, boolean full) {
        int pos = off;
        int end = off + len;
        while (pos < end && wants(fromOrig)) {
            int raw = raw(ctx, fromOrig, b, pos, end);
            if (raw != 0) {
                if (raw < 0) {
                    return pos - off;                 // raw mode needs more bytes
                }
                pos += raw;
                continue;
            }
            if (fromOrig ? origSkipping : respSkipping) {
                int lf = Text.indexOf(b, pos, end, '\n');
                if (lf < 0) {
                    return len;
                }
                pos = lf + 1;
                setSkipping(fromOrig, false);
                continue;
            }
            int lf = Text.indexOf(b, pos, end, '\n');
            if (lf < 0) {
                if (full && pos == off) {
                    truncated(ctx);
                    line(ctx, fromOrig, b, pos, end, true);
                    setSkipping(fromOrig, true);
                    return len;
                }
                return pos - off;
            }
            int lineEnd = lf > pos && b[lf - 1] == '\r' ? lf - 1 : lf;
            line(ctx, fromOrig, b, pos, lineEnd, false);
            pos = lf + 1;
        }
        return wants(fromOrig) ? pos - off : len;
    }

    private void setSkipping(boolean fromOrig, boolean v) {
        if (fromOrig) {
            origSkipping = v;
        } else {
            respSkipping = v;
        }
    }

    /** One line without its CR LF: {@code b[from, to)}; {@code cut} when only its start is given. */
    abstract void line(ParseContext ctx, boolean fromOrig, byte[] b, int from, int to, boolean cut);

    /**
     * Bytes this parser takes as they are, before line splitting: returns how many it took (&gt; 0), 0 for "parse
     * lines", or -1 for "wait for more bytes".
     */
    int raw(ParseContext ctx, boolean fromOrig, byte[] b, int from, int end) {
        return 0;
    }
}
