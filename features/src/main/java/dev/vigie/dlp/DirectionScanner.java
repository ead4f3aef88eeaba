package dev.vigie.dlp;

import dev.vigie.decode.DecodedPacket;
import dev.vigie.flow.DirectionStats;
import dev.vigie.flow.Flow;

/**
 * One direction of a flow: in-order TCP stream tracking by sequence number (retransmitted bytes trimmed, a segment
 * ahead of the expected sequence counted as a gap and scanning resumed after it) and a streaming tokenizer that
 * finds identifier candidates across segment boundaries with a fixed 24-byte run buffer.
 *
 * <p>A <em>run</em> is a maximal sequence of digits, Corsica letters A/B and single spaces between them; it is
 * evaluated as a NIR or card when it ends, unless a letter touches it on either side (a word, a hex or base64
 * string: not a value someone typed or exported). A <em>group</em> is a space-free part of a run; a group is a
 * whole token, and the IPP/IEP detectors evaluate groups, with the context the tokenizer tracks on the current
 * line: the last keyword of each kind, the CSV/TSV table the line belongs to, the HL7 segment and field.
 * All of that is a few ints per direction: no per-packet or per-line object.
 */
final class DirectionScanner {
    static final int MAX_RUN = 24;          // longest spaced form: 19-digit card with 4 spaces is 23
    static final int MAX_WORD = IdPattern.MAX_KEYWORD;

    // byte classes of the tokenizer, one table lookup per byte
    private static final byte OTHER = 0, DIGIT = 1, LETTER = 2, SPACE = 3, SEMI = 4, TAB = 5, COMMA = 6, PIPE = 7,
            QUOTE = 8, EOL = 9;
    private static final byte[] CLASS = new byte[256];
    /** Separator classes in the order a header line's table separator is chosen. */
    private static final int[] SEPS = {SEMI, TAB, COMMA};
    private static final int START = -1;    // "line start" for the delimiter before a word
    private static final int NO_KEYWORD = Integer.MIN_VALUE / 2;
    static final int SEG_NONE = 0, SEG_PID = 1, SEG_PV1 = 2, SEG_OTHER = 3;
    private static final int PID = ('P' << 16) | ('I' << 8) | 'D', PV1 = ('P' << 16) | ('V' << 8) | '1';

    static {
        for (int b = '0'; b <= '9'; b++) CLASS[b] = DIGIT;
        for (int b = 'a'; b <= 'z'; b++) CLASS[b] = LETTER;
        for (int b = 'A'; b <= 'Z'; b++) CLASS[b] = LETTER;
        for (int b = 0x80; b <= 0xFF; b++) CLASS[b] = LETTER;   // accented letters of UTF-8 and Latin-1 text
        CLASS[' '] = SPACE;
        CLASS[';'] = SEMI;
        CLASS['\t'] = TAB;
        CLASS[','] = COMMA;
        CLASS['|'] = PIPE;
        CLASS['"'] = QUOTE;
        CLASS['\''] = QUOTE;
        CLASS['\r'] = EOL;
        CLASS['\n'] = EOL;
        CLASS[0x0B] = EOL;                  // MLLP start block: an HL7 message starts a segment
        CLASS[0x1C] = EOL;                  // MLLP end block
    }

    // --- the current run and group
    private final byte[] run = new byte[MAX_RUN];
    private int runLen;                     // compact characters stored (spaces not stored)
    private int rawLen;                     // characters including spaces, for the long-run cut
    private boolean lastSpace;
    private boolean runLong;                // the run is longer than MAX_RUN: no NIR/card, groups still evaluated
    private boolean gluedLeft;              // a letter right before the run
    private boolean prevLetter;
    private int grpStart;                   // index in run[] of the current group
    private int grpLinePos;                 // line position of the group's first character
    private boolean grpFirst;               // the group starts the run (so inherits gluedLeft)
    private boolean grpLong;                // the group itself does not fit the buffer

    // --- the current line
    private int linePos;                    // bytes since the line started
    private boolean lastCr;                 // CR LF is one line break
    private boolean lineUnknown;            // a TCP hole on this line: field positions are unknown until its end
    private final int[] sepCount = new int[EOL];   // separators seen on this line, by class
    private final int[] kwEnd = new int[2];  // line position after the last keyword, per kind
    private int lastDelim;                  // class of the last significant byte (not space or quote) on the line

    // --- the current word (letters) and a keyword waiting for the next delimiter to know if it fills a field
    private final byte[] word = new byte[MAX_WORD];
    private int wordLen;
    private boolean wordLong;
    private int wordPrev;                   // lastDelim when the word started
    private int pendKinds;                  // kinds of the keyword just ended, while only spaces/quotes follow it
    private int pendPrev;
    private final int[] pendField = new int[EOL];
    private final long[][] hdr = new long[2][EOL];   // header candidates: per kind, per separator, column bits

    // --- the CSV/TSV table the current line belongs to
    private int tableSep;
    private final long[] tableCols = new long[2];

    // --- HL7 segment of the current line
    private int segHead;                    // characters of the segment name read, -1 once decided
    private int segName;
    int seg;
    private int pipes;                      // field separators seen: field N starts after the Nth '|'
    private boolean pidNamed;
    private int comp;                       // component of PID-5: a name is a letter in the family or given name

    // --- TCP, HTTP framing and the cap
    private long nextSeq;
    private HttpDecoder http;               // TCP directions only, from their first data segment
    int scanned;
    boolean capped;
    int ids;                                // identifiers (NIR, card, IPP, IEP) found in this direction

    // --- one out-of-order run held until the hole before it fills (from the scanner's bounded pool)
    private byte[] pend;
    private long pendSeq;
    private int pendLen;
    private int pendWaits;
    /** Segments that may arrive after a held run before we stop waiting for the hole to fill. */
    static final int REORDER_WAIT = 8;

    DirectionScanner() {
        reset();
    }

    /**
     * The state of a new scanner: every field of this class is set here and nowhere else at construction, so that
     * a scanner taken back from {@link DlpState}'s pool starts exactly as a new one ({@code DlpStatePoolTest}
     * compares them field by field). Pooled buffers must have gone back through {@link #release} first.
     */
    void reset() {
        java.util.Arrays.fill(run, (byte) 0);
        runLen = rawLen = 0;
        lastSpace = runLong = gluedLeft = prevLetter = false;
        grpStart = grpLinePos = 0;
        grpFirst = grpLong = false;
        linePos = 0;
        lastCr = lineUnknown = false;
        java.util.Arrays.fill(sepCount, 0);
        java.util.Arrays.fill(kwEnd, NO_KEYWORD);
        lastDelim = START;
        java.util.Arrays.fill(word, (byte) 0);
        wordLen = 0;
        wordLong = false;
        wordPrev = pendKinds = pendPrev = 0;
        java.util.Arrays.fill(pendField, 0);
        java.util.Arrays.fill(hdr[0], 0);
        java.util.Arrays.fill(hdr[1], 0);
        tableSep = -1;
        java.util.Arrays.fill(tableCols, 0);
        segHead = segName = seg = pipes = comp = 0;
        pidNamed = false;
        nextSeq = -1;
        http = null;
        scanned = 0;
        capped = false;
        ids = 0;
        pend = null;
        pendSeq = 0;
        pendLen = pendWaits = 0;
    }

    /** Feeds one TCP segment or datagram payload. */
    void feed(DlpState st, DlpScanner sc, DecodedPacket p, Flow flow, boolean fromOriginator, byte[] data, int off,
            int len, boolean tcp) {
        if (!tcp) {
            scan(st, sc, data, off, len);
            return;
        }
        long seq = p.tcpSeq;
        if ((p.tcpFlags & 0x02) != 0) {
            seq = (seq + 1) & 0xFFFFFFFFL;              // SYN takes one sequence number
            if (nextSeq < 0) {
                nextSeq = seq;
            }
        }
        if (len == 0) {
            return;
        }
        if (nextSeq < 0) {
            // a segment that overtook the first: the stream starts before it (read here only: reading a flow's
            // statistics gives it full ones, see Flow)
            DirectionStats side = fromOriginator ? flow.orig() : flow.resp();
            nextSeq = side.streamStart(seq);
        }
        segment(st, sc, seq, data, off, len);
    }

    private void segment(DlpState st, DlpScanner sc, long seq, byte[] data, int off, int len) {
        int delta = (int) ((seq - nextSeq) & 0xFFFFFFFFL);   // wrap-safe signed distance
        if (delta > 0) {
            if (pend != null) {
                if (seq == ((pendSeq + pendLen) & 0xFFFFFFFFL) && pendLen + len <= pend.length) {
                    System.arraycopy(data, off, pend, pendLen, len);   // the held run grows
                    pendLen += len;
                    waited(st, sc);
                    return;
                }
                giveUp(st, sc);                          // a second hole: stop waiting for the first
                segment(st, sc, seq, data, off, len);
                return;
            }
            if (len <= DlpScanner.REORDER_BUFFER && (pend = sc.borrowReorder()) != null) {
                System.arraycopy(data, off, pend, 0, len);
                pendSeq = seq;
                pendLen = len;
                pendWaits = 0;
                sc.counters.reorderHeld++;
                return;
            }
            gap(st, sc);
            nextSeq = seq;
            delta = 0;
        }
        if (delta < 0) {
            int skip = -delta;
            if (skip >= len) {
                sc.counters.retransmittedBytes += len;
                if (pend != null) {
                    waited(st, sc);
                }
                return;
            }
            sc.counters.retransmittedBytes += skip;
            off += skip;
            len -= skip;
        }
        nextSeq = (nextSeq + len) & 0xFFFFFFFFL;
        stream(st, sc, data, off, len);
        if (pend != null) {
            int ahead = (int) ((pendSeq - nextSeq) & 0xFFFFFFFFL);
            if (ahead <= 0) {                            // the hole is filled: the held run follows in order
                sc.counters.reorderFilled++;
                releasePending(st, sc, -ahead);
            } else {
                waited(st, sc);
            }
        }
    }

    /** In-order bytes: through the HTTP framing decoder, which calls {@link #scan}. */
    private void stream(DlpState st, DlpScanner sc, byte[] data, int off, int len) {
        if (http == null) {
            http = new HttpDecoder();
        }
        http.consume(st, sc, this, data, off, len);
    }

    /** Scans the held run from {@code skip} bytes in (its start overlapped what came in order) and frees it. */
    private void releasePending(DlpState st, DlpScanner sc, int skip) {
        byte[] b = pend;
        int n = pendLen;
        long endSeq = (pendSeq + pendLen) & 0xFFFFFFFFL;
        pend = null;
        if (skip < n) {
            nextSeq = endSeq;
            stream(st, sc, b, skip, n - skip);
        } else {
            sc.counters.retransmittedBytes += n;
        }
        sc.returnReorder(b);
    }

    private void waited(DlpState st, DlpScanner sc) {
        if (++pendWaits > REORDER_WAIT) {
            giveUp(st, sc);
        }
    }

    /** At the record: a held run whose hole never filled is scanned after a gap. */
    void finishPending(DlpState st, DlpScanner sc) {
        if (pend != null) {
            giveUp(st, sc);
        }
    }

    /** The hole will not fill: it is a gap, and the held run is scanned after it. */
    private void giveUp(DlpState st, DlpScanner sc) {
        sc.counters.reorderGivenUp++;
        gap(st, sc);
        nextSeq = pendSeq;
        releasePending(st, sc, 0);
    }

    private void gap(DlpState st, DlpScanner sc) {
        sc.counters.gaps++;
        st.gaps++;
        hole(st, sc);
        if (http != null) {
            http.hole(sc);
        }
    }

    /** Gives back what the direction borrowed (an inflater): flow end or scanner failure. */
    void release(DlpScanner sc) {
        if (http != null) {
            http.release(sc);
        }
        if (pend != null) {
            sc.counters.reorderDroppedBytes += pendLen;  // the hole never filled before the flow ended
            sc.returnReorder(pend);
            pend = null;
        }
    }

    /** A hole in the stream: a candidate never spans it, and the line's positions are unknown until its end. */
    void hole(DlpState st, DlpScanner sc) {
        endRun(st, sc, false);
        if (wordLen > 0 || wordLong) {
            wordLen = 0;
            wordLong = false;
        }
        pendKinds = 0;
        kwEnd[0] = kwEnd[1] = NO_KEYWORD;
        seg = SEG_NONE;
        segHead = -1;
        lineUnknown = true;
    }

    /** Tokenizes stream bytes in order, up to the per-direction cap. */
    void scan(DlpState st, DlpScanner sc, byte[] data, int off, int len) {
        int room = sc.config.maxBytesPerDirection() - scanned;
        if (room <= 0) {
            return;
        }
        if (len > room) {
            len = room;
            capped = true;
            sc.counters.capReached++;
        }
        scanned += len;
        if (binary(data, off, len)) {
            // Compressed files, images, encrypted or binary protocols: no identifier is readable there, and the
            // text tokenizer is the scanner's cost. The chunk is a hole: no candidate spans it.
            sc.counters.bytesBinary += len;
            hole(st, sc);
            return;
        }
        sc.counters.bytesScanned += len;
        for (int i = off, end = off + len; i < end; i++) {
            int b = data[i] & 0xFF;
            int c = CLASS[b];
            if ((c == LETTER || c == OTHER || c == SPACE || c == QUOTE) && rawLen == 0 && segHead < 0 && seg != SEG_PID) {
                i = text(sc, data, i, end) - 1;
                continue;
            }
            if (b == '\n' && lastCr) {
                lastCr = false;                          // the LF of CR LF: the line already ended
                continue;
            }
            lastCr = b == '\r';
            if (segHead >= 0) {
                segmentName(sc, b);
            }
            if (c == PIPE && seg != SEG_NONE) {
                pipes++;
                comp = 0;
            } else if (seg == SEG_PID && pipes == 5) {
                if (b == '^') {
                    comp++;                              // XPN components: family ^ given ^ ... ^ type code
                } else if (b == '~') {
                    comp = 0;                            // next repetition
                }
            }
            if (c == DIGIT || (b == 'A' || b == 'B') && rawLen > 0 && !lastSpace) {
                if (wordLen > 0 || wordLong) {
                    endWord(sc);
                }
                pendKinds = 0;
                lastDelim = OTHER;
                if (rawLen == 0) {
                    gluedLeft = prevLetter;
                    startGroup(true);
                } else if (lastSpace) {
                    startGroup(false);
                }
                lastSpace = false;
                prevLetter = false;
                addRunChar((byte) b);
                linePos++;
                continue;
            }
            boolean letter = c == LETTER;
            if (c == SPACE && rawLen > 0 && !lastSpace && !runLong) {
                endGroup(st, sc, false);                 // a single space: the group ends, the run goes on
                lastSpace = true;
                rawLen++;
            } else if (rawLen > 0) {                     // a long run ends at its next space: what follows is new
                endRun(st, sc, letter && !lastSpace);
            }
            if (letter) {
                if (wordLen == 0 && !wordLong) {
                    startWord();
                }
                wordLen = addLetter(b, wordLen);
                if (seg == SEG_PID && pipes == 5 && comp <= 1 && !pidNamed) {
                    pidNamed = true;                     // PID-5, the patient name: counted, never kept
                    st.hl7Patients++;
                    sc.counters.hl7Patients++;
                }
            } else {
                if (wordLen > 0 || wordLong) {
                    endWord(sc);
                }
                switch (c) {
                    case SPACE, QUOTE -> { }             // transparent around header names
                    case SEMI, TAB, COMMA -> {
                        if (pendKinds != 0 && (pendPrev == START || pendPrev == c)) {
                            markHeader(c);
                        }
                        pendKinds = 0;
                        sepCount[c]++;
                        lastDelim = c;
                    }
                    case EOL -> {
                        if (pendKinds != 0 && (pendPrev == SEMI || pendPrev == TAB || pendPrev == COMMA)) {
                            markHeader(pendPrev);
                        }
                        endLine();
                        prevLetter = false;
                        continue;
                    }
                    default -> {
                        pendKinds = 0;
                        lastDelim = OTHER;
                    }
                }
            }
            prevLetter = letter;
            if (linePos < Integer.MAX_VALUE) {
                linePos++;
            }
        }
        if (capped) {
            endRun(st, sc, false);
        }
    }

    /** Control bytes that text (ASCII, UTF-8, Latin-1, HL7 with its MLLP framing) does not hold: NUL..BS, SO..US but FS (and DEL). */
    private static final long CONTROL = 0xFFFF_C1FFL & ~(1L << 0x1C);
    /** Of the first {@link #SNIFF} bytes of a chunk, this many control bytes make it binary (random bytes: ~29). */
    static final int SNIFF = 256;
    static final int BINARY_CONTROLS = 12;

    /** Sniffs a chunk (its first 256 bytes): more than ~5% control bytes, as in compressed or binary data. */
    static boolean binary(byte[] d, int off, int len) {
        int n = Math.min(len, SNIFF);
        int limit = Math.max(2, n * BINARY_CONTROLS / SNIFF);
        int controls = 0;
        for (int i = off, end = off + n; i < end; i++) {
            int b = d[i] & 0xFF;
            if (b < 0x20 ? (CONTROL >>> b & 1) != 0 : b == 0x7F) {
                if (++controls >= limit) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Words and the bytes between them (punctuation, spaces, quotes) while no digit run is open, past the segment
     * name and outside a PID segment: most bytes of text. Same effect as the general loop below byte for byte,
     * in a loop of its own (the general one pays every test for every byte). Returns the index of the first byte
     * it did not take.
     */
    private int text(DlpScanner sc, byte[] data, int i, int end) {
        int n = wordLen;
        int pos = linePos;
        boolean inWord = n > 0 || wordLong;
        boolean letter = prevLetter;
        for (; i < end; i++) {
            int b = data[i] & 0xFF;
            int c = CLASS[b];
            if (c == LETTER) {
                if (!inWord) {
                    inWord = true;
                    startWord();
                }
                n = addLetter(b, n);
                letter = true;
            } else if (c == OTHER || c == SPACE || c == QUOTE) {
                if (inWord) {
                    wordLen = n;
                    linePos = pos;
                    endWord(sc);
                    n = 0;
                    inWord = false;
                }
                if (c == OTHER) {
                    pendKinds = 0;
                    lastDelim = OTHER;
                }
                letter = false;
            } else {
                break;
            }
            if (pos < Integer.MAX_VALUE) {
                pos++;
            }
        }
        wordLen = n;
        linePos = pos;
        prevLetter = letter;
        lastCr = false;
        return i;
    }

    /** A word starts: the delimiter before it is kept, and a second word in the field is no header name. */
    private void startWord() {
        wordPrev = lastDelim;
        pendKinds = 0;
    }

    /** Letter {@code b}, lower-cased, at {@code n} of the word; past {@link #MAX_WORD} the word is long. */
    private int addLetter(int b, int n) {
        if (n < MAX_WORD) {
            word[n] = (byte) (b >= 'A' && b <= 'Z' ? b | 0x20 : b);
            return n + 1;
        }
        wordLong = true;
        return n;
    }

    private void addRunChar(byte b) {
        if (++rawLen > MAX_RUN && !runLong) {
            runLong = true;                              // keep the current group, drop what came before it
            if (grpStart > 0) {
                System.arraycopy(run, grpStart, run, 0, runLen - grpStart);
                runLen -= grpStart;
                grpStart = 0;
            }
        }
        if (runLen >= MAX_RUN) {
            grpLong = true;
            return;
        }
        run[runLen++] = b;
    }

    private void startGroup(boolean first) {
        grpStart = runLen;
        grpLinePos = linePos;
        grpFirst = first;
        grpLong = false;
    }

    /** A group ended: a whole token unless a letter touches it, then a candidate IPP/IEP. */
    private void endGroup(DlpState st, DlpScanner sc, boolean gluedRight) {
        int len = runLen - grpStart;
        if (grpLong || gluedRight || grpFirst && gluedLeft || len < 4 || !sc.idLength(len)) {
            return;
        }
        int before = st.ipp + st.iep;
        sc.evaluateId(st, this, run, grpStart, len);
        ids += st.ipp + st.iep - before;
    }

    /** Kinds (bit 0 IPP, bit 1 IEP) whose context holds for the group being evaluated. */
    int context(int window) {
        int ctx = 0;
        for (int k = 0; k < 2; k++) {
            if (grpLinePos - kwEnd[k] <= window) {
                ctx |= 1 << k;
            }
        }
        if (!lineUnknown) {
            if (tableSep >= 0) {
                int f = sepCount[tableSep];
                if (f < 64) {
                    ctx |= (int) (tableCols[0] >>> f & 1) | (int) (tableCols[1] >>> f & 1) << 1;
                }
            }
            if (seg == SEG_PID && pipes == 3 || seg == SEG_PV1 && pipes == 19) {
                ctx |= seg == SEG_PID ? 1 : 2;
            } else if (seg == SEG_PID && pipes == 18) {
                ctx |= 2;                                // PID-18, patient account number: the NDA at many sites
            }
        }
        return ctx;
    }

    private void endRun(DlpState st, DlpScanner sc, boolean gluedRight) {
        if (rawLen > 0 && !lastSpace) {
            endGroup(st, sc, gluedRight);
        }
        if (runLong) {
            sc.counters.longRuns++;
        } else if (runLen >= 13 && !gluedLeft && !gluedRight) {
            int before = st.nir + st.cards;
            sc.evaluate(st, run, runLen);
            ids += st.nir + st.cards - before;
        }
        runLen = 0;
        rawLen = 0;
        grpStart = 0;
        lastSpace = false;
        runLong = false;
        grpLong = false;
        gluedLeft = false;
    }

    private void endWord(DlpScanner sc) {
        int kinds = wordLong ? 0 : sc.keywordKinds(word, wordLen);
        wordLen = 0;
        wordLong = false;
        if (kinds != 0) {
            for (int k = 0; k < 2; k++) {
                if ((kinds & 1 << k) != 0) {
                    kwEnd[k] = linePos;
                }
            }
            pendKinds = kinds;
            pendPrev = wordPrev;
            System.arraycopy(sepCount, 0, pendField, 0, EOL);
        } else {
            pendKinds = 0;
        }
        lastDelim = OTHER;
    }

    /** The keyword just ended fills a whole field for separator {@code sep}: a header candidate column. */
    private void markHeader(int sep) {
        int f = pendField[sep];
        if (f < 64 && !lineUnknown) {
            for (int k = 0; k < 2; k++) {
                if ((pendKinds & 1 << k) != 0) {
                    hdr[k][sep] |= 1L << f;
                }
            }
        }
        pendKinds = 0;
    }

    private void endLine() {
        if (!lineUnknown) {
            if (linePos == 0) {
                tableSep = -1;                           // an empty line ends a table (and HTTP headers)
            } else {
                for (int s : SEPS) {
                    if (sepCount[s] > 0 && (hdr[0][s] | hdr[1][s]) != 0) {
                        tableSep = s;                    // a header line: it starts a new table
                        tableCols[0] = hdr[0][s];
                        tableCols[1] = hdr[1][s];
                        break;
                    }
                }
            }
        }
        for (int s : SEPS) {
            sepCount[s] = 0;
            hdr[0][s] = 0;
            hdr[1][s] = 0;
        }
        linePos = 0;
        lineUnknown = false;
        kwEnd[0] = kwEnd[1] = NO_KEYWORD;
        lastDelim = START;
        pendKinds = 0;
        seg = SEG_NONE;
        segHead = 0;
        segName = 0;
        pipes = 0;
        pidNamed = false;
    }

    /** Reads the first 4 bytes of a line: {@code PID|}, {@code PV1|} or another HL7 segment name. */
    private void segmentName(DlpScanner sc, int b) {
        if (segHead < 3) {
            boolean ok = b >= 'A' && b <= 'Z' || b >= '0' && b <= '9';
            if (!ok) {
                segHead = -1;
                return;
            }
            segName = segName << 8 | b;
            segHead++;
            return;
        }
        segHead = -1;
        if (b == '|') {
            seg = segName == PID ? SEG_PID : segName == PV1 ? SEG_PV1 : SEG_OTHER;
            if (seg == SEG_PID) {
                sc.counters.hl7PidSegments++;
            }
        }
    }
}
