package dev.vigie.training.scoring;

import dev.vigie.training.ModelKind;
import java.util.Map;

/**
 * Normalised scores of a batch of flows (0 = typical benign, 1.0 = alert threshold): per model kind, and combined
 * (the max of the kinds: it alerts when any model does). {@code group[i]} is the model group that scored row i.
 */
public record Scores(String[] group, Map<ModelKind, float[]> byKind, float[] combined) {
    public int rows() {
        return combined.length;
    }

    public float[] of(ModelKind kind) {
        return byKind.get(kind);
    }
}
