package dev.vigie.training.iforest;

import java.util.List;

/**
 * A trained isolation forest. The anomaly score is s(x) = 2^(−E[h(x)] / c(ψ)) where E[h(x)] is the mean path
 * length over the trees and ψ the sub-sample size; s near 1 is anomalous, well below 0.5 normal.
 *
 * @param width      number of inputs
 * @param sampleSize ψ, the rows each tree was grown from (smaller than configured when the data was smaller)
 * @param trees      the trees
 */
public record IsolationForest(int width, int sampleSize, List<IsolationTree> trees) {
    private static final double EULER_GAMMA = 0.5772156649;

    public IsolationForest {
        trees = List.copyOf(trees);
    }

    /**
     * c(n) = 2H(n−1) − 2(n−1)/n, the average path length of an unsuccessful search in a binary search tree of n
     * nodes, with H(i) ≈ ln i + γ; c(2) = 1 and c(n ≤ 1) = 0 as in the paper.
     */
    public static double c(int n) {
        if (n <= 1) {
            return 0;
        }
        if (n == 2) {
            return 1;
        }
        return 2 * (Math.log(n - 1) + EULER_GAMMA) - 2.0 * (n - 1) / n;
    }

    public double normaliser() {
        return c(sampleSize);
    }

    /** E[h(x)] for the row at {@code offset} of a row-major matrix. */
    public double meanPathLength(float[] x, int offset) {
        double sum = 0;
        for (IsolationTree t : trees) {
            sum += t.pathLength(x, offset);
        }
        return sum / trees.size();
    }

    public double score(float[] x, int offset) {
        return Math.pow(2, -meanPathLength(x, offset) / normaliser());
    }

    /** Scores for every row of a row-major [n × width] matrix. */
    public double[] scores(float[] x) {
        int n = x.length / width;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = score(x, i * width);
        }
        return out;
    }
}
