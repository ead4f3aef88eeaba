package dev.vigie.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sliding-window state of one aggregate key.
 *
 * <p>Count: 16 buckets of window/16 each, so memory does not grow with the threshold; a flow counts while its
 * bucket is among the 16 most recent, i.e. while it is younger than the window (rounded to window/16).
 *
 * <p>Distinct: the values seen with their latest time, exactly, up to {@code threshold} values (the engine caps
 * thresholds at {@link RuleEngine#MAX_DISTINCT_PER_KEY}); past that the stalest value makes room. Exactness up
 * to the threshold is all the decision needs.
 */
final class WindowState {
    static final int BUCKETS = 16;
    static final int SAMPLES = 5;

    // count
    private long[] bucketId;
    private int[] bucketCount;
    // distinct
    private Map<String, Long> lastSeen;

    long firstNs = Long.MAX_VALUE;
    long lastNs = Long.MIN_VALUE;
    final Sample[] samples = new Sample[SAMPLES];
    int sampleNext;
    long sampleTotal;

    static WindowState count() {
        WindowState s = new WindowState();
        s.bucketId = new long[BUCKETS];
        java.util.Arrays.fill(s.bucketId, Long.MIN_VALUE);
        s.bucketCount = new int[BUCKETS];
        return s;
    }

    static WindowState sum() {
        return count();
    }

    static WindowState distinct() {
        WindowState s = new WindowState();
        // default size, not the threshold's: most keys (one host pair's ordinary flows) only ever hold a value or two
        s.lastSeen = new HashMap<>();
        return s;
    }

    /**
     * Adds a matching flow at {@code t}; returns the count within the window ending at t, or for a distinct key the
     * distinct count when it reaches {@code threshold} (below it, a number below the threshold).
     */
    int add(long t, long windowNs, String value, int threshold) {
        return add(t, windowNs, value, threshold, 1);
    }

    /** As {@link #add(long, long, String, int)}; a count or sum bucket grows by {@code amount}. */
    int add(long t, long windowNs, String value, int threshold, int amount) {
        if (t > lastNs) lastNs = t;
        if (t < firstNs) firstNs = t;
        long now = lastNs;
        if (bucketId != null) {
            long width = Math.max(1, windowNs / BUCKETS);
            long id = Math.floorDiv(t, width);
            int slot = (int) Math.floorMod(id, (long) BUCKETS);
            long current = Math.floorDiv(now, width);
            if (id > current - BUCKETS) { // not older than the window
                if (bucketId[slot] != id) {
                    bucketId[slot] = id;
                    bucketCount[slot] = 0;
                }
                bucketCount[slot] = (int) Math.min(Integer.MAX_VALUE, (long) bucketCount[slot] + amount);
            }
            int total = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (bucketId[i] > current - BUCKETS) total = (int) Math.min(Integer.MAX_VALUE, (long) total + bucketCount[i]);
            }
            return total;
        }
        long from = now - windowNs;
        if (value != null) {
            Long prev = lastSeen.get(value);
            if (prev == null && lastSeen.size() >= threshold) {
                evictStalest();
            }
            if (prev == null || prev < t) lastSeen.put(value, t);
        }
        int size = lastSeen.size();
        if (size < threshold) {
            // an upper bound of the distinct count that is already below the threshold: the decision is the
            // same as the exact count's, without a pass over the values on every flow of a scan
            return size;
        }
        int n = 0;
        for (var it = lastSeen.values().iterator(); it.hasNext(); ) {
            if (it.next() >= from) {
                n++;
            } else {
                it.remove();            // out of the window for good: the window's end only moves forward
            }
        }
        return n;
    }

    private void evictStalest() {
        String stalest = null;
        long min = Long.MAX_VALUE;
        for (var e : lastSeen.entrySet()) {
            if (e.getValue() < min) {
                min = e.getValue();
                stalest = e.getKey();
            }
        }
        if (stalest != null) lastSeen.remove(stalest);
    }

    void sample(Sample s) {
        samples[sampleNext] = s;
        sampleNext = (sampleNext + 1) % SAMPLES;
        sampleTotal++;
    }

    /** The kept sample flows that started at or after {@code fromNs}, oldest first. */
    List<Sample> samples(long fromNs) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            Sample s = samples[(sampleNext + i) % SAMPLES];
            if (s != null && s.tsNanos() >= fromNs) out.add(s);
        }
        return out;
    }

    /** Up to {@code max} of the distinct values in the window, for the evidence. */
    List<String> values(long windowNs, int max) {
        List<String> out = new ArrayList<>();
        if (lastSeen == null) return out;
        long from = lastNs - windowNs;
        for (var e : lastSeen.entrySet()) {
            if (e.getValue() >= from && out.size() < max) out.add(e.getKey());
        }
        out.sort(null);
        return out;
    }

    /** Rough bytes held, for the state-size report. */
    long bytes() {
        long b = 64 + SAMPLES * 80L;
        if (bucketId != null) b += BUCKETS * 12L + 32;
        if (lastSeen != null) b += lastSeen.size() * 96L + 64;
        return b;
    }
}
