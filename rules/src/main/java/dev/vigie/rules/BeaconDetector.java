package dev.vigie.rules;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Periodic beaconing, scored after RITA: for one (source, destination, port), the intervals between connection
 * starts and the bytes sent per connection are regular when their Bowley skew is near 0 and their median absolute
 * deviation is small relative to their median. Scores, each in [0, 1]:
 * <ul>
 *   <li>interval skew: 1 − |Bowley skew| ((Q1 + Q3 − 2·Q2) / (Q3 − Q1); taken as 0 when Q3 − Q1 is at most 5% of
 *       the median);</li>
 *   <li>interval dispersion: 1 − MAD / median (0 when the median is 0);</li>
 *   <li>count: connections / {@code target_connections}, at most 1;</li>
 *   <li>size skew and size dispersion: the same over originator bytes per connection;</li>
 * </ul>
 * timing = mean of the first three, size = mean of the last two, score = (timing + size) / 2. The detector fires
 * when at least {@code min_connections} starts are held and score ≥ {@code min_score}. It keeps the last
 * {@code max_samples} starts per key (a ring), so memory per key is fixed.
 */
final class BeaconDetector {
    static final Set<String> PARAMS = Set.of("min_connections", "min_score", "target_connections", "max_samples",
            "min_interval_s");
    static final int DEFAULT_MIN_CONNECTIONS = 6;
    static final double DEFAULT_MIN_SCORE = 0.8;
    static final int DEFAULT_TARGET = 20;
    static final int DEFAULT_SAMPLES = 64;

    final int minConnections;
    final double minScore;
    final int target;
    final int capacity;
    final long minIntervalNs;

    BeaconDetector(Map<String, Double> params) {
        this.minConnections = (int) (double) params.getOrDefault("min_connections", (double) DEFAULT_MIN_CONNECTIONS);
        this.minScore = params.getOrDefault("min_score", DEFAULT_MIN_SCORE);
        this.target = (int) (double) params.getOrDefault("target_connections", (double) DEFAULT_TARGET);
        this.capacity = (int) (double) params.getOrDefault("max_samples", (double) DEFAULT_SAMPLES);
        this.minIntervalNs = (long) (params.getOrDefault("min_interval_s", 1.0) * 1e9);
    }

    /** A problem with the parameters, or null. */
    static String checkParams(Map<String, Double> p) {
        for (String k : p.keySet()) {
            if (!PARAMS.contains(k)) return "unknown detector parameter '" + k + "' (known: " + new java.util.TreeSet<>(PARAMS) + ")";
        }
        double min = p.getOrDefault("min_connections", (double) DEFAULT_MIN_CONNECTIONS);
        double cap = p.getOrDefault("max_samples", (double) DEFAULT_SAMPLES);
        if (min < 4 || min > 1024) return "min_connections must be from 4 to 1024";
        if (cap < min || cap > 1024) return "max_samples must be from min_connections to 1024";
        double s = p.getOrDefault("min_score", DEFAULT_MIN_SCORE);
        if (s <= 0 || s > 1) return "min_score must be in (0, 1]";
        if (p.getOrDefault("target_connections", (double) DEFAULT_TARGET) < 1) return "target_connections must be at least 1";
        if (p.getOrDefault("min_interval_s", 1.0) < 0) return "min_interval_s must not be negative";
        return null;
    }

    /** Per-key ring of connection starts and sizes. */
    static final class State {
        private final int capacity;
        long[] starts = new long[4]; // most keys see one or two connections: grow only for those that repeat
        long[] bytes = new long[4];
        int next;
        int size;
        long total;
        long firstNs = Long.MAX_VALUE;
        long lastNs;

        State(int capacity) {
            this.capacity = capacity;
        }

        /** Before adding: grow the ring (in order) while it is full and below capacity. */
        void makeRoom() {
            if (size == starts.length && starts.length < capacity) {
                int n = Math.min(capacity, starts.length * 2);
                long[] s = new long[n];
                long[] b = new long[n];
                for (int i = 0; i < size; i++) {
                    s[i] = starts[(next + i) % size];
                    b[i] = bytes[(next + i) % size];
                }
                starts = s;
                bytes = b;
                next = size;
            }
        }

        long bytesHeld() {
            return 64 + starts.length * 16L;
        }
    }

    /** The scores of a key, for the evidence. */
    record Score(int connections, double medianIntervalS, double madIntervalS, double intervalSkew, double timing,
                 double size, double score, long firstNs, long lastNs) {}

    /** Adds a connection start; returns the score when the key now qualifies, else null. */
    Score add(State s, long startNs, long origBytes) {
        // A second record within min_interval of the previous one is the same burst (or a retry), not a beat.
        if (s.size > 0 && startNs - s.starts[(s.next + s.starts.length - 1) % s.starts.length] < minIntervalNs) {
            return null;
        }
        s.makeRoom();
        s.starts[s.next] = startNs;
        s.bytes[s.next] = origBytes;
        s.next = (s.next + 1) % s.starts.length;
        s.size = Math.min(s.size + 1, s.starts.length);
        s.total++;
        s.firstNs = Math.min(s.firstNs, startNs);
        s.lastNs = Math.max(s.lastNs, startNs);
        if (s.size < minConnections) return null;
        return score(s);
    }

    // scratch for score(): the engine is single-threaded, and a repeating key is scored on every new start
    private long[] tScratch = new long[0];
    private double[] sizeScratch = new double[0];
    private double[] ivScratch = new double[0];
    private double[] devScratch = new double[0];

    Score score(State s) {
        int n = s.size;
        if (tScratch.length < n) {
            tScratch = new long[n];
            sizeScratch = new double[n];
            ivScratch = new double[n];
            devScratch = new double[n];
        }
        long[] t = tScratch;
        double[] sizes = sizeScratch;
        for (int i = 0; i < n; i++) {
            t[i] = s.starts[i];
            sizes[i] = s.bytes[i];
        }
        // (the ring holds exactly the last n entries at indices 0..n-1, in some rotation; order is restored by sorting)
        Arrays.sort(t, 0, n);
        double[] iv = ivScratch;
        for (int i = 1; i < n; i++) iv[i - 1] = (t[i] - t[i - 1]) / 1e9;
        Arrays.sort(iv, 0, n - 1);
        Arrays.sort(sizes, 0, n);
        double skewT = bowley(iv, n - 1);
        double medT = quantile(iv, n - 1, 0.5);
        double madT = mad(iv, n - 1, medT, devScratch);
        double tsSkew = 1 - Math.min(1, Math.abs(skewT));
        double tsMad = medT <= 0 ? 0 : Math.max(0, 1 - madT / medT);
        double count = Math.min(1, (double) n / target);
        double timing = (tsSkew + tsMad + count) / 3;
        double medS = quantile(sizes, n, 0.5);
        double dsSkew = 1 - Math.min(1, Math.abs(bowley(sizes, n)));
        double dsMad = medS <= 0 ? 1 : Math.max(0, 1 - mad(sizes, n, medS, devScratch) / medS); // all-empty connections are regular too
        double size = (dsSkew + dsMad) / 2;
        double score = (timing + size) / 2;
        if (score < minScore) return null;
        return new Score(n, medT, madT, skewT, timing, size, score, s.firstNs, s.lastNs);
    }

    static double bowley(double[] sorted) {
        return bowley(sorted, sorted.length);
    }

    /** Bowley skew of {@code sorted[0, n)}. */
    static double bowley(double[] sorted, int n) {
        double q1 = quantile(sorted, n, 0.25);
        double q2 = quantile(sorted, n, 0.5);
        double q3 = quantile(sorted, n, 0.75);
        // A spread under 5% of the median is measurement noise (jitter, a header byte more), not a shape: on such
        // data the ratio would swing to ±1 on sub-percent differences and hide the steadiest beacons.
        if (q3 - q1 <= 0.05 * Math.abs(q2)) return 0;
        return (q1 + q3 - 2 * q2) / (q3 - q1);
    }

    static double mad(double[] values, double median) {
        return mad(values, values.length, median, new double[values.length]);
    }

    /** Median absolute deviation of {@code values[0, n)}, using {@code scratch} (at least n long). */
    static double mad(double[] values, int n, double median, double[] scratch) {
        for (int i = 0; i < n; i++) scratch[i] = Math.abs(values[i] - median);
        Arrays.sort(scratch, 0, n);
        return quantile(scratch, n, 0.5);
    }

    static double quantile(double[] sorted, double q) {
        return quantile(sorted, sorted.length, q);
    }

    /** Linear interpolation between closest ranks of {@code sorted[0, n)} (numpy's default). */
    static double quantile(double[] sorted, int n, double q) {
        if (n == 0) return 0;
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, n - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
