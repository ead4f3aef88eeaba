package dev.vigie.training.kmeans;

/**
 * k-means parameters. Centroids are fitted on a sub-sample: with tens of thousands of rows they no longer move
 * much, and Tribuo holds each example as named features, which would not fit a million flows in a small heap.
 *
 * @param maxClusters at most this many centroids; fewer when the data is small (one per 100 rows, at least 2)
 * @param iterations  Lloyd iterations
 * @param maxRows     rows of the sub-sample
 * @param seed        seeds k-means++ initialisation and the sub-sample
 */
public record KMeansConfig(int maxClusters, int iterations, int maxRows, long seed) {
    public KMeansConfig {
        if (maxClusters < 1 || iterations < 1 || maxRows < 2) {
            throw new IllegalArgumentException("k-means needs at least one cluster, one iteration and two rows");
        }
    }

    public static KMeansConfig defaults(long seed) {
        return new KMeansConfig(16, 25, 8_000, seed);
    }

    public int clustersFor(int rows) {
        return Math.max(1, Math.min(maxClusters, Math.min(rows, Math.max(2, rows / 100))));
    }
}
