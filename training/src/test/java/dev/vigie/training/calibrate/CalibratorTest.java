package dev.vigie.training.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibratorTest {
    static double[] logNormal(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.exp(1 + 0.5 * r.nextGaussian());
        }
        return s;
    }

    @Test
    void enoughHeldOutRowsUseTheEmpiricalQuantile() {
        Calibration c = Calibrator.calibrate(logNormal(200_000, 1), 1e-4);
        assertEquals("empirical", c.rule());
        assertEquals(c.empirical(), c.threshold());
        // exp(1 + 0.5 z_{0.9999}) with z = 3.719: the fit and the data agree on log-normal data.
        assertEquals(Math.exp(1 + 0.5 * 3.719), c.logNormal(), 0.05 * c.logNormal());
        assertEquals(1e-4, c.heldOutAlertRate(), 5e-5);
        assertEquals(1.0, c.normalise(c.threshold()));
    }

    @Test
    void fewRowsExtrapolateWithTheLogNormalButNeverBelowWhatTheDataMeasures() {
        Calibration c = Calibrator.calibrate(logNormal(2_000, 2), 1e-4);
        assertEquals("lognormal-tail", c.rule());
        assertEquals(Math.max(c.logNormal(), c.measurable()), c.threshold());
        // A heavier tail than log-normal: the measurable quantile wins.
        double[] heavy = logNormal(2_000, 3);
        for (int i = 0; i < 40; i++) {
            heavy[i] = 1e6;
        }
        Calibration h = Calibrator.calibrate(heavy, 1e-4);
        assertEquals(h.measurable(), h.threshold());
        assertTrue(h.threshold() > h.logNormal());
    }

    @Test
    void allZeroScoresStillGiveAPositiveThreshold() {
        Calibration c = Calibrator.calibrate(new double[500], 1e-3);
        assertTrue(c.threshold() > 0);
    }

    @Test
    void normalQuantileMatchesTables() {
        assertEquals(3.7190, Normal.inverseCdf(1 - 1e-4), 1e-4);
        assertEquals(1.6449, Normal.inverseCdf(0.95), 1e-4);
        assertEquals(0.0, Normal.inverseCdf(0.5), 1e-12);
    }
}
