package dev.vigie.training;

import dev.vigie.training.calibrate.Calibrator;
import dev.vigie.training.iforest.IsolationForestConfig;
import dev.vigie.training.kmeans.KMeansConfig;
import dev.vigie.training.profiles.ProfileRules;

/**
 * Everything that decides a training run besides the data. Two runs with equal configs on equal data produce
 * byte-identical model files.
 *
 * @param site            site name the bundle is for
 * @param seed            seeds the held-out split, the forests, the k-means sub-sample and initialisation
 * @param targetRate      false alarms wanted per benign flow, for every model's threshold
 * @param holdoutFraction share of benign rows kept out of training to calibrate thresholds
 * @param minRows         fewer rows than this cannot train anything meaningful: refused
 * @param minGroupRows    rows a service needs to get its own models
 * @param maxGroups       at most this many per-service model groups (the busiest)
 * @param forest          isolation forest parameters (its seed is derived from {@code seed})
 * @param kmeans          k-means parameters (its seed is derived from {@code seed})
 * @param profileRules    rules that score a flow against per-host profiles
 */
public record TrainConfig(String site, long seed, double targetRate, double holdoutFraction, int minRows,
                          int minGroupRows, int maxGroups, IsolationForestConfig forest, KMeansConfig kmeans,
                          ProfileRules profileRules) {
    public TrainConfig {
        if (!(targetRate > 0 && targetRate < 1)) {
            throw new IllegalArgumentException("target false-alarm rate must be in (0, 1)");
        }
        if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in (0, 1)");
        }
    }

    public static TrainConfig defaults(String site, long seed) {
        return new TrainConfig(site, seed, Calibrator.DEFAULT_RATE, 0.2, 200, 20_000, 16,
                IsolationForestConfig.defaults(seed), KMeansConfig.defaults(seed), ProfileRules.DEFAULTS);
    }

    public TrainConfig withTargetRate(double rate) {
        return new TrainConfig(site, seed, rate, holdoutFraction, minRows, minGroupRows, maxGroups, forest, kmeans,
                profileRules);
    }

    public TrainConfig withMinGroupRows(int rows) {
        return new TrainConfig(site, seed, targetRate, holdoutFraction, minRows, rows, maxGroups, forest, kmeans,
                profileRules);
    }

    /** The same run with a forest of {@code trees} trees on sub-samples of {@code sampleSize} rows (same seed). */
    public TrainConfig withForest(int trees, int sampleSize) {
        return new TrainConfig(site, seed, targetRate, holdoutFraction, minRows, minGroupRows, maxGroups,
                new IsolationForestConfig(trees, sampleSize, forest.seed()), kmeans, profileRules);
    }

    public TrainConfig withMinRows(int rows) {
        return new TrainConfig(site, seed, targetRate, holdoutFraction, rows, minGroupRows, maxGroups, forest, kmeans,
                profileRules);
    }
}
