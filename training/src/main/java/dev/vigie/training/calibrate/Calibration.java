package dev.vigie.training.calibrate;

/**
 * How one model's alert threshold was set, written into the bundle next to the model. Normalised scores are
 * {@code (raw − median) / (threshold − median)}: 0 is a typical benign flow and 1.0 the threshold whatever the
 * model kind, so that the scores of different kinds can be compared and combined (a plain {@code raw / threshold}
 * leaves an isolation forest's benign bulk near 1 and a distance's near 0, and the max of the two is then just
 * the forest).
 *
 * @param targetRate        false alarms wanted per benign flow (1e-4 = 1 per 10,000 flows)
 * @param heldOutRows       benign rows the threshold was measured on (none of them trained the model)
 * @param rule              which estimate was used: {@code empirical} or {@code lognormal-tail} (see {@link Calibrator})
 * @param threshold         the raw score at which the model alerts
 * @param median            median of the held-out scores (the 0 of normalised scores)
 * @param empirical         empirical quantile of held-out scores at 1 − targetRate
 * @param logNormalMu       mean of ln(score) over held-out rows
 * @param logNormalSigma    standard deviation of ln(score)
 * @param logNormal         the fitted log-normal's quantile at 1 − targetRate
 * @param measurable        the highest quantile the held-out data can estimate (1 − 10/n)
 * @param heldOutAlertRate  fraction of held-out benign rows at or above the threshold
 */
public record Calibration(double targetRate, int heldOutRows, String rule, double threshold, double median,
                          double empirical,
                          double logNormalMu, double logNormalSigma, double logNormal, double measurable,
                          double heldOutAlertRate) {
    public double normalise(double raw) {
        return (raw - median) / (threshold - median);
    }
}
