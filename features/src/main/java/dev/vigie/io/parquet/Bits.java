package dev.vigie.io.parquet;

import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;

/**
 * An append-only bit string (bit i of the page is bit {@code i & 63} of word {@code i >> 6}, least significant first,
 * as in Arrow's validity and boolean buffers and in Parquet's bit-packed runs). Holds a page's definition levels, or
 * a boolean column's values.
 */
final class Bits {
    private long[] words = new long[64];
    private int count;

    int count() {
        return count;
    }

    void reset() {
        Arrays.fill(words, 0, (count + 63) >>> 6, 0L);
        count = 0;
    }

    /** A word whose low {@code k} bits are set (0 ≤ k ≤ 64). */
    static long lowBits(int k) {
        return k == 64 ? -1L : (1L << k) - 1;
    }

    /** Appends the low {@code k} bits of {@code bits} (1 ≤ k ≤ 64). */
    void append(long bits, int k) {
        bits &= lowBits(k);
        int off = count & 63;
        int idx = count >>> 6;
        if (idx + 2 > words.length) {
            words = Arrays.copyOf(words, words.length * 2);
        }
        words[idx] |= bits << off;
        if (off != 0 && off + k > 64) {
            words[idx + 1] = bits >>> (64 - off);
        }
        count += k;
    }

    void appendOnes(int n) {
        for (; n >= 64; n -= 64) {
            append(-1L, 64);
        }
        if (n > 0) {
            append(-1L, n);
        }
    }

    void appendZeros(int n) {
        int total = count + n;
        int need = (total + 63) >>> 6;
        if (need + 1 > words.length) {
            words = Arrays.copyOf(words, Math.max(words.length * 2, need + 1));
        }
        count = total; // the words past the old count are already zero
    }

    /** Appends the first {@code n} bits of an Arrow bitmap. */
    void append(ArrowBuf bitmap, int n) {
        for (int w = 0; w * 64 < n; w++) {
            append(word(bitmap, w, n), Math.min(64, n - w * 64));
        }
    }

    /** Word {@code w} of an Arrow bitmap of {@code n} bits, the bits past {@code n} cleared. */
    static long word(ArrowBuf bitmap, int w, int n) {
        long at = (long) w << 3;
        int bits = Math.min(64, n - w * 64);
        long v;
        if (at + 8 <= bitmap.capacity()) {
            v = bitmap.getLong(at);
        } else {
            v = 0;
            int bytes = (bits + 7) >>> 3;
            for (int b = 0; b < bytes; b++) {
                v |= (bitmap.getByte(at + b) & 0xFFL) << (8 * b);
            }
        }
        return v & lowBits(bits);
    }

    /** The bits as bytes, least significant first: Parquet's PLAIN encoding of booleans. */
    void writeBytes(Bytes out) {
        int bytes = (count + 7) >>> 3;
        out.ensure(bytes + 8);
        for (int i = 0; i < bytes; i += 8) {
            out.putLong(words[i >>> 3]);
        }
        out.size -= ((bytes + 7) & ~7) - bytes;
    }

    /**
     * The bits as Parquet's RLE / bit-packed hybrid of bit width 1: a run of whole words that are all ones or all
     * zeros becomes one RLE run, any other words one bit-packed run. A page without nulls is thus two bytes.
     */
    void writeHybrid(Bytes out) {
        int nWords = (count + 63) >>> 6;
        int i = 0;
        while (i < nWords) {
            int kind = kind(i);
            int j = i;
            long bits = 0;
            while (j < nWords && kind(j) == kind) {
                bits += bitsIn(j);
                j++;
            }
            if (kind == MIXED) {
                int groups = (int) ((bits + 7) >>> 3);
                out.putVarint((long) groups << 1 | 1);
                out.ensure(groups + 8);
                int start = out.size;
                for (int w = i; w < j; w++) {
                    out.putLong(words[w]);
                }
                out.size = start + groups;
            } else {
                out.putVarint(bits << 1);
                out.putByte(kind == ONES ? 1 : 0);
            }
            i = j;
        }
    }

    private static final int ZEROS = 0;
    private static final int ONES = 1;
    private static final int MIXED = 2;

    private int bitsIn(int w) {
        return Math.min(64, count - w * 64);
    }

    private int kind(int w) {
        int bits = bitsIn(w);
        long full = lowBits(bits);
        long v = words[w];
        return v == 0 ? ZEROS : v == full ? ONES : MIXED;
    }
}
