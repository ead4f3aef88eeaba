package dev.vigie.training.features;

import java.util.Objects;

/**
 * One model input: read {@code column}, replace a null by {@code fill}, multiply, transform, then robust-scale as
 * {@code (v - center) / scale} and clip to the recipe's bound. For {@link Transform#INDICATOR} the column is
 * categorical and the value 1 or 0 is used as is.
 *
 * @param name       input name as it appears in the bundle (column name, or {@code column=category})
 * @param column     flow-record column read
 * @param transform  see {@link Transform}
 * @param category   the category an indicator tests for; empty otherwise
 * @param fill       raw value used for null (a statistic that does not exist for this flow)
 * @param multiplier raw unit change before the transform (seconds to milliseconds keeps log1p informative)
 * @param center     median of the transformed training values
 * @param scale      interquartile range of the transformed training values (1 when that is 0)
 */
public record FeatureSpec(String name, String column, Transform transform, String category, double fill,
                          double multiplier, double center, double scale) {
    public FeatureSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(column);
        Objects.requireNonNull(transform);
        category = category == null ? "" : category;
        if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(center) || !Double.isFinite(fill)
                || !(multiplier > 0)) {
            throw new IllegalArgumentException("feature " + name + ": non-finite or non-positive parameters");
        }
        if (transform == Transform.INDICATOR && category.isEmpty()) {
            throw new IllegalArgumentException("indicator feature " + name + " needs a category");
        }
    }

    /** The transformed value before scaling. */
    public double transformRaw(double raw) {
        double x = Double.isNaN(raw) ? fill : raw;
        return switch (transform) {
            case LOG1P -> log1p(Math.max(0, x) * multiplier);
            case IDENTITY -> x * multiplier;
            case INDICATOR -> throw new IllegalStateException("indicator " + name + " reads a category");
        };
    }

    /**
     * ln(1 + v) for v ≥ 0. Math.log1p is StrictMath's native fdlibm call, about ten times Math.log's intrinsic,
     * and it ran for every feature of every flow the sensor scores; log(1 + v) is as exact once 1 + v carries v's
     * digits, and below 1e-4 (where it would not) log1p keeps the accuracy. Training and scoring both come here.
     * Zero, the most common value of counts, returns at once: log1p(0) is 0, and it was most of the native calls left.
     */
    static double log1p(double v) {
        return v >= 1e-4 ? Math.log(1.0 + v) : v == 0 ? 0.0 : Math.log1p(v);
    }

    public FeatureSpec withScaling(double newCenter, double newScale) {
        return new FeatureSpec(name, column, transform, category, fill, multiplier, newCenter, newScale);
    }
}
