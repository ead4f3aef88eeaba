package dev.vigie.protocols;

/**
 * HTTP/1.x over the whole connection: method, Host, URI and User-Agent of the first request, the first final status,
 * the number of requests, and the body bytes of all messages in each direction (Content-Length and chunked bodies
 * followed message by message; a response with neither runs to the end of the connection). Bodies are skipped by
 * count, never buffered. HEAD requests and 1xx/204/304 responses have no body; 101 and a 2xx answer to CONNECT end
 * the parsing (what follows is another protocol).
 */
final class HttpParser extends LineParser {
    private static final int START = 0, HEADERS = 1, BODY = 2, CHUNK_SIZE = 3, CHUNK_DATA = 4, CHUNK_END = 5,
            TRAILERS = 6, UNTIL_CLOSE = 7, DONE = 8;

    String method;
    String host;
    String uri;
    String userAgent;
    String basicUser;
    int status = -1;
    int requests;
    int responses;
    long requestBodyBytes;
    long responseBodyBytes;

    private final Side req = new Side();
    private final Side resp = new Side();
    /** Pending requests' HEAD / CONNECT flags, oldest in bit 0 (responses pair with requests in order). */
    private long headQueue;
    private long connectQueue;
    private int queued;

    private static final class Side {
        int state = START;
        long remaining;
        long contentLength = -1;
        boolean chunked;
        int code;
        boolean head;
        boolean connect;
    }

    @Override
    AppProto proto() {
        return AppProto.HTTP;
    }

    @Override
    boolean wants(boolean fromOrig) {
        return (fromOrig ? req : resp).state != DONE;
    }

    @Override
    boolean cleartextCredentials() {
        return basicUser != null;
    }

    @Override
    int raw(ParseContext ctx, boolean fromOrig, byte[] b, int from, int end) {
        Side s = fromOrig ? req : resp;
        switch (s.state) {
            case BODY, CHUNK_DATA -> {
                int n = (int) Math.min(s.remaining, end - from);
                addBody(fromOrig, n);
                s.remaining -= n;
                if (s.remaining == 0) {
                    s.state = s.state == BODY ? START : CHUNK_END;
                    if (s.state == START) {
                        messageDone(fromOrig, s);
                    }
                }
                return n == 0 ? -1 : n;
            }
            case UNTIL_CLOSE -> {
                addBody(fromOrig, end - from);
                return end - from;
            }
            default -> {
                return 0;
            }
        }
    }

    private void addBody(boolean fromOrig, long n) {
        if (fromOrig) {
            requestBodyBytes += n;
        } else {
            responseBodyBytes += n;
        }
    }

    @Override
    void line(ParseContext ctx, boolean fromOrig, byte[] b, int from, int to, boolean cut) {
        Side s = fromOrig ? req : resp;
        switch (s.state) {
            case START -> {
                if (from == to) {
                    return;                              // stray CRLF between messages
                }
                if (fromOrig) {
                    requestLine(ctx, s, b, from, to);
                } else {
                    statusLine(ctx, s, b, from, to);
                }
            }
            case HEADERS -> {
                if (from == to) {
                    endOfHeaders(fromOrig, s);
                } else if (!cut) {
                    header(ctx, fromOrig, s, b, from, to);
                }
            }
            case CHUNK_SIZE -> {
                long size = chunkSize(b, from, to);
                if (size < 0) {
                    parseError(ctx);
                    s.state = DONE;
                } else if (size == 0) {
                    s.state = TRAILERS;
                } else {
                    s.remaining = size;
                    s.state = CHUNK_DATA;
                }
            }
            case CHUNK_END -> s.state = CHUNK_SIZE;
            case TRAILERS -> {
                if (from == to) {
                    s.state = START;
                    messageDone(fromOrig, s);
                }
            }
            default -> { }
        }
    }

    private void requestLine(ParseContext ctx, Side s, byte[] b, int from, int to) {
        int sp = Text.indexOf(b, from, to, ' ');
        if (sp <= from || sp - from > 20 || !token(b, from, sp)) {
            parseError(ctx);
            if (requests == 0) {
                rejected = true;
            }
            s.state = DONE;
            return;
        }
        int uriStart = sp + 1;
        int uriEnd = to;
        int sp2 = lastIndexOf(b, uriStart, to, ' ');
        boolean http09 = sp2 < 0 || !Text.startsWith(b, sp2 + 1, to, "HTTP/");
        if (!http09) {
            uriEnd = sp2;
        }
        requests++;
        if (method == null) {
            method = Text.value(ctx.sb, b, from, sp - from);
            uri = Text.value(ctx.sb, b, uriStart, uriEnd - uriStart);
        }
        s.head = sp - from == 4 && Text.startsWith(b, from, sp, "HEAD");
        s.connect = sp - from == 7 && Text.startsWith(b, from, sp, "CONNECT");
        s.contentLength = -1;
        s.chunked = false;
        if (queued < 64) {
            if (s.head) headQueue |= 1L << queued;
            if (s.connect) connectQueue |= 1L << queued;
            queued++;
        }
        s.state = http09 ? START : HEADERS;
    }

    private void statusLine(ParseContext ctx, Side s, byte[] b, int from, int to) {
        if (!Text.startsWith(b, from, to, "HTTP/") || to - from < 12 || b[from + 8] != ' ') {
            parseError(ctx);
            if (responses == 0) {
                rejected = requests == 0;
            }
            s.state = DONE;
            return;
        }
        long code = Text.parseDecimal(b, from + 9, from + 12);
        if (code < 100 || code > 999) {
            parseError(ctx);
            s.state = DONE;
            return;
        }
        s.code = (int) code;
        s.contentLength = -1;
        s.chunked = false;
        boolean informational = code >= 100 && code < 200 && code != 101;
        if (!informational) {
            responses++;
            if (status < 0) {
                status = s.code;
            }
            s.head = (headQueue & 1) != 0;
            s.connect = (connectQueue & 1) != 0;
            if (queued > 0) {
                headQueue >>>= 1;
                connectQueue >>>= 1;
                queued--;
            }
        } else {
            s.head = false;
            s.connect = false;
        }
        s.state = HEADERS;
    }

    private void header(ParseContext ctx, boolean fromOrig, Side s, byte[] b, int from, int to) {
        if (Text.isSpace(b[from])) {
            return;                                      // obsolete line folding: a continuation we do not need
        }
        int colon = Text.indexOf(b, from, to, ':');
        if (colon <= from) {
            parseError(ctx);
            return;
        }
        int v = Text.trimStart(b, colon + 1, to);
        int ve = Text.trimEnd(b, v, to);
        int nameLen = colon - from;
        if (nameLen == 14 && Text.startsWithIgnoreCase(b, from, colon, "content-length")) {
            long n = Text.parseDecimal(b, v, ve);
            if (n < 0) {
                parseError(ctx);
            } else {
                s.contentLength = n;
            }
        } else if (nameLen == 17 && Text.startsWithIgnoreCase(b, from, colon, "transfer-encoding")) {
            s.chunked = containsIgnoreCase(b, v, ve, "chunked");
        } else if (fromOrig && requests == 1) {
            if (nameLen == 4 && host == null && Text.startsWithIgnoreCase(b, from, colon, "host")) {
                host = Text.value(ctx.sb, b, v, ve - v);
            } else if (nameLen == 10 && userAgent == null && Text.startsWithIgnoreCase(b, from, colon, "user-agent")) {
                userAgent = Text.value(ctx.sb, b, v, ve - v);
            }
        }
        if (fromOrig && basicUser == null && nameLen == 13 && Text.startsWithIgnoreCase(b, from, colon, "authorization")
                && Text.startsWithIgnoreCase(b, v, ve, "basic ")) {
            basicUser = basicUser(ctx, b, Text.trimStart(b, v + 6, ve), ve);
        }
    }

    private void endOfHeaders(boolean fromOrig, Side s) {
        if (fromOrig) {
            if (s.connect) {
                s.state = DONE;                          // tunnel data follows
            } else if (s.chunked) {
                s.state = CHUNK_SIZE;
            } else if (s.contentLength > 0) {
                s.remaining = s.contentLength;
                s.state = BODY;
            } else {
                s.state = START;
                messageDone(true, s);
            }
            return;
        }
        int code = s.code;
        if (code == 101 || s.connect && code >= 200 && code < 300) {
            s.state = DONE;
            req.state = DONE;
        } else if (code < 200 || code == 204 || code == 304 || s.head) {
            s.state = START;
            messageDone(false, s);
        } else if (s.chunked) {
            s.state = CHUNK_SIZE;
        } else if (s.contentLength >= 0) {
            s.remaining = s.contentLength;
            s.state = s.contentLength == 0 ? START : BODY;
        } else {
            s.state = UNTIL_CLOSE;
        }
    }

    private void messageDone(boolean fromOrig, Side s) {
        s.contentLength = -1;
        s.chunked = false;
    }

    /** The user part of "Basic base64(user:password)"; the password is never kept. */
    private static String basicUser(ParseContext ctx, byte[] b, int from, int to) {
        byte[] out = new byte[Math.min(192, (to - from) * 3 / 4 + 3)];
        int n = 0;
        int acc = 0;
        int bits = 0;
        for (int i = from; i < to && n < out.length; i++) {
            int c = b[i];
            int v;
            if (c >= 'A' && c <= 'Z') v = c - 'A';
            else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
            else if (c >= '0' && c <= '9') v = c - '0' + 52;
            else if (c == '+' || c == '-') v = 62;
            else if (c == '/' || c == '_') v = 63;
            else break;                                  // '=' padding or junk ends the value
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >>> bits);
            }
        }
        int colon = Text.indexOf(out, 0, n, ':');
        int userLen = colon < 0 ? n : colon;
        String user = Text.value(ctx.sb, out, 0, userLen);
        java.util.Arrays.fill(out, (byte) 0);            // do not leave the password lying around
        return user;
    }

    private static long chunkSize(byte[] b, int from, int to) {
        int p = Text.trimStart(b, from, to);
        long v = 0;
        int digits = 0;
        while (p < to) {
            int d = Character.digit(b[p], 16);
            if (d < 0) {
                break;
            }
            if (++digits > 15) {
                return -1;
            }
            v = (v << 4) | d;
            p++;
        }
        if (digits == 0) {
            return -1;
        }
        return v;
    }

    private static boolean token(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (!(c >= 'A' && c <= 'Z' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static int lastIndexOf(byte[] b, int from, int to, int c) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean containsIgnoreCase(byte[] b, int from, int to, String word) {
        for (int i = from; i + word.length() <= to; i++) {
            if (Text.startsWithIgnoreCase(b, i, to, word)) {
                return true;
            }
        }
        return false;
    }

    private static final String[] METHODS = {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ",
        "PATCH ", "TRACE ", "PROPFIND ", "PROPPATCH ", "MKCOL ", "COPY ", "MOVE ", "LOCK ", "UNLOCK ", "SEARCH "};

    /** Content sniff: a request line start from the client, or a status line from the server. */
    static boolean looksLikeRequest(byte[] b, int off, int len) {
        if (len < 4 || b[off] < 'C' || b[off] > 'U') {
            return false;                                // no method starts outside C..U
        }
        for (String m : METHODS) {
            if (Text.startsWith(b, off, off + len, m)) {
                return true;
            }
        }
        return false;
    }

    static boolean looksLikeResponse(byte[] b, int off, int len) {
        return Text.startsWith(b, off, off + len, "HTTP/1.");
    }
}
