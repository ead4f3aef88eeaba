package dev.vigie.training.scoring;

import ai.onnxruntime.OrtException;
import dev.vigie.training.ModelIndex;
import dev.vigie.training.ModelKind;
import dev.vigie.training.TrafficGroups;
import dev.vigie.training.data.FlowFrame;
import dev.vigie.training.features.FeatureRecipe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Scores flows with a bundle's models in ONNX Runtime: applies the bundle's recipe, routes each row to its
 * traffic group's models (the site-wide ones when its service has none), and returns normalised scores. Models
 * run in batches of {@value OnnxModelScorer#BATCH} rows with one intra-op thread: the engine scales by running one
 * scorer per core. Not thread-safe.
 */
public final class OnnxScorer implements AutoCloseable {
    private final FeatureRecipe recipe;
    private final ModelIndex index;
    private final Map<String, ModelScorer> scorers;
    private final List<String> groupNames;
    /** One group's rows of a batch, gathered; kept from batch to batch (a scorer is single-threaded). */
    private float[] groupInputs = new float[0];

    /** For tests and training: any model scorers (for example the Java reference ones), keyed by model name. */
    public OnnxScorer(FeatureRecipe recipe, ModelIndex index, Map<String, ModelScorer> scorers) {
        this.recipe = recipe;
        this.index = index;
        this.scorers = Map.copyOf(scorers);
        List<String> g = new ArrayList<>();
        g.add(TrafficGroups.SITE_WIDE);
        g.addAll(index.groups().groups());
        this.groupNames = List.copyOf(g);
        for (String group : groupNames) {
            for (ModelKind k : ModelKind.values()) {
                ModelIndex.Model m = index.model(group, k);
                if (m == null || !scorers.containsKey(m.name())) {
                    throw new IllegalArgumentException("bundle has no " + k.id() + " model for group " + group);
                }
            }
        }
    }

    /** Reads one file of a bundle by its path inside the bundle (a sensor reads through its verified bundle). */
    @FunctionalInterface
    public interface BundleFiles {
        byte[] read(String path) throws IOException;
    }

    /** Loads {@code models.json}, {@code recipe.json} and every ONNX model of a bundle directory. */
    public static OnnxScorer open(Path bundleDir) throws IOException {
        return open(p -> Files.readAllBytes(bundleDir.resolve(p)), bundleDir.toString());
    }

    /** Loads the index, the recipe and every ONNX model through {@code files}; {@code name} names it in errors. */
    public static OnnxScorer open(BundleFiles files, String name) throws IOException {
        ModelIndex index = ModelIndex.fromJson(files.read(ModelIndex.FILE));
        FeatureRecipe recipe = FeatureRecipe.fromJson(files.read(index.recipe()));
        Map<String, ModelScorer> scorers = new LinkedHashMap<>();
        try {
            for (ModelIndex.Model m : index.models()) {
                if (!m.inputs().equals(recipe.names())) {
                    throw new IOException("model " + m.name() + " expects other inputs than the recipe provides");
                }
                scorers.put(m.name(), new OnnxModelScorer(files.read(m.file()), recipe.width(), 1));
            }
        } catch (OrtException e) {
            scorers.values().forEach(ModelScorer::close);
            throw new IOException("ONNX Runtime cannot load a model of " + name + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            scorers.values().forEach(ModelScorer::close);
            throw e;
        }
        return new OnnxScorer(recipe, index, scorers);
    }

    public FeatureRecipe recipe() {
        return recipe;
    }

    public ModelIndex index() {
        return index;
    }

    /** Scores the given rows of a frame (evaluation). */
    public Scores score(FlowFrame frame, int[] rows) {
        float[] x = recipe.apply(frame, rows);
        List<String> protos = frame.dictionaries().get("proto");
        int[] proto = frame.codes("proto");
        float[] port = frame.column("resp_p");
        String[] groups = new String[rows.length];
        Map<String, String> cache = new HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            String p = protos.get(proto[rows[i]]);
            int rp = (int) port[rows[i]];
            groups[i] = cache.computeIfAbsent(p + '/' + rp, k -> index.groups().groupOf(p, rp));
        }
        return scoreInputs(x, groups);
    }

    /** Scores an Arrow batch of flow records (the engine's path); needs the recipe's columns, proto and resp_p. */
    public Scores score(VectorSchemaRoot batch) {
        float[] x = recipe.apply(batch);
        int n = batch.getRowCount();
        VarCharVector proto = (VarCharVector) batch.getVector("proto");
        FieldVector port = batch.getVector("resp_p");
        String[] groups = new String[n];
        for (int i = 0; i < n; i++) {
            String p = proto.isNull(i) ? "" : new String(proto.get(i), StandardCharsets.UTF_8);
            int rp = port.isNull(i) ? 0 : ((Number) port.getObject(i)).intValue();
            groups[i] = index.groups().groupOf(p, rp);
        }
        return scoreInputs(x, groups);
    }

    /** Scores recipe outputs {@code x} [rows × width], row i by the models of group {@code groups[i]}. */
    public Scores scoreInputs(float[] x, String[] groups) {
        int n = groups.length;
        int d = recipe.width();
        Map<ModelKind, float[]> byKind = new EnumMap<>(ModelKind.class);
        for (ModelKind k : ModelKind.values()) {
            byKind.put(k, new float[n]);
        }
        float[] combined = new float[n];
        for (String group : groupNames) {
            int count = 0;
            for (String g : groups) {
                if (g.equals(group)) {
                    count++;
                }
            }
            if (count == 0) {
                continue;
            }
            int[] rows = new int[count];
            float[] gx;
            if (count == n) {
                gx = x;
                for (int i = 0; i < n; i++) {
                    rows[i] = i;
                }
            } else {
                if (groupInputs.length < count * d) {
                    groupInputs = new float[count * d];
                }
                gx = groupInputs;
                int k = 0;
                for (int i = 0; i < n; i++) {
                    if (groups[i].equals(group)) {
                        System.arraycopy(x, i * d, gx, k * d, d);
                        rows[k++] = i;
                    }
                }
            }
            float[] max = new float[count];
            java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
            for (ModelKind kind : ModelKind.values()) {
                float[] s = scorers.get(index.model(group, kind).name()).score(gx, count);
                float[] out = byKind.get(kind);
                for (int i = 0; i < count; i++) {
                    out[rows[i]] = s[i];
                    max[i] = Math.max(max[i], s[i]);
                }
            }
            double ct = index.combinedThreshold(group);
            for (int i = 0; i < count; i++) {
                combined[rows[i]] = (float) (max[i] / ct);
            }
        }
        return new Scores(groups, byKind, combined);
    }

    @Override
    public void close() {
        scorers.values().forEach(ModelScorer::close);
    }
}
