package dev.vigie.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigie.training.calibrate.Calibration;
import dev.vigie.training.profiles.ProfileRules;
import java.io.IOException;
import java.util.List;

/**
 * {@code models.json}: what a bundle's files are and how to score with them. Everything scoring needs besides the
 * ONNX files and profile tables is here or in {@code recipe.json}; the signed manifest lists these files.
 *
 * @param version     layout of this record
 * @param site        site the models were trained for
 * @param featureSchemaHash hash of the flow-record schema the recipe reads (see docs/schema/flows.md)
 * @param recipe      path of the feature recipe
 * @param groups      which flows each model group scores
 * @param models      every ONNX model; its output {@code score} is already normalised (0 = typical benign, 1.0 = its
 *                    threshold, see {@link Calibration#normalise})
 * @param combined    per group, the combined score's level: max(normalised scores of the group's models) ≥ 1
 * @param baselines   one-feature baselines calibrated the same way, for evaluation
 * @param profiles    directory of the profile tables
 * @param profileRules how flows are scored against the profiles
 */
public record ModelIndex(int version, String site, String featureSchemaHash, String recipe, TrafficGroups groups,
                         List<Model> models, List<Combined> combined, List<Baseline> baselines, String profiles,
                         ProfileRules profileRules) {
    public static final int CURRENT_VERSION = 1;
    public static final String FILE = "models.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One ONNX model. {@code threshold} is the raw score at which it alerts; {@code inputs} the recipe's feature
     * names in input order (the ONNX input is {@code input [N, inputs.size()]}).
     */
    public record Model(String name, String kind, String group, String file, List<String> inputs, double threshold,
                        int trainRows, Calibration calibration, String parameters) {
        public ModelKind modelKind() {
            return ModelKind.of(kind);
        }
    }

    /**
     * A group's combined score, max(normalised model scores), alerts at {@code threshold} 1.0: when any model
     * does. {@code heldOutAlertRate} is the share of held-out benign rows it flagged.
     */
    public record Combined(String group, double threshold, double heldOutAlertRate) {}

    /** A one-feature baseline: {@code columns} summed, compared with {@code threshold}. */
    public record Baseline(String name, List<String> columns, double threshold, Calibration calibration) {}

    public ModelIndex {
        models = List.copyOf(models);
        combined = List.copyOf(combined);
        baselines = List.copyOf(baselines);
    }

    public Model model(String group, ModelKind kind) {
        for (Model m : models) {
            if (m.group().equals(group) && m.kind().equals(kind.id())) {
                return m;
            }
        }
        return null;
    }

    public double combinedThreshold(String group) {
        for (Combined c : combined) {
            if (c.group().equals(group)) {
                return c.threshold();
            }
        }
        throw new IllegalArgumentException("no combined threshold for group " + group);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ModelIndex fromJson(byte[] json) throws IOException {
        ModelIndex m = JSON.readValue(json, ModelIndex.class);
        if (m.version() != CURRENT_VERSION) {
            throw new IOException(FILE + " version " + m.version() + " is not understood");
        }
        return m;
    }
}
