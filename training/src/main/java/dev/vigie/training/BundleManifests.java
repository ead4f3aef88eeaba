package dev.vigie.training;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigie.bundle.BundleBuilder;
import dev.vigie.bundle.BundleManifest;
import dev.vigie.bundle.FeatureSpec;
import dev.vigie.bundle.ModelSpec;
import dev.vigie.training.features.Transform;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Describes a trained bundle directory to the bundle code ({@link BundleBuilder}), which hashes it and writes the
 * unsigned {@code manifest.json}. Training itself knows nothing of manifests or signing; this is the only link.
 * <p>
 * ONNX outputs are already normalised, so every model's manifest threshold is 1.0; the raw thresholds go into the
 * manifest's {@code thresholds} as {@code <model>.raw}, the per-group combined levels as {@code <group>.combined}.
 */
public final class BundleManifests {
    private BundleManifests() {}

    public static BundleManifest write(TrainedBundle b, long bundleVersion, Instant createdAt) throws IOException {
        BundleBuilder builder = new BundleBuilder(b.dir())
                .site(b.index().site())
                .bundleVersion(bundleVersion)
                .createdAt(createdAt)
                .featureSchemaHash(b.index().featureSchemaHash());
        for (dev.vigie.training.features.FeatureSpec f : b.recipe().features()) {
            Map<String, Double> params = new LinkedHashMap<>();
            String transform;
            if (f.transform() == Transform.INDICATOR) {
                transform = "indicator";
            } else {
                transform = (f.transform() == Transform.LOG1P ? "log1p" : "identity") + "+robust_scale";
                params.put("fill", f.fill());
                params.put("multiplier", f.multiplier());
                params.put("median", f.center());
                params.put("iqr", f.scale());
                params.put("clip", b.recipe().clip());
            }
            builder.feature(new FeatureSpec(f.name(), transform, params));
        }
        for (ModelIndex.Model m : b.index().models()) {
            builder.model(new ModelSpec(m.name(), m.kind(), m.file(), m.inputs(), 1.0, m.group()));
            builder.threshold(m.name() + ".raw", m.threshold());
        }
        for (ModelIndex.Combined c : b.index().combined()) {
            builder.threshold(c.group() + ".combined", c.threshold());
        }
        builder.training(summary(b.run()));
        return builder.write();
    }

    /** The manifest's free-form training object: the essentials; the full record is training.json. */
    static ObjectNode summary(TrainingRun run) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("record", TrainingRun.FILE);
        o.put("rows", run.rows());
        o.put("trainRows", run.trainRows());
        o.put("heldOutRows", run.heldOutRows());
        o.put("timeStart", run.timeStart());
        o.put("timeEnd", run.timeEnd());
        o.put("seed", Long.toString(run.config().seed())); // a long may exceed JSON's exact integers
        o.put("falseAlarmRate", run.config().targetRate());
        ArrayNode inputs = o.putArray("inputs");
        for (TrainingRun.InputFile in : run.inputs()) {
            inputs.addObject().put("path", in.path()).put("sha256", in.sha256()).put("rows", in.rows());
        }
        ObjectNode v = o.putObject("versions");
        run.versions().forEach(v::put);
        return o;
    }
}
