package dev.vigie.training.eval;

import java.util.Arrays;

/**
 * Detection metrics over scores where higher means more anomalous. Ties are handled exactly: ROC AUC is the
 * Mann-Whitney statistic with tied scores counted half, average precision steps once per distinct score.
 */
public final class Metrics {
    private Metrics() {}

    /** Figures of one detector on one population. Threshold decisions are {@code score >= 1}. */
    public record Result(int positives, int negatives, double precision, double recall, double rocAuc, double prAuc,
                         double benignAlertsPerHour, long benignAlerts) {}

    public static Result evaluate(double[] scores, boolean[] positive, double benignHours) {
        int p = 0;
        int n = 0;
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean alert = scores[i] >= 1.0;
            if (positive[i]) {
                p++;
                tp += alert ? 1 : 0;
            } else {
                n++;
                fp += alert ? 1 : 0;
            }
        }
        double precision = tp + fp == 0 ? Double.NaN : tp / (double) (tp + fp);
        double recall = p == 0 ? Double.NaN : tp / (double) p;
        return new Result(p, n, precision, recall, rocAuc(scores, positive), averagePrecision(scores, positive),
                benignHours > 0 ? fp / benignHours : Double.NaN, fp);
    }

    public static double rocAuc(double[] scores, boolean[] positive) {
        Integer[] idx = order(scores);
        long p = 0;
        long n = 0;
        for (boolean b : positive) {
            if (b) {
                p++;
            } else {
                n++;
            }
        }
        if (p == 0 || n == 0) {
            return Double.NaN;
        }
        // Sum of positive ranks (ascending, ties averaged).
        double rankSum = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[idx[k]]) {
                    rankSum += avgRank;
                }
            }
            i = j + 1;
        }
        return (rankSum - p * (p + 1) / 2.0) / ((double) p * n);
    }

    /** Average precision: Σ (R_k − R_{k−1}) P_k over thresholds at each distinct score, highest first. */
    public static double averagePrecision(double[] scores, boolean[] positive) {
        Integer[] idx = order(scores);
        long p = 0;
        for (boolean b : positive) {
            if (b) {
                p++;
            }
        }
        if (p == 0) {
            return Double.NaN;
        }
        double ap = 0;
        long tp = 0;
        long seen = 0;
        int i = idx.length - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[idx[j - 1]] == scores[idx[i]]) {
                j--;
            }
            long newTp = 0;
            for (int k = j; k <= i; k++) {
                if (positive[idx[k]]) {
                    newTp++;
                }
            }
            seen += i - j + 1;
            tp += newTp;
            ap += (newTp / (double) p) * (tp / (double) seen);
            i = j - 1;
        }
        return ap;
    }

    private static Integer[] order(double[] scores) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
        return idx;
    }
}
