package dev.vigie.util;

import java.util.function.LongSupplier;

/**
 * Time spent in a stage called once per flow record, estimated from one call in {@link #EVERY}: reading the clock
 * costs ~25 ns on a virtual machine, and two reads per flow were 0.5 % of a sensor's time for a figure that is
 * only reported. The estimate scales the timed calls' total by calls / timed calls. Single-threaded, like its
 * callers.
 */
public final class SampledTimer {
    /** One call in this many is timed (a power of two). */
    public static final int EVERY = 16;
    private static final long UNTIMED = Long.MIN_VALUE;

    private final LongSupplier clock;
    private long calls;
    private long timedCalls;
    private long timedNanos;

    public SampledTimer() {
        this(System::nanoTime);
    }

    /** With another clock (tests). */
    public SampledTimer(LongSupplier clock) {
        this.clock = clock;
    }

    /** At the start of a call: the clock when this call is timed, else a mark that {@link #stop} ignores. */
    public long start() {
        if ((calls++ & (EVERY - 1)) != 0) {
            return UNTIMED;
        }
        return clock.getAsLong();
    }

    /** At the end of the call that {@code start} began. */
    public void stop(long start) {
        if (start != UNTIMED) {
            timedNanos += clock.getAsLong() - start;
            timedCalls++;
        }
    }

    /** Estimated time in all calls so far (ns). */
    public long estimatedNanos() {
        return timedCalls == 0 ? 0 : Math.round((double) timedNanos * calls / timedCalls);
    }

    public long calls() {
        return calls;
    }
}
