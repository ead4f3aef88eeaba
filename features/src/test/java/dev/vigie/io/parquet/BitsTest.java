package dev.vigie.io.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** Bit strings built by every kind of append, read back through a decoder of the format's hybrid encoding. */
class BitsTest {
    @Test
    void hybridAndPlainEncodingsDecodeToTheAppendedBits() {
        SplittableRandom rnd = new SplittableRandom(3);
        Bits bits = new Bits();
        try (BufferAllocator al = new RootAllocator(); ArrowBuf bitmap = al.buffer(4096)) {
            for (int trial = 0; trial < 400; trial++) {
                bits.reset();
                boolean[] expected = new boolean[40_000];
                int n = 0;
                int ops = 1 + rnd.nextInt(12);
                for (int op = 0; op < ops; op++) {
                    int k = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(64) : rnd.nextInt(3000);
                    switch (rnd.nextInt(4)) {
                        case 0 -> {
                            bits.appendOnes(k);
                            for (int i = 0; i < k; i++) expected[n++] = true;
                        }
                        case 1 -> {
                            bits.appendZeros(k);
                            n += k;
                        }
                        case 2 -> {
                            k = Math.max(1, Math.min(k, 64));
                            long w = rnd.nextLong();
                            bits.append(w, k);
                            for (int i = 0; i < k; i++) expected[n++] = (w >>> i & 1) != 0;
                        }
                        default -> {
                            // an Arrow bitmap whose length is not a multiple of 8 bytes, garbage past its bits
                            k = Math.min(k, 4000 * 8 / 8);
                            int density = rnd.nextInt(5);
                            bitmap.setZero(0, bitmap.capacity());
                            for (int i = 0; i < 4096; i++) {
                                bitmap.setByte(i, rnd.nextInt(256));
                            }
                            for (int i = 0; i < k; i++) {
                                boolean b = density == 0 ? true : density == 1 ? false : rnd.nextInt(density) == 0;
                                int by = bitmap.getByte(i >>> 3);
                                bitmap.setByte(i >>> 3, b ? by | 1 << (i & 7) : by & ~(1 << (i & 7)));
                                expected[n++] = b;
                            }
                            bits.append(bitmap, k);
                        }
                    }
                }
                assertEquals(n, bits.count());
                Bytes hybrid = new Bytes(16);
                bits.writeHybrid(hybrid);
                assertArrayEquals(java.util.Arrays.copyOf(expected, n), decodeHybrid(hybrid, n), "trial " + trial);
                Bytes plain = new Bytes(16);
                bits.writeBytes(plain);
                assertEquals((n + 7) / 8, plain.size);
                for (int i = 0; i < n; i++) {
                    assertEquals(expected[i], (plain.buf[i >>> 3] >> (i & 7) & 1) != 0, "plain bit " + i);
                }
            }
        }
    }

    @Test
    void aPageWithoutNullsIsOneRun() {
        Bits bits = new Bits();
        bits.appendOnes(100_000);
        Bytes out = new Bytes(16);
        bits.writeHybrid(out);
        assertTrue(out.size <= 4, "one RLE run: " + out.size + " bytes");
    }

    /** The RLE / bit-packed hybrid of bit width 1, as the format defines it. */
    static boolean[] decodeHybrid(Bytes in, int n) {
        boolean[] out = new boolean[n];
        int at = 0;
        int i = 0;
        while (i < n) {
            long header = 0;
            int shift = 0;
            int b;
            do {
                b = in.buf[at++] & 0xFF;
                header |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if ((header & 1) == 0) {
                long count = header >>> 1;
                boolean v = in.buf[at++] != 0;
                for (long k = 0; k < count && i < n; k++) {
                    out[i++] = v;
                }
            } else {
                long groups = header >>> 1;
                for (long g = 0; g < groups; g++) {
                    int by = in.buf[at++] & 0xFF;
                    for (int k = 0; k < 8 && i < n; k++) {
                        out[i++] = (by >> k & 1) != 0;
                    }
                }
            }
        }
        assertEquals(in.size, at, "every byte of the encoding was used");
        return out;
    }
}
