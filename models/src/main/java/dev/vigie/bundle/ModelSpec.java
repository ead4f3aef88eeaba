package dev.vigie.bundle;

import java.util.List;

/**
 * One scoring model in the bundle: {@code kind} says how to run it ("isolation_forest", "kmeans", ...), {@code
 * file} is its ONNX file (a key of the manifest's files), {@code inputFeatures} the feature names in the order the
 * model expects them, {@code threshold} the score above which it alerts, {@code group} the population it was
 * trained on (for example "servers", "workstations", "all").
 */
public record ModelSpec(String name, String kind, String file, List<String> inputFeatures, double threshold,
                        String group) {
    public ModelSpec {
        Manifests.requireText(name, "model name");
        Manifests.requireText(kind, "kind of model " + name);
        Manifests.requireText(file, "file of model " + name);
        Manifests.requireText(group, "group of model " + name);
        inputFeatures = List.copyOf(Manifests.require(inputFeatures, "input features of model " + name));
        if (inputFeatures.isEmpty()) {
            throw new IllegalArgumentException("model " + name + " has no input features");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold of model " + name + " is not finite");
        }
    }
}
