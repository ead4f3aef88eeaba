package dev.vigie.sensor;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Prometheus-style latency histogram with fixed buckets in milliseconds. {@link #record} is called by the sensor
 * loop (one writer) and never allocates; the metrics endpoint reads it from another thread, which is why the
 * counts are atomic. Quantiles are read off the buckets (upper bound of the bucket holding the quantile).
 */
public final class LatencyHistogram implements LatencyRecorder {
    /** Upper bounds in ms; the last bucket is +Inf. */
    public static final double[] BOUNDS_MS = {0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 105, 150, 250, 500, 1000, 2500, 5000};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_MS.length + 1);
    private final AtomicLongArray sumAndMax = new AtomicLongArray(3); // sum ns, count, max ns

    @Override
    public void record(long nanos) {
        double ms = nanos / 1e6;
        int i = 0;
        while (i < BOUNDS_MS.length && ms > BOUNDS_MS[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumAndMax.addAndGet(0, nanos);
        sumAndMax.incrementAndGet(1);
        if (nanos > sumAndMax.get(2)) {
            sumAndMax.set(2, nanos);
        }
    }

    public long count() {
        return sumAndMax.get(1);
    }

    public double sumSeconds() {
        return sumAndMax.get(0) / 1e9;
    }

    public double maxMillis() {
        return sumAndMax.get(2) / 1e6;
    }

    /** Samples in bucket {@code i} (not cumulative); bucket {@code BOUNDS_MS.length} is +Inf. */
    public long bucket(int i) {
        return counts.get(i);
    }

    /** Upper bound (ms) of the bucket that holds quantile {@code q}; the max for the +Inf bucket; 0 when empty. */
    public double quantileMillis(double q) {
        long n = count();
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i <= BOUNDS_MS.length; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return i < BOUNDS_MS.length ? Math.min(BOUNDS_MS[i], maxMillis()) : maxMillis();
            }
        }
        return maxMillis();
    }
}
