package dev.vigie.dlp;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * HTTP/1.x framing of one TCP direction, in front of the tokenizer: header blocks are scanned as they are, bodies
 * are de-chunked ({@code Transfer-Encoding: chunked}) and inflated ({@code Content-Encoding: gzip | x-gzip |
 * deflate}) before scanning, so an identifier split across chunks or compressed is seen. Every step is bounded:
 * the tokenizer's per-direction output cap, an inflate ratio cap (gzip bomb), a chunk-size cap and a chunk-line
 * length cap, and a wire-byte cap of {@link #RAW_FACTOR} times the output cap (input that inflates to nothing).
 * Each cap hit is counted in {@link DlpCounters} and sets the flow's {@code dlp_capped}.
 *
 * <p>The first line of the direction decides: an HTTP request or status line keeps this decoder, anything else
 * turns it off for the stream (plain scanning, as before). A desynchronised message (no HTTP start line after a
 * body) or a TCP hole falls back to plain scanning of the rest. No per-packet allocation: fixed fields, a
 * 64-byte line buffer, an {@link Inflater} borrowed from the scanner's bounded pool for the body only.
 */
final class HttpDecoder {
    static final int RAW_FACTOR = 4;
    private static final int LINE = 64;
    private static final int MAX_CHUNK_LINE = 1024;
    private static final int HEAD = 0, BODY_LEN = 1, CHUNK_SIZE = 2, CHUNK_DATA = 3, CHUNK_CRLF = 4, TRAILER = 5,
            BODY_CLOSE = 6, PLAIN = 7, DONE = 8;
    private static final int ENC_NONE = 0, ENC_GZIP = 1, ENC_DEFLATE = 2;

    private int state = HEAD;
    private boolean firstLine = true;        // the next header line is a message's start line
    private boolean anyMessage;              // a start line was recognised in this stream
    private final byte[] line = new byte[LINE];
    private int lineLen;
    private int lineTotal;
    private boolean response;
    private boolean noBody;
    private boolean chunked;
    private int encoding;
    private long contentLength;
    private long remaining;
    private int chunkDigits;
    private boolean chunkExt;
    private long raw;

    // inflate
    private Inflater inflater;
    private boolean skipBody;                // the rest of this body is not decoded (cap, error, no inflater)
    private int gzState;                     // gzip/zlib header bytes still to parse; 0 when in deflate data
    private int gzFlags;
    private int gzSkip;
    private long inflatedIn;
    private long inflatedOut;

    /** Feeds stream bytes in order; calls {@link DirectionScanner#scan} with what the tokenizer should read. */
    void consume(DlpState st, DlpScanner sc, DirectionScanner dir, byte[] d, int off, int len) {
        if (state == PLAIN) {
            dir.scan(st, sc, d, off, len);
            return;
        }
        int max = sc.config.maxBytesPerDirection();
        if (state == DONE || dir.scanned >= max) {
            finish(sc);
            return;
        }
        raw += len;
        if (raw > (long) RAW_FACTOR * max) {
            sc.counters.httpRawCapped++;
            dir.capped = true;
            finish(sc);
            return;
        }
        int i = off, end = off + len;
        while (i < end && state != DONE && state != PLAIN) {
            switch (state) {
                case HEAD -> i = head(st, sc, dir, d, i, end);
                case BODY_LEN -> {
                    int n = (int) Math.min(remaining, end - i);
                    body(st, sc, dir, d, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        endMessage(sc);
                    }
                }
                case BODY_CLOSE -> {
                    body(st, sc, dir, d, i, end - i);
                    i = end;
                }
                case CHUNK_SIZE -> i = chunkSize(sc, dir, d, i, end);
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    body(st, sc, dir, d, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = CHUNK_CRLF;
                    }
                }
                case CHUNK_CRLF -> {
                    byte b = d[i++];
                    if (b == '\n') {
                        state = CHUNK_SIZE;
                    } else if (b != '\r') {
                        desync(sc);                  // chunk data longer than announced: framing lost
                    }
                }
                case TRAILER -> i = trailer(sc, d, i, end);
                default -> i = end;
            }
        }
        if (state == PLAIN && i < end) {
            dir.scan(st, sc, d, i, end - i);
        }
        if (dir.scanned >= max) {
            finish(sc);
        }
    }

    /** Header block bytes: scanned as they are, parsed for the framing headers. Returns where it stopped. */
    private int head(DlpState st, DlpScanner sc, DirectionScanner dir, byte[] d, int i, int end) {
        int start = i;
        while (i < end) {
            byte b = d[i++];
            if (b == '\n') {
                boolean empty = lineTotal == 0;
                if (!empty) {
                    headerLine(sc);
                }
                lineLen = 0;
                lineTotal = 0;
                if (state != HEAD) {
                    break;                           // the first line was not HTTP: plain from here
                }
                if (empty && !firstLine) {
                    dir.scan(st, sc, d, start, i - start);
                    startBody(sc);
                    return i;
                }
            } else if (b != '\r') {
                if (lineLen < LINE) {
                    line[lineLen++] = (byte) (b >= 'A' && b <= 'Z' ? b | 0x20 : b);
                }
                lineTotal++;
                if (firstLine && !anyMessage && lineLen == 8 && !httpStart()) {
                    state = PLAIN;                   // not HTTP: decided on 8 bytes, not at a line end that
                    break;                           // HL7 (CR only) or binary streams never reach
                }
            }
        }
        dir.scan(st, sc, d, start, i - start);
        return i;
    }

    private void headerLine(DlpScanner sc) {
        if (firstLine) {
            firstLine = false;
            if (httpStart() && starts("http/1.")) {
                response = true;
                int status = lineLen >= 12 ? (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0') : 0;
                noBody = status < 200 || status == 204 || status == 304;
            } else if (httpStart()) {
                response = false;
                noBody = false;
            } else {
                if (anyMessage) {
                    sc.counters.httpDesync++;
                }
                state = PLAIN;                       // not HTTP (or lost): plain scanning
                return;
            }
            anyMessage = true;
            chunked = false;
            encoding = ENC_NONE;
            contentLength = -1;
            return;
        }
        if (starts("transfer-encoding:")) {
            chunked = contains("chunked");
        } else if (starts("content-encoding:")) {
            if (contains("gzip")) {
                encoding = ENC_GZIP;
            } else if (contains("deflate")) {
                encoding = ENC_DEFLATE;
            } else if (!valueEmpty("content-encoding:".length()) && !contains("identity")) {
                sc.counters.httpUnsupportedEncoding++;   // br, zstd, ...: scanned as it is (finds nothing)
            }
        } else if (starts("content-length:")) {
            long v = 0;
            boolean digits = false;
            for (int k = "content-length:".length(); k < lineLen; k++) {
                byte b = line[k];
                if (b >= '0' && b <= '9' && v < Long.MAX_VALUE / 10 - 10) {
                    v = v * 10 + (b - '0');
                    digits = true;
                } else if (b != ' ' && b != '\t') {
                    break;
                }
            }
            contentLength = digits ? v : -1;
        }
    }

    private void startBody(DlpScanner sc) {
        firstLine = true;
        skipBody = false;
        inflatedIn = 0;
        inflatedOut = 0;
        if (noBody) {
            state = HEAD;
            return;
        }
        if (chunked || encoding != ENC_NONE) {
            sc.counters.httpDecodedBodies++;
        }
        if (encoding != ENC_NONE) {
            inflater = sc.borrowInflater();
            if (inflater == null) {
                sc.counters.inflaterBusy++;          // pool exhausted: this body is not decoded
                skipBody = true;
            }
            gzState = encoding == ENC_GZIP ? 10 : 2;
            gzFlags = 0;
            gzSkip = 0;
        }
        if (chunked) {
            state = CHUNK_SIZE;
            remaining = 0;
            chunkDigits = 0;
            chunkExt = false;
            lineTotal = 0;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = BODY_LEN;
            if (remaining == 0) {
                endMessage(sc);
            }
        } else {
            state = response ? BODY_CLOSE : HEAD;   // a request without length has no body
            if (state == HEAD) {
                endMessage(sc);
            }
        }
    }

    private int chunkSize(DlpScanner sc, DirectionScanner dir, byte[] d, int i, int end) {
        while (i < end) {
            byte b = d[i++];
            if (++lineTotal > MAX_CHUNK_LINE) {
                sc.counters.chunkLineCapped++;       // an endless chunk-size line
                dir.capped = true;
                finish(sc);
                return end;
            }
            if (b == '\n') {
                if (chunkDigits == 0) {
                    desync(sc);
                    return i;
                }
                lineTotal = 0;
                chunkDigits = 0;
                chunkExt = false;
                if (remaining == 0) {
                    state = TRAILER;
                } else {
                    state = CHUNK_DATA;
                }
                return i;
            }
            if (chunkExt || b == '\r' || b == ' ' || b == '\t') {
                continue;
            }
            if (b == ';') {
                chunkExt = true;
                continue;
            }
            int h = Character.digit(b, 16);
            if (h < 0) {
                desync(sc);
                return i;
            }
            remaining = remaining << 4 | h;
            if (++chunkDigits > 8 || remaining > sc.config.maxChunkSize()) {
                sc.counters.chunkSizeCapped++;       // a chunk size no sane server sends
                dir.capped = true;
                finish(sc);
                return end;
            }
        }
        return i;
    }

    /** Trailer section after the last chunk: lines until an empty one. */
    private int trailer(DlpScanner sc, byte[] d, int i, int end) {
        while (i < end) {
            byte b = d[i++];
            if (b == '\n') {
                if (lineTotal == 0) {
                    endMessage(sc);
                    return i;
                }
                lineTotal = 0;
            } else if (b != '\r') {
                if (++lineTotal > MAX_CHUNK_LINE) {
                    desync(sc);
                    return i;
                }
            }
        }
        return i;
    }

    /** Body bytes after de-chunking: scanned, or inflated then scanned. */
    private void body(DlpState st, DlpScanner sc, DirectionScanner dir, byte[] d, int off, int len) {
        if (len == 0 || skipBody) {
            return;
        }
        if (encoding == ENC_NONE) {
            dir.scan(st, sc, d, off, len);
            return;
        }
        while (gzState > 0 && len > 0) {             // the gzip or zlib header, parsed by hand (nowrap inflater)
            int b = d[off] & 0xFF;
            if (encoding == ENC_DEFLATE && gzState == 2 && (b & 0x0F) != 8) {
                gzState = 0;                         // no zlib header: raw deflate, as some servers send
                break;
            }
            off++;
            len--;
            header(sc, b);
            if (skipBody) {
                return;
            }
        }
        if (len == 0) {
            return;
        }
        Inflater inf = inflater;
        inf.setInput(d, off, len);
        byte[] out = sc.inflateBuffer();
        int max = sc.config.maxBytesPerDirection();
        try {
            while (!inf.finished() && !inf.needsInput()) {
                long before = inf.getBytesRead();
                int n = inf.inflate(out);
                inflatedIn += inf.getBytesRead() - before;
                if (n > 0) {
                    inflatedOut += n;
                    dir.scan(st, sc, out, 0, n);
                }
                if (dir.scanned >= max) {
                    stopBody(sc);                    // the output cap: counted by the tokenizer
                    return;
                }
                if (inflatedOut > (long) sc.config.inflateRatio() * inflatedIn + 4096) {
                    sc.counters.inflateRatioCapped++;   // a gzip bomb, or text far more repetitive than a record
                    dir.capped = true;
                    stopBody(sc);
                    return;
                }
                if (n == 0 && inf.needsDictionary()) {
                    sc.counters.inflateErrors++;
                    stopBody(sc);
                    return;
                }
            }
        } catch (DataFormatException e) {
            sc.counters.inflateErrors++;             // corrupt or truncated stream: the rest of the body is skipped
            stopBody(sc);
            return;
        }
        if (inf.finished()) {
            stopBody(sc);                            // trailer bytes (CRC, size) are skipped with the body
        }
    }

    /** One byte of the gzip (RFC 1952) or zlib (RFC 1950) header. */
    private void header(DlpScanner sc, int b) {
        if (encoding == ENC_DEFLATE) {
            if (gzState == 1 && (b & 0x20) != 0) {
                sc.counters.inflateErrors++;         // preset dictionary: cannot decode
                stopBody(sc);
                return;
            }
            gzState--;
            return;
        }
        // gzip: 10 fixed bytes, then FEXTRA, FNAME, FCOMMENT, FHCRC as flagged
        if (gzState > 1000) {                        // skipping optional parts
            gzOptional(sc, b);
            if ((gzFlags & 0x1E) == 0) {
                gzState = 0;
            }
            return;
        }
        int pos = 10 - gzState;
        if (pos == 0 && b != 0x1f || pos == 1 && b != 0x8b || pos == 2 && b != 8) {
            sc.counters.inflateErrors++;
            stopBody(sc);
            return;
        }
        if (pos == 3) {
            gzFlags = b;
        }
        gzState--;
        if (gzState == 0 && (gzFlags & 0x1E) != 0) {
            gzState = 1001;
            gzSkip = -1;
        }
    }

    /** FEXTRA (2-byte length then data), FNAME and FCOMMENT (zero-terminated), FHCRC (2 bytes), in that order. */
    private void gzOptional(DlpScanner sc, int b) {
        if ((gzFlags & 4) != 0) {
            if (gzSkip == -1) {
                gzSkip = -2 - b;                     // low byte of XLEN kept as -2 - lo
                return;
            }
            if (gzSkip <= -2) {
                gzSkip = (-2 - gzSkip) | b << 8;
                if (gzSkip == 0) {
                    gzFlags &= ~4;
                    gzSkip = -1;
                }
                return;
            }
            if (--gzSkip == 0) {
                gzFlags &= ~4;
                gzSkip = -1;
            }
            return;
        }
        if ((gzFlags & 8) != 0) {
            if (b == 0) {
                gzFlags &= ~8;
            }
            return;
        }
        if ((gzFlags & 16) != 0) {
            if (b == 0) {
                gzFlags &= ~16;
            }
            return;
        }
        if ((gzFlags & 2) != 0) {
            if (gzSkip == -1) {
                gzSkip = 1;
                return;
            }
            gzFlags &= ~2;
        }
    }

    /** The body is not decoded further; framing (lengths, chunks) still tracked to find the next message. */
    private void stopBody(DlpScanner sc) {
        skipBody = true;
        release(sc);
    }

    private void endMessage(DlpScanner sc) {
        release(sc);
        state = HEAD;
        firstLine = true;
        lineLen = 0;
        lineTotal = 0;
    }

    /** Framing lost: the rest of the direction is scanned as it is. */
    private void desync(DlpScanner sc) {
        sc.counters.httpDesync++;
        release(sc);
        state = PLAIN;
    }

    /** A TCP hole: a compressed or chunked body cannot go on; the rest is scanned as it is. */
    void hole(DlpScanner sc) {
        if (state != PLAIN && state != DONE && state != HEAD) {
            sc.counters.httpDesync++;
        }
        release(sc);
        if (state != DONE) {
            state = PLAIN;
        }
    }

    /** Nothing more to do in this direction (a cap). */
    private void finish(DlpScanner sc) {
        release(sc);
        state = DONE;
    }

    /** Gives the inflater back to the pool (flow end, message end, cap). */
    void release(DlpScanner sc) {
        if (inflater != null) {
            sc.returnInflater(inflater);
            inflater = null;
        }
    }

    private boolean httpStart() {
        return starts("http/1.") || starts("get ") || starts("post ") || starts("put ") || starts("patch ")
                || starts("delete ") || starts("options ") || starts("head ");
    }

    private boolean starts(String s) {
        if (lineLen < s.length()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (line[k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private boolean contains(String s) {
        outer:
        for (int k = 0; k + s.length() <= lineLen; k++) {
            for (int j = 0; j < s.length(); j++) {
                if (line[k + j] != s.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private boolean valueEmpty(int from) {
        for (int k = from; k < lineLen; k++) {
            if (line[k] != ' ' && line[k] != '\t') {
                return false;
            }
        }
        return true;
    }
}
