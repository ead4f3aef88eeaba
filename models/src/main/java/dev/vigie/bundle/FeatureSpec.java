package dev.vigie.bundle;

import java.util.Map;

/**
 * One model input: the extractor's feature {@code name}, the {@code transform} applied to it before scoring (for
 * example "log1p", "robust_scale") and that transform's fitted parameters. Training defines the transforms, so
 * the recipe is a name plus a generic map rather than a closed type here.
 */
public record FeatureSpec(String name, String transform, Map<String, Double> params) {
    public FeatureSpec {
        Manifests.requireText(name, "feature name");
        Manifests.requireText(transform, "transform of feature " + name);
        params = Manifests.finiteMap(params, "params of feature " + name);
    }

    public static FeatureSpec of(String name, String transform) {
        return new FeatureSpec(name, transform, Map.of());
    }
}
