package dev.vigie.training.iforest;

/**
 * Isolation forest parameters; the defaults are Liu, Ting and Zhou's (2008): 100 trees grown on sub-samples of 256
 * rows, height limit ceil(log2 256) = 8. Larger sub-samples mostly add swamping, not accuracy (their Fig. 3).
 */
public record IsolationForestConfig(int trees, int sampleSize, long seed) {
    public static final int DEFAULT_TREES = 100;
    public static final int DEFAULT_SAMPLE = 256;

    public IsolationForestConfig {
        if (trees < 1 || sampleSize < 2) {
            throw new IllegalArgumentException("need at least 1 tree and a sample of 2 rows");
        }
    }

    public static IsolationForestConfig defaults(long seed) {
        return new IsolationForestConfig(DEFAULT_TREES, DEFAULT_SAMPLE, seed);
    }

    /** Height limit for a sub-sample of {@code n} rows: the average depth of an unsuccessful BST search. */
    public static int heightLimit(int n) {
        return (int) Math.ceil(Math.log(n) / Math.log(2));
    }
}
