package dev.vigie.training.scoring;

import dev.vigie.training.iforest.IsolationForest;
import dev.vigie.training.kmeans.KMeansDistanceModel;

/**
 * The reference implementation of each model kind, in plain Java and double precision: what the ONNX graphs must
 * reproduce, and what training uses to score rows for calibration before any ONNX file exists.
 */
public final class JavaModelScorer implements ModelScorer {
    private final int width;
    private final double threshold;
    private final double center;
    private final IsolationForest forest;
    private final KMeansDistanceModel kmeans;

    private JavaModelScorer(int width, double center, double threshold, IsolationForest forest,
                            KMeansDistanceModel kmeans) {
        this.width = width;
        this.center = center;
        this.threshold = threshold;
        this.forest = forest;
        this.kmeans = kmeans;
    }

    /** Normalised score {@code (raw − center) / (threshold − center)}, as the ONNX graphs compute it. */
    public static JavaModelScorer of(IsolationForest forest, double center, double threshold) {
        return new JavaModelScorer(forest.width(), center, threshold, forest, null);
    }

    public static JavaModelScorer of(KMeansDistanceModel kmeans, double center, double threshold) {
        return new JavaModelScorer(kmeans.width(), center, threshold, null, kmeans);
    }

    @Override
    public int width() {
        return width;
    }

    public double rawAt(float[] inputs, int offset) {
        return forest != null ? forest.score(inputs, offset) : kmeans.distance(inputs, offset);
    }

    public double[] raw(float[] inputs, int rows) {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = rawAt(inputs, i * width);
        }
        return out;
    }

    @Override
    public float[] score(float[] inputs, int rows) {
        float[] out = new float[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = (float) ((rawAt(inputs, i * width) - center) / (threshold - center));
        }
        return out;
    }
}
