package dev.vigie.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongSetTest {

    @Test
    void holdsExactlyWhatItWasGiven() {
        SplittableRandom r = new SplittableRandom(3);
        for (int size : new int[] {0, 1, 2, 3, 7, 64, 1000, 5000}) {
            Set<Long> in = new HashSet<>();
            LongSet set = new LongSet(size);
            while (in.size() < size) {
                // dense ports under few protocols, as host profiles have them, and some far apart
                long v = r.nextBoolean() ? ((long) r.nextInt(3) << 32) | r.nextInt(2048) : r.nextLong(Long.MAX_VALUE);
                assertEquals(in.add(v), set.add(v), "add " + v);
            }
            assertEquals(in.size(), set.size());
            for (long v : in) {
                assertTrue(set.contains(v), size + ": " + v);
            }
            for (int i = 0; i < 20_000; i++) {
                long v = r.nextBoolean() ? ((long) r.nextInt(3) << 32) | r.nextInt(4096) : r.nextLong(Long.MAX_VALUE);
                assertEquals(in.contains(v), set.contains(v), size + ": " + v);
            }
            assertFalse(set.contains(-1), "-1 (an unknown protocol's pair key) is in no set of pairs");
        }
    }

    @Test
    void removeTakesOutOnlyWhatWasThere() {
        LongSet set = new LongSet();
        assertTrue(set.add(5));
        assertFalse(set.add(5));
        assertFalse(set.remove(6));
        assertTrue(set.remove(5));
        assertFalse(set.contains(5));
        assertEquals(0, set.size());
    }
}
