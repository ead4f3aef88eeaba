package dev.vigie.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongMapTest {

    @Test
    void behavesAsAHashMapUnderRandomPutsGetsAndRemoves() {
        SplittableRandom r = new SplittableRandom(11);
        for (int keySpace : new int[] {8, 300, 5000, Integer.MAX_VALUE}) {
            LongMap<String> m = new LongMap<>();
            Map<Long, String> want = new HashMap<>();
            for (int op = 0; op < 200_000; op++) {
                // dense keys collide in long probe runs, which is what removal must keep intact
                // and MAC-like keys, negative ones, and keys equal in their low 32 bits
                long k = keySpace == Integer.MAX_VALUE ? (r.nextBoolean() ? r.nextLong() : (long) r.nextInt(4) << 40 | 7)
                        : 0x02_00_00_00_00_00L + r.nextInt(keySpace);
                switch (r.nextInt(3)) {
                    case 0 -> assertEquals(want.put(k, "v" + op), m.put(k, "v" + op));
                    case 1 -> assertEquals(want.remove(k), m.remove(k));
                    default -> {
                        assertEquals(want.get(k), m.get(k));
                        assertEquals(want.containsKey(k), m.containsKey(k));
                    }
                }
                assertEquals(want.size(), m.size());
            }
            for (Map.Entry<Long, String> e : want.entrySet()) {
                assertEquals(e.getValue(), m.get(e.getKey()));
            }
            m.clear();
            assertEquals(0, m.size());
            for (long k : want.keySet()) {
                assertNull(m.get(k));
            }
        }
    }

    @Test
    void nullValuesAreRefused() {
        assertThrows(NullPointerException.class, () -> new LongMap<String>().put(1, null));
    }
}
