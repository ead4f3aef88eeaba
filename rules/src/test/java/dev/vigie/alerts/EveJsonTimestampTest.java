package dev.vigie.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written EVE timestamp equals the DateTimeFormatter layout it replaces, on any capture time. */
class EveJsonTimestampTest {

    private static String reference(long nanos) {
        return EveJson.TIME.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L)));
    }

    @Test
    void equalsTheFormatterLayout() {
        long[] edges = {0, 1, -1, 999, 1_000, 999_999_999L, 1_000_000_000L, -1_000_000_000L, 951_782_400_000_000_000L,
                1_700_000_000_123_456_789L, 4_102_444_799_999_999_999L, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long n : edges) {
            assertEquals(reference(n), EveJson.timestamp(n), "nanos " + n);
        }
        assertEquals("2023-11-14T22:13:20.123456+0000", EveJson.timestamp(1_700_000_000_123_456_789L));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long n = r.nextLong();
            assertEquals(reference(n), EveJson.timestamp(n), "nanos " + n);
        }
    }
}
