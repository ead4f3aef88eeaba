package dev.vigie.dlp;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Evaluates candidate runs and keeps the keyed hashes. The hash is HMAC-SHA256(site secret, compact identifier in
 * ASCII), first 8 bytes in hex (16 characters): analysts correlate the same identifier across flows and alerts of
 * a site without ever seeing it. The clear value lives only in the scanner's 24-byte run buffer, overwritten by
 * the next run; it never reaches a string, a log line or an exception message.
 */
final class DlpScanner {
    final DlpConfig config;
    final DlpCounters counters;
    private final Mac mac;
    private final byte[] digest = new byte[32];
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final IdPattern ipp;
    private final IdPattern iep;
    private final byte[][][] keywords;     // per kind (0 IPP, 1 IEP): lowercase keyword bytes
    private final int minIdLen;
    /** Bit L set when some keyword is L bytes long; bit B of firstBytes when some keyword starts with byte B. */
    private final long keywordLengths;
    private final long[] keywordFirstBytes = new long[4];
    private final int maxIdLen;

    DlpScanner(DlpConfig config, DlpCounters counters) {
        this.config = config;
        this.counters = counters;
        this.ipp = config.ipp();
        this.iep = config.iep();
        this.keywords = new byte[][][] {ipp.enabled() ? ipp.keywordBytes() : new byte[0][],
                iep.enabled() ? iep.keywordBytes() : new byte[0][]};
        long lengths = 0;
        for (byte[][] kind : keywords) {
            for (byte[] kw : kind) {
                if (kw.length > 0 && kw.length < 64) {
                    lengths |= 1L << kw.length;
                    keywordFirstBytes[(kw[0] & 0xFF) >>> 6] |= 1L << (kw[0] & 0x3F);
                }
            }
        }
        this.keywordLengths = lengths;
        int lo = Integer.MAX_VALUE, hi = 0;
        for (IdPattern p : new IdPattern[] {ipp, iep}) {
            if (p.enabled()) {
                lo = Math.min(lo, p.length());
                hi = Math.max(hi, p.length());
            }
        }
        this.minIdLen = lo;
        this.maxIdLen = hi;
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.secret(), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("dlp: HmacSHA256 unavailable in this JVM", e);
        }
    }

    void evaluate(DlpState st, byte[] run, int len) {
        if (len == 15) {
            if (Detectors.nir(run, len)) {
                st.nir++;
                counters.nir++;
                record(st, IdKind.NIR, run, 0, len);
                return;
            }
            if (run[0] >= '1' && run[0] <= '8') {
                st.badNir++;
                counters.nirBadKey++;
            }
        }
        if (Detectors.card(run, len)) {
            st.cards++;
            counters.cards++;
            record(st, IdKind.CARD, run, 0, len);
        }
    }

    /** Inflaters alive at once, across all flows: bodies beyond that are scanned compressed (counted). */
    static final int INFLATER_POOL = 32;
    private final java.util.zip.Inflater[] idle = new java.util.zip.Inflater[INFLATER_POOL];
    private int idleCount;
    private int lent;
    private final byte[] inflated = new byte[8192];

    /** An inflater (raw deflate) from the bounded pool, or null when all are lent. Reused, never per packet. */
    java.util.zip.Inflater borrowInflater() {
        if (idleCount > 0) {
            lent++;
            return idle[--idleCount];
        }
        if (lent >= INFLATER_POOL) {
            return null;
        }
        lent++;
        counters.inflatersCreated++;
        return new java.util.zip.Inflater(true);
    }

    void returnInflater(java.util.zip.Inflater inf) {
        inf.reset();
        lent--;
        idle[idleCount++] = inf;
    }

    /**
     * Out-of-order segments held until the hole before them fills: one buffer of {@link #REORDER_BUFFER} bytes
     * per waiting direction, at most {@link #REORDER_BUFFERS} lent at once across all flows (8 MiB): the global
     * reassembly cap. Past it, a segment ahead of the stream is a hole as before (counted).
     */
    static final int REORDER_BUFFER = 16 * 1024;
    static final int REORDER_BUFFERS = 512;
    private final byte[][] idleReorder = new byte[REORDER_BUFFERS][];
    private int idleReorderCount;
    private int reorderLent;

    /** A reorder buffer, or null when the global cap is reached. Reused: no allocation in steady state. */
    byte[] borrowReorder() {
        if (idleReorderCount > 0) {
            reorderLent++;
            return idleReorder[--idleReorderCount];
        }
        if (reorderLent >= REORDER_BUFFERS) {
            counters.reorderCapHit++;
            return null;
        }
        reorderLent++;
        return new byte[REORDER_BUFFER];
    }

    void returnReorder(byte[] b) {
        reorderLent--;
        idleReorder[idleReorderCount++] = b;
    }

    /** Shared output buffer: the scanner is single-threaded and scans inflated bytes before the next call. */
    byte[] inflateBuffer() {
        return inflated;
    }

    /** True when a group of {@code len} digits may be an IPP or IEP (a cheap test before anything else). */
    boolean idLength(int len) {
        return len >= minIdLen && len <= maxIdLen && (len == ipp.length() || len == iep.length());
    }

    /**
     * A whole-token group that may be a site identifier: it counts when it fits a pattern and the tokenizer's
     * context for that kind holds. A value that fits but lacks context is only counted in the run counters
     * (the false matches the context rule avoids).
     */
    void evaluateId(DlpState st, DirectionScanner dir, byte[] run, int off, int len) {
        boolean isIpp = ipp.matches(run, off, len);
        boolean isIep = !isIpp && iep.matches(run, off, len);
        if (!isIpp && !isIep) {
            return;
        }
        int ctx = dir.context(config.keywordWindow());
        if (isIpp) {
            if ((ctx & 1) == 0) {
                counters.ippNoContext++;
                return;
            }
            st.ipp++;
            counters.ipp++;
        } else {
            if ((ctx & 2) == 0) {
                counters.iepNoContext++;
                return;
            }
            st.iep++;
            counters.iep++;
        }
        IdPattern p = isIpp ? ipp : iep;
        record(st, isIpp ? IdKind.IPP : IdKind.IEP, run, off, len,
                Math.min(len, p.prefix().length() + (p.yearLo() >= 0 ? 2 : 0)));
    }

    private void record(DlpState st, IdKind kind, byte[] run, int off, int len) {
        record(st, kind, run, off, len, 0);
    }

    /** Keeps the keyed hash and, for a new one with room left, the masked form: one string each per new value. */
    private void record(DlpState st, IdKind kind, byte[] run, int off, int len, int head) {
        String h = hash(run, off, len);
        if (st.wants(h)) {
            st.add(h, Detectors.mask(kind, run, off, len, head));
        }
    }

    /** Kinds (bit 0 IPP, bit 1 IEP) for which the lowercase word {@code w[0..len)} is a context keyword. */
    int keywordKinds(byte[] w, int len) {
        // Called at the end of every word of every scanned payload: two bit tests turn almost all of them away.
        if (len <= 0 || len >= 64 || (keywordLengths >>> len & 1) == 0
                || (keywordFirstBytes[(w[0] & 0xFF) >>> 6] >>> (w[0] & 0x3F) & 1) == 0) {
            return 0;
        }
        int kinds = 0;
        for (int k = 0; k < 2; k++) {
            for (byte[] kw : keywords[k]) {
                if (kw.length == len && java.util.Arrays.equals(kw, 0, len, w, 0, len)) {
                    kinds |= 1 << k;
                    break;
                }
            }
        }
        return kinds;
    }

    /** Keyed hash of a compact identifier, 16 hex characters. One string per match, none per packet. */
    String hash(byte[] run, int len) {
        return hash(run, 0, len);
    }

    String hash(byte[] run, int off, int len) {
        mac.update(run, off, len);
        try {
            mac.doFinal(digest, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException("dlp: digest buffer", e);
        }
        char[] out = new char[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(out);
    }
}
