package dev.vigie.training.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.training.features.Sampling;
import dev.vigie.training.iforest.IsolationForest;
import dev.vigie.training.iforest.IsolationForestConfig;
import dev.vigie.training.iforest.IsolationForestOnnx;
import dev.vigie.training.iforest.IsolationForestTrainer;
import dev.vigie.training.kmeans.KMeansConfig;
import dev.vigie.training.kmeans.KMeansDistanceModel;
import dev.vigie.training.kmeans.KMeansDistanceTrainer;
import dev.vigie.training.kmeans.KMeansOnnx;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ONNX Runtime must give the Java reference's scores, to 1e-5, on 10,000 rows, for every model kind. */
class OnnxEquivalenceTest {
    static final int ROWS = 10_000;
    static final int WIDTH = 12;

    /** Clustered rows with heavy-tailed outliers, values in the range robust scaling produces. */
    static float[] data(long seed, int rows) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * WIDTH];
        for (int i = 0; i < rows; i++) {
            int cluster = r.nextInt(4);
            boolean outlier = r.nextInt(50) == 0;
            for (int j = 0; j < WIDTH; j++) {
                double v = cluster * (j % 3 - 1) + r.nextGaussian() * 0.5;
                if (outlier) {
                    v += r.nextGaussian() * 20;
                }
                if (j == WIDTH - 1) {
                    v = r.nextInt(10) == 0 ? 1 : 0; // an indicator column
                }
                x[i * WIDTH + j] = (float) v;
            }
        }
        return x;
    }

    /**
     * The export splits the forest into TreeEnsembleRegressor nodes of 10 trees and sums them: the default 100
     * trees, a count that leaves a short last node (23) and one below a node (7) must all give the Java scores.
     */
    @ParameterizedTest
    @ValueSource(ints = {IsolationForestConfig.DEFAULT_TREES, 23, 7})
    void isolationForestOnnxMatchesJava(int trees) throws Exception {
        float[] train = data(1, 5000);
        IsolationForest forest = new IsolationForestTrainer(
                new IsolationForestConfig(trees, IsolationForestConfig.DEFAULT_SAMPLE, 7))
                .train(train, WIDTH, Sampling.range(5000));
        double threshold = 0.61;
        float[] test = data(2, ROWS);
        float[] java = JavaModelScorer.of(forest, 0.45, threshold).score(test, ROWS);
        byte[] onnx = IsolationForestOnnx.export(forest, 0.45, threshold, "iforest", Map.of()).toByteArray();
        float[] ort;
        try (OnnxModelScorer s = new OnnxModelScorer(onnx, WIDTH, 1)) {
            ort = s.score(test, ROWS);
        }
        double max = maxAbsDiff(java, ort);
        System.out.printf("isolation forest, %d trees: ORT vs Java max abs diff %.3g over %d rows%n", trees, max, ROWS);
        assertTrue(max <= 1e-5, "max abs diff " + max);
    }

    /**
     * The export lays each split out so that its usual side is the fall-through, testing a negated copy of the
     * input where that side is x >= t. That must send every value exactly where the Java tree does: the threshold
     * itself and the floats next to it, NaN, infinities and both zeros, at every split of the forest.
     */
    @Test
    void isolationForestOnnxMatchesJavaAtEverySplitEdge() throws Exception {
        float[] train = data(5, 3000);
        IsolationForest forest = new IsolationForestTrainer(new IsolationForestConfig(40, 256, 9))
                .train(train, WIDTH, Sampling.range(3000));
        float[] base = data(6, 1);
        java.util.List<float[]> rows = new java.util.ArrayList<>();
        int flipped = 0;
        for (var tree : forest.trees()) {
            for (int n = 0; n < tree.nodes(); n++) {
                if (tree.isLeaf(n)) {
                    continue;
                }
                if (tree.mass()[tree.left()[n]] > tree.mass()[tree.right()[n]]) {
                    flipped++;
                }
                float t = tree.threshold()[n];
                float[] edges = {t, Math.nextDown(t), Math.nextUp(t), Float.NaN, Float.POSITIVE_INFINITY,
                        Float.NEGATIVE_INFINITY, 0f, -0f};
                for (float v : edges) {
                    float[] row = base.clone();
                    row[tree.feature()[n]] = v;
                    rows.add(row);
                }
            }
        }
        int count = rows.size();
        float[] test = new float[count * WIDTH];
        for (int i = 0; i < count; i++) {
            System.arraycopy(rows.get(i), 0, test, i * WIDTH, WIDTH);
        }
        float[] java = JavaModelScorer.of(forest, 0.45, 0.61).score(test, count);
        byte[] onnx = IsolationForestOnnx.export(forest, 0.45, 0.61, "iforest", Map.of()).toByteArray();
        float[] ort;
        try (OnnxModelScorer s = new OnnxModelScorer(onnx, WIDTH, 1)) {
            ort = s.score(test, count);
        }
        double max = maxAbsDiff(java, ort);
        System.out.printf("isolation forest at split edges: %d rows, %d of the splits tested on the negated input,"
                + " max abs diff %.3g%n", count, flipped, max);
        assertTrue(flipped > 0, "no split was laid out on the negated input");
        assertTrue(max <= 1e-5, "max abs diff " + max);
    }

    @Test
    void kmeansOnnxMatchesJava() throws Exception {
        float[] train = data(3, 5000);
        KMeansDistanceModel km = new KMeansDistanceTrainer(KMeansConfig.defaults(11))
                .train(train, WIDTH, Sampling.range(5000), "test").model();
        double threshold = 3.7;
        float[] test = data(4, ROWS);
        float[] java = JavaModelScorer.of(km, 1.2, threshold).score(test, ROWS);
        byte[] onnx = KMeansOnnx.export(km, 1.2, threshold, "kmeans", Map.of()).toByteArray();
        float[] ort;
        try (OnnxModelScorer s = new OnnxModelScorer(onnx, WIDTH, 1)) {
            ort = s.score(test, ROWS);
        }
        double max = maxAbsDiff(java, ort);
        System.out.printf("k-means distance: ORT vs Java max abs diff %.3g over %d rows%n", max, ROWS);
        assertTrue(max <= 1e-5, "max abs diff " + max);
        assertEquals(ROWS, ort.length);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
