package dev.vigie.training.calibrate;

import dev.vigie.training.features.Sampling;
import java.util.Arrays;

/**
 * Sets a threshold at a target false-alarm rate α on scores of held-out benign flows.
 * <p>
 * Two estimates of the (1 − α) quantile are computed: the empirical quantile, and the quantile of a log-normal
 * fitted to the scores (Kitsune's authors, Mirsky et al. 2018, fit a log-normal to benign scores). The rule:
 * <ul>
 * <li>when the held-out set is expected to hold at least {@value #MIN_EXCEEDANCES} scores above the quantile
 * (n·α ≥ 10), the empirical quantile is measured well enough and is used as is;</li>
 * <li>otherwise the empirical quantile is a single order statistic, mostly noise: the log-normal fit extrapolates
 * the tail, but the threshold is never below the highest quantile the data does measure (1 − 10/n), because a
 * log-normal fitted on the bulk underestimates heavier real tails and that would raise false alarms.</li>
 * </ul>
 * Scores that are not all positive (the combined score is a max of normalised scores, which are negative below
 * the benign median) are fitted with a log-normal shifted to just below their minimum.
 */
public final class Calibrator {
    public static final double DEFAULT_RATE = 1e-4;
    static final int MIN_EXCEEDANCES = 10;
    /** Distances of exactly 0 (a row on a centroid) have no logarithm; they are floored here for the fit. */
    private static final double LOG_FLOOR = 1e-12;

    private Calibrator() {}

    public static Calibration calibrate(double[] benignScores, double targetRate) {
        if (!(targetRate > 0 && targetRate < 1)) {
            throw new IllegalArgumentException("target rate must be in (0, 1), got " + targetRate);
        }
        int n = benignScores.length;
        if (n == 0) {
            throw new IllegalArgumentException("no held-out scores to calibrate on");
        }
        double[] s = benignScores.clone();
        Arrays.sort(s);
        double empirical = Sampling.quantileSorted(s, 1 - targetRate);
        // Scores that can be 0 or negative (normalised ones, combined ones) get a shifted log-normal, the shift
        // just below the smallest score; positive scores get the plain two-parameter fit.
        double shift = s[0] > 0 ? 0 : s[0] - Math.max(1e-9, 1e-6 * (s[n - 1] - s[0]));
        double sum = 0;
        for (double v : s) {
            sum += Math.log(Math.max(v - shift, LOG_FLOOR));
        }
        double mu = sum / n;
        double ss = 0;
        for (double v : s) {
            double dv = Math.log(Math.max(v - shift, LOG_FLOOR)) - mu;
            ss += dv * dv;
        }
        double sigma = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        double logNormal = shift + Math.exp(mu + sigma * Normal.inverseCdf(1 - targetRate));
        double measurable = Sampling.quantileSorted(s, Math.max(0, 1 - (double) MIN_EXCEEDANCES / n));
        String rule;
        double threshold;
        if (n * targetRate >= MIN_EXCEEDANCES) {
            rule = "empirical";
            threshold = empirical;
        } else {
            rule = "lognormal-tail";
            threshold = Math.max(logNormal, measurable);
        }
        double median = Sampling.quantileSorted(s, 0.5);
        // Degenerate scores (all equal) put the threshold on the median: keep it just above, or normalising would
        // divide by 0.
        if (!(threshold > median)) {
            threshold = median + Math.max(1e-9, 1e-6 * Math.abs(median));
        }
        int above = 0;
        for (double v : s) {
            if (v >= threshold) {
                above++;
            }
        }
        return new Calibration(targetRate, n, rule, threshold, median, empirical, mu, sigma, logNormal, measurable,
                above / (double) n);
    }
}
