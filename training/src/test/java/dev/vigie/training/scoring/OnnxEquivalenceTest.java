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

    @Test
    void isolationForestOnnxMatchesJava() throws Exception {
        float[] train = data(1, 5000);
        IsolationForest forest = new IsolationForestTrainer(IsolationForestConfig.defaults(7))
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
        System.out.printf("isolation forest: ORT vs Java max abs diff %.3g over %d rows%n", max, ROWS);
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
