package dev.vigie.sensor;

import dev.vigie.training.features.FeatureRecipe;
import dev.vigie.training.features.FeatureSpec;
import dev.vigie.training.features.Transform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Why a model found a flow unusual, in the analyst's units: the model inputs furthest from the site's baseline,
 * each with the flow's observed value and the baseline's usual range.
 * <p>
 * Every numeric input is robust-scaled by the bundle's recipe as {@code (t(x) - median) / IQR} of the training
 * values, so its absolute value is the distance from the baseline in interquartile ranges, comparable across
 * features. The inputs with the largest distance are the ones that pushed the flow away from the benign mass the
 * isolation forest isolates quickly and the k-means centroids sit in. "Usual" is the raw range that maps to
 * median ± 1 IQR, read back through the transform (so {@code log1p} features give a multiplicative range).
 * Indicator inputs (0/1 categories) are not ranked: their scale is not a distance.
 */
final class Explainer {
    static final int TOP = 3;

    private final FeatureRecipe recipe;
    private final int width;
    private final boolean[] numeric;
    private final double[] usualLow;
    private final double[] usualHigh;
    private final double[] median;

    Explainer(FeatureRecipe recipe) {
        this.recipe = recipe;
        this.width = recipe.width();
        this.numeric = new boolean[width];
        this.usualLow = new double[width];
        this.usualHigh = new double[width];
        this.median = new double[width];
        for (int j = 0; j < width; j++) {
            FeatureSpec f = recipe.features().get(j);
            numeric[j] = f.transform() != Transform.INDICATOR;
            if (numeric[j]) {
                usualLow[j] = inverse(f, f.center() - f.scale());
                usualHigh[j] = inverse(f, f.center() + f.scale());
                median[j] = inverse(f, f.center());
            }
        }
    }

    /** The raw value whose transform is {@code t}. */
    static double inverse(FeatureSpec f, double t) {
        return switch (f.transform()) {
            case LOG1P -> Math.max(0, Math.expm1(t)) / f.multiplier();
            case IDENTITY -> t / f.multiplier();
            case INDICATOR -> Double.NaN;
        };
    }

    /** The top inputs of row {@code row} of {@code x} (row-major, recipe order), as JSON-ready maps. */
    List<Map<String, Object>> explain(float[] x, int row, VectorSchemaRoot batch, int batchRow) {
        int[] best = new int[TOP];
        float[] dist = new float[TOP];
        int n = 0;
        int base = row * width;
        for (int j = 0; j < width; j++) {
            if (!numeric[j]) {
                continue;
            }
            float d = Math.abs(x[base + j]);
            if (n < TOP) {
                best[n] = j;
                dist[n++] = d;
            } else if (d > dist[TOP - 1]) {
                best[TOP - 1] = j;
                dist[TOP - 1] = d;
            } else {
                continue;
            }
            for (int k = n - 1; k > 0 && dist[k] > dist[k - 1]; k--) { // keep sorted, largest first
                float td = dist[k]; dist[k] = dist[k - 1]; dist[k - 1] = td;
                int tj = best[k]; best[k] = best[k - 1]; best[k - 1] = tj;
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int j = best[k];
            FeatureSpec f = recipe.features().get(j);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("feature", f.column());
            e.put("value", observed(batch.getVector(f.column()), batchRow, f.fill()));
            e.put("usual_min", round(usualLow[j]));
            e.put("usual_max", round(usualHigh[j]));
            e.put("median", round(median[j]));
            e.put("deviation_iqr", round(x[base + j]));
            out.add(e);
        }
        return out;
    }

    private static Object observed(FieldVector v, int i, double fill) {
        if (v == null || v.isNull(i)) {
            return null;
        }
        if (v instanceof BaseIntVector bi) {
            return bi.getValueAsLong(i);
        }
        if (v instanceof FloatingPointVector fp) {
            return round(fp.getValueAsDouble(i));
        }
        if (v instanceof BitVector b) {
            return b.get(i);
        }
        return fill;
    }

    static double round(double v) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double a = Math.abs(v);
        double scale = a >= 100 ? 1 : a >= 1 ? 100 : 10000;
        return Math.round(v * scale) / scale;
    }
}
