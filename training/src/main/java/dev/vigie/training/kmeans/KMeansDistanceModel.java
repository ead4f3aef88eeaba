package dev.vigie.training.kmeans;

/**
 * Distance from a row to the nearest of k centroids: far from every cluster of benign traffic is anomalous.
 * Centroids are float because that is how the ONNX graph stores them; distances are computed in double, as the
 * graph does after its Cast, so both sides agree to rounding.
 *
 * @param width     inputs per row
 * @param centroids row-major [k × width]
 */
public record KMeansDistanceModel(int width, float[] centroids) {
    public KMeansDistanceModel {
        if (centroids.length == 0 || centroids.length % width != 0) {
            throw new IllegalArgumentException("centroids must be k × " + width);
        }
        centroids = centroids.clone();
    }

    public int clusters() {
        return centroids.length / width;
    }

    @Override
    public float[] centroids() {
        return centroids.clone();
    }

    public double distance(float[] x, int offset) {
        double best = Double.POSITIVE_INFINITY;
        for (int c = 0; c < clusters(); c++) {
            double s = 0;
            int base = c * width;
            for (int j = 0; j < width; j++) {
                double diff = (double) x[offset + j] - centroids[base + j];
                s += diff * diff;
            }
            best = Math.min(best, s);
        }
        return Math.sqrt(best);
    }

    public double[] scores(float[] x) {
        int n = x.length / width;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = distance(x, i * width);
        }
        return out;
    }
}
