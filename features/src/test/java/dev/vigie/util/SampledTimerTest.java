package dev.vigie.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SampledTimerTest {

    @Test
    void timesOneCallInEveryAndScalesToAllCalls() {
        long[] now = {1_000};
        int[] reads = {0};
        SampledTimer t = new SampledTimer(() -> {
            reads[0]++;
            return now[0];
        });
        assertEquals(0, t.estimatedNanos(), "no call yet");
        for (int i = 0; i < 100; i++) {
            long s = t.start();
            now[0] += 7 + i;            // call i lasts 7 + i ns
            t.stop(s);
        }
        assertEquals(100, t.calls());
        // timed: calls 0, 16, ..., 96 (7 of them), two clock reads each
        assertEquals(14, reads[0]);
        long timed = 0;
        for (int i = 0; i < 100; i += SampledTimer.EVERY) timed += 7 + i;
        assertEquals(Math.round(timed * 100.0 / 7), t.estimatedNanos());
    }

    @Test
    void aSingleCallIsTimedExactly() {
        long[] now = {5};
        SampledTimer t = new SampledTimer(() -> now[0]);
        long s = t.start();
        now[0] += 42;
        t.stop(s);
        assertEquals(42, t.estimatedNanos());
    }
}
