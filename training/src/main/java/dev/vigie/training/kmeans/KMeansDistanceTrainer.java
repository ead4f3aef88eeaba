package dev.vigie.training.kmeans;

import dev.vigie.training.features.Sampling;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.la.DenseVector;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Fits centroids with Tribuo's {@link KMeansTrainer} (k-means++, Euclidean, one thread so that the result does not
 * depend on scheduling) and keeps them as a {@link KMeansDistanceModel}. Tribuo's {@code KMeansModel.predict}
 * gives no distance (its score is NaN), hence our own scorer over {@code getCentroidVectors()}.
 * <p>
 * Features are named {@code f00, f01, ...}: Tribuo orders features by name, and zero-padding makes that order the
 * recipe's.
 */
public final class KMeansDistanceTrainer {
    /** Fixed so that the dataset provenance, hence the Tribuo model, does not depend on the wall clock. */
    private static final OffsetDateTime EPOCH = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private final KMeansConfig config;

    public KMeansDistanceTrainer(KMeansConfig config) {
        this.config = config;
    }

    public KMeansConfig config() {
        return config;
    }

    /** The trained distance model and Tribuo's model (kept for its provenance). */
    public record Result(KMeansDistanceModel model, KMeansModel tribuoModel) {}

    public Result train(float[] x, int width, int[] rows, String description) {
        if (rows.length < 2) {
            throw new IllegalArgumentException("k-means needs at least 2 rows, got " + rows.length);
        }
        int[] sample = Sampling.withoutReplacement(rows, config.maxRows(), new SplittableRandom(config.seed() ^ 0x6b6d65616e73L));
        java.util.Arrays.sort(sample);
        String[] names = featureNames(width);
        ClusteringFactory factory = new ClusteringFactory();
        MutableDataset<ClusterID> data = new MutableDataset<>(
                new SimpleDataSourceProvenance(description, EPOCH, factory), factory);
        for (int r : sample) {
            double[] v = new double[width];
            for (int j = 0; j < width; j++) {
                v[j] = x[r * width + j];
            }
            data.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, v));
        }
        int k = config.clustersFor(sample.length);
        KMeansTrainer trainer = new KMeansTrainer(k, config.iterations(), new L2Distance(),
                KMeansTrainer.Initialisation.PLUSPLUS, 1, config.seed());
        KMeansModel model = trainer.train(data);
        DenseVector[] centroids = model.getCentroidVectors();
        ImmutableFeatureMap fmap = model.getFeatureIDMap();
        float[] flat = new float[centroids.length * width];
        for (int c = 0; c < centroids.length; c++) {
            for (int j = 0; j < width; j++) {
                // A feature that was 0 in every sampled row may be absent from Tribuo's map: its centroid
                // coordinate is then 0.
                int id = fmap.getID(names[j]);
                flat[c * width + j] = id < 0 ? 0f : (float) centroids[c].get(id);
            }
        }
        return new Result(new KMeansDistanceModel(width, flat), model);
    }

    public static String[] featureNames(int width) {
        int digits = Math.max(2, String.valueOf(width - 1).length());
        String[] names = new String[width];
        for (int j = 0; j < width; j++) {
            names[j] = "f" + String.format("%0" + digits + "d", j);
        }
        return names;
    }
}
