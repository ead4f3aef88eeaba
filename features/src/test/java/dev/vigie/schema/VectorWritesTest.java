package dev.vigie.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/**
 * The unchecked writes give the same vectors as Arrow's setSafe/setNull: rows in order, rows left unwritten (an
 * absent column group), values past the allocated capacity (growth), and reuse after reset.
 */
class VectorWritesTest {
    private static final String[] TEXT_CHARS = {"a", "Z", "0", ".", ":", "-", "\u007f", "\u0080", "é", "ß", "€",
        "\ud83d\ude00", "x", "y", "z", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    @Test
    void sameVectorsAsArrowsOwnWrites() {
        Random rnd = new Random(42);
        try (BufferAllocator a = new RootAllocator();
             VarCharVector s1 = new VarCharVector("s", a); VarCharVector s2 = new VarCharVector("s", a);
             VarCharVector t1 = new VarCharVector("t", a); VarCharVector t2 = new VarCharVector("t", a);
             IntVector i1 = new IntVector("i", a); IntVector i2 = new IntVector("i", a);
             BigIntVector l1 = new BigIntVector("l", a); BigIntVector l2 = new BigIntVector("l", a);
             Float8Vector f1 = new Float8Vector("f", a); Float8Vector f2 = new Float8Vector("f", a);
             BitVector b1 = new BitVector("b", a); BitVector b2 = new BitVector("b", a)) {
            for (var v : new org.apache.arrow.vector.ValueVector[] {s1, s2, t1, t2, i1, i2, l1, l2, f1, f2, b1, b2}) {
                ((org.apache.arrow.vector.FieldVector) v).setInitialCapacity(16);
                ((org.apache.arrow.vector.FieldVector) v).allocateNew();
            }
            for (int batch = 0; batch < 3; batch++) {
                int rows = 10 + rnd.nextInt(3000);           // past the initial capacity: growth on both paths
                for (int r = 0; r < rows; r++) {
                    int what = rnd.nextInt(4);               // 0 value, 1 null, 2 unwritten (left a hole)
                    if (what == 2) continue;
                    if (what == 0) {
                        byte[] x = ("v" + r + "x".repeat(rnd.nextInt(40))).getBytes(StandardCharsets.UTF_8);
                        VectorWrites.utf8(s1, r, x, 0, x.length);
                        s2.setSafe(r, x, 0, x.length);
                        // strings: ASCII (copied char by char), or with a character at or past 0x80 anywhere
                        StringBuilder t = new StringBuilder("10.0." + r);
                        for (int k = rnd.nextInt(30); k > 0; k--) {
                            t.append(TEXT_CHARS[rnd.nextInt(TEXT_CHARS.length)]);
                        }
                        String ts = t.toString();
                        VectorWrites.utf8(t1, r, ts);
                        t2.setSafe(r, ts.getBytes(StandardCharsets.UTF_8));
                        int n = rnd.nextInt();
                        VectorWrites.int32(i1, r, n);
                        i2.setSafe(r, n);
                        VectorWrites.int64(l1, r, n * 7L);
                        l2.setSafe(r, n * 7L);
                        VectorWrites.float64(f1, r, n / 3.0);
                        f2.setSafe(r, n / 3.0);
                        VectorWrites.bool(b1, r, (n & 1) == 0);
                        b2.setSafe(r, (n & 1) == 0 ? 1 : 0);
                    } else {
                        VectorWrites.nullUtf8(s1, r);
                        s2.setNull(r);
                        VectorWrites.nullUtf8(t1, r);
                        t2.setNull(r);
                        VectorWrites.nullFixed(i1, r);
                        i2.setNull(r);
                        VectorWrites.nullFixed(l1, r);
                        l2.setNull(r);
                        VectorWrites.nullFixed(f1, r);
                        f2.setNull(r);
                        VectorWrites.nullFixed(b1, r);
                        b2.setNull(r);
                    }
                }
                for (var p : new org.apache.arrow.vector.ValueVector[][] {{s1, s2}, {t1, t2}, {i1, i2}, {l1, l2}, {f1, f2}, {b1, b2}}) {
                    p[0].setValueCount(rows);
                    p[1].setValueCount(rows);
                    for (int r = 0; r < rows; r++) {
                        assertEquals(p[1].getObject(r), p[0].getObject(r), p[0].getName() + " row " + r + " batch " + batch);
                    }
                    ((org.apache.arrow.vector.FieldVector) p[0]).reset();
                    ((org.apache.arrow.vector.FieldVector) p[1]).reset();
                }
            }
        }
    }
}
