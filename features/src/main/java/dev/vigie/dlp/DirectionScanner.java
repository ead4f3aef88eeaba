package dev.vigie.dlp;

import dev.vigie.decode.DecodedPacket;

/**
 * One direction of a flow: in-order TCP stream tracking by sequence number (retransmitted bytes trimmed, a segment
 * ahead of the expected sequence counted as a gap and scanning resumed after it) and a streaming tokenizer that
 * finds identifier candidates across segment boundaries with a fixed 24-byte run buffer. A run is a maximal
 * sequence of digits, Corsica letters A/B and single spaces between them; it is evaluated when it ends, unless a
 * letter touches it on either side (a word, a hex or base64 string: not a value someone typed or exported).
 */
final class DirectionScanner {
    static final int MAX_RUN = 24;          // longest spaced form: 19-digit card with 4 spaces is 23

    private final byte[] run = new byte[MAX_RUN];
    private int runLen;                     // compact characters (spaces not stored)
    private int rawLen;                     // characters including spaces, for the long-run cut
    private boolean lastSpace;
    private boolean overflow;
    private boolean glued;                  // the run touches a letter: part of a word, hex or base64, not a value
    private boolean prevLetter;
    private long nextSeq = -1;
    int scanned;
    boolean capped;

    /** Feeds one TCP segment or datagram payload. */
    void feed(DlpState st, DlpScanner sc, DecodedPacket p, byte[] data, int off, int len, boolean tcp) {
        if (tcp) {
            long seq = p.tcpSeq;
            if ((p.tcpFlags & 0x02) != 0) {
                seq = (seq + 1) & 0xFFFFFFFFL;          // SYN takes one sequence number
                if (nextSeq < 0) {
                    nextSeq = seq;
                }
            }
            if (len == 0) {
                return;
            }
            if (nextSeq < 0) {
                nextSeq = p.tcpSeq;                     // mid-stream start: trust the first segment
            }
            int delta = (int) ((seq - nextSeq) & 0xFFFFFFFFL);   // wrap-safe signed distance
            if (delta < 0) {
                int skip = -delta;
                if (skip >= len) {
                    sc.counters.retransmittedBytes += len;
                    return;
                }
                sc.counters.retransmittedBytes += skip;
                off += skip;
                len -= skip;
            } else if (delta > 0) {
                sc.counters.gaps++;
                st.gaps++;
                endRun(st, sc);                          // a run never spans a hole
            }
            nextSeq = (seq + (delta < 0 ? -delta : 0) + len) & 0xFFFFFFFFL;
        }
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
        sc.counters.bytesScanned += len;
        for (int i = off, end = off + len; i < end; i++) {
            byte b = data[i];
            if (b >= '0' && b <= '9' || (b == 'A' || b == 'B') && runLen > 0 && !lastSpace) {
                if (runLen == 0 && rawLen == 0) {
                    glued = prevLetter;
                }
                lastSpace = false;
                prevLetter = false;
                if (++rawLen > MAX_RUN || overflow) {
                    overflow = true;
                    continue;
                }
                run[runLen++] = b;
                continue;
            }
            boolean letter = (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
            if (b == ' ' && runLen > 0 && !lastSpace && !overflow) {
                lastSpace = true;
                rawLen++;
            } else if (runLen > 0 || overflow) {
                if (letter && !lastSpace) {
                    glued = true;
                }
                endRun(st, sc);
            }
            prevLetter = letter;
        }
        if (capped) {
            endRun(st, sc);
        }
    }

    private void endRun(DlpState st, DlpScanner sc) {
        if (overflow) {
            sc.counters.longRuns++;
        } else if (runLen >= 13 && !glued) {
            sc.evaluate(st, run, runLen);
        }
        runLen = 0;
        rawLen = 0;
        lastSpace = false;
        overflow = false;
        glued = false;
    }
}
