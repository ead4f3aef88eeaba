package dev.vigie.training.features;

import java.util.SplittableRandom;

/** Deterministic sub-sampling and quantiles shared by the trainers. */
public final class Sampling {
    private Sampling() {}

    /** Every k-th element so that at most {@code max} remain; keeps order, needs no randomness. */
    public static int[] stride(int[] rows, int max) {
        if (rows.length <= max) {
            return rows;
        }
        int[] out = new int[max];
        double step = rows.length / (double) max;
        for (int i = 0; i < max; i++) {
            out[i] = rows[(int) (i * step)];
        }
        return out;
    }

    /** {@code k} distinct elements drawn uniformly (partial Fisher-Yates on a copy). */
    public static int[] withoutReplacement(int[] rows, int k, SplittableRandom rnd) {
        int n = rows.length;
        if (k >= n) {
            return rows.clone();
        }
        int[] a = rows.clone();
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return java.util.Arrays.copyOf(a, k);
    }

    /** Linear interpolation between order statistics (Hyndman and Fan type 7, numpy's default). */
    public static double quantileSorted(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
