package dev.vigie.training;

import dev.vigie.training.features.FeatureRecipe;
import java.nio.file.Path;
import java.util.List;

/**
 * The result of a training run: a directory of files that the bundle code hashes, lists in its manifest and signs,
 * plus the records those files hold.
 *
 * @param dir    the bundle directory
 * @param files  every file written, relative to {@code dir}, '/'-separated, sorted
 * @param recipe the feature recipe ({@code recipe.json})
 * @param index  the model index ({@code models.json})
 * @param run    the provenance ({@code training.json})
 */
public record TrainedBundle(Path dir, List<String> files, FeatureRecipe recipe, ModelIndex index, TrainingRun run) {
    public TrainedBundle {
        files = List.copyOf(files);
    }
}
