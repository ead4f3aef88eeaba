package dev.vigie.training;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import dev.vigie.features.FlowSchema;
import dev.vigie.training.calibrate.Calibration;
import dev.vigie.training.calibrate.Calibrator;
import dev.vigie.training.data.FlowFrame;
import dev.vigie.training.data.ParquetFlows;
import dev.vigie.training.data.TrainingInputException;
import dev.vigie.training.features.FeatureCatalog;
import dev.vigie.training.features.FeatureRecipe;
import dev.vigie.training.features.Sampling;
import dev.vigie.training.iforest.IsolationForest;
import dev.vigie.training.iforest.IsolationForestConfig;
import dev.vigie.training.iforest.IsolationForestOnnx;
import dev.vigie.training.iforest.IsolationForestTrainer;
import dev.vigie.training.kmeans.KMeansConfig;
import dev.vigie.training.kmeans.KMeansDistanceTrainer;
import dev.vigie.training.kmeans.KMeansOnnx;
import dev.vigie.training.profiles.HostProfiles;
import dev.vigie.training.scoring.JavaModelScorer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code vigie train}: feature Parquet files → a bundle directory (recipe, ONNX models per traffic group, host
 * profiles, calibration, provenance). The steps, in order:
 * <ol>
 * <li>hash and count the inputs; read them (DuckDB → Arrow → columns);</li>
 * <li>split rows into training and held-out benign rows (seeded, {@code holdoutFraction});</li>
 * <li>fit the feature recipe on the training rows;</li>
 * <li>for the site-wide group and every busy service: grow an isolation forest, fit k-means, score the group's
 * held-out rows with the Java reference, calibrate each model and their combination, export ONNX;</li>
 * <li>calibrate the one-feature baselines on the same held-out rows;</li>
 * <li>build the host profiles; write everything into a temporary directory renamed into place at the end.</li>
 * </ol>
 * Input rows are assumed benign: training is unsupervised and the thresholds are set on benign data.
 */
public final class Trainer {
    /** Keeps Tribuo's per-iteration INFO lines off the terminal (the logger must stay referenced). */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    private final TrainConfig config;
    private final String featureSchemaHash;

    /** A trainer for flow records of the base schema (an extractor without analyzers). */
    public Trainer(TrainConfig config) {
        this(config, FlowSchema.base().hash());
    }

    /**
     * @param featureSchemaHash hash of the schema of the extractor that wrote the training records (with its
     *                          analyzers' columns): the bundle pins it, and a sensor whose extractor differs refuses it
     */
    public Trainer(TrainConfig config, String featureSchemaHash) {
        this.config = config;
        this.featureSchemaHash = featureSchemaHash;
    }

    public TrainConfig config() {
        return config;
    }

    public TrainedBundle train(List<Path> inputs, Path outDir, TrainingListener listener)
            throws TrainingInputException, IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        long tStart = System.nanoTime();
        checkOutput(outDir);

        List<TrainingRun.InputFile> inputFiles = describeInputs(inputs, listener);
        seconds.put("hash_inputs", since(tStart));

        long t = System.nanoTime();
        listener.stage("reading flows", 0);
        FlowFrame frame = ParquetFlows.read(inputs, new LinkedHashSet<>(FeatureCatalog.numericColumns()));
        listener.stageDone();
        seconds.put("read", since(t));
        if (frame.rows() < config.minRows()) {
            throw new TrainingInputException("too few rows to train: " + frame.rows() + " flow records (at least "
                    + config.minRows() + " needed)");
        }

        t = System.nanoTime();
        boolean[] heldOut = split(frame.rows());
        int[] trainRows = select(heldOut, false, null, -1);
        int[] holdRows = select(heldOut, true, null, -1);
        FeatureRecipe recipe = FeatureRecipe.fit(frame, trainRows, FeatureCatalog.numeric(), FeatureCatalog.indicators());
        float[] x = recipe.apply(frame, Sampling.range(frame.rows()));
        int d = recipe.width();
        byte[] recipeJson = recipe.toJson();
        String recipeHash = sha256(recipeJson);
        seconds.put("features", since(t));

        t = System.nanoTime();
        int[] groupOfRow = new int[frame.rows()];
        TrafficGroups groups = chooseGroups(frame, trainRows, groupOfRow);
        List<String> modelGroups = new ArrayList<>();
        modelGroups.add(TrafficGroups.SITE_WIDE);
        modelGroups.addAll(groups.groups());
        seconds.put("groups", since(t));

        Path tmp = Files.createTempDirectory(outDir.toAbsolutePath().getParent(), "." + outDir.getFileName() + ".tmp-");
        boolean done = false;
        try {
            Files.createDirectories(tmp.resolve("models"));
            Files.createDirectories(tmp.resolve("provenance"));
            List<ModelIndex.Model> models = new ArrayList<>();
            List<ModelIndex.Combined> combined = new ArrayList<>();
            List<String> provenanceFiles = new ArrayList<>();
            t = System.nanoTime();
            listener.stage("training models", modelGroups.size());
            java.util.concurrent.atomic.AtomicLong finished = new java.util.concurrent.atomic.AtomicLong();
            // Groups are independent and each result depends only on its rows and seed: training them on all
            // cores gives the same files as one after the other. Results are collected in group order.
            List<GroupResult> results = java.util.stream.IntStream.range(0, modelGroups.size()).parallel()
                    .mapToObj(g -> {
                        String group = modelGroups.get(g);
                        int gi = g == 0 ? -1 : g - 1;
                        int[] gTrain = g == 0 ? trainRows : select(heldOut, false, groupOfRow, gi);
                        int[] gHold = g == 0 ? holdRows : select(heldOut, true, groupOfRow, gi);
                        GroupResult r = trainGroup(group, x, d, gTrain, gHold, recipe, recipeHash);
                        listener.progress(finished.incrementAndGet());
                        return r;
                    }).toList();
            for (GroupResult r : results) {
                String base = "models/" + TrafficGroups.fileSafe(r.group());
                Files.write(tmp.resolve(base + ".iforest.onnx"), r.iforestOnnx());
                Files.write(tmp.resolve(base + ".kmeans.onnx"), r.kmeansOnnx());
                models.add(r.iforest());
                models.add(r.kmeans());
                combined.add(r.combined());
                String prov = "provenance/" + TrafficGroups.fileSafe(r.group()) + ".kmeans.tribuo.json";
                Files.writeString(tmp.resolve(prov), r.tribuoProvenance());
                provenanceFiles.add(prov);
            }
            listener.stageDone();
            seconds.put("models", since(t));

            List<ModelIndex.Baseline> baselines = List.of(
                    baseline(frame, holdRows, "bytes", List.of("orig_bytes", "resp_bytes")),
                    baseline(frame, holdRows, "packets", List.of("orig_pkts", "resp_pkts")));

            t = System.nanoTime();
            listener.stage("host profiles", 0);
            HostProfiles.build(inputs, tmp.resolve("profiles"));
            listener.stageDone();
            seconds.put("profiles", since(t));

            ModelIndex index = new ModelIndex(ModelIndex.CURRENT_VERSION, config.site(), featureSchemaHash,
                    "recipe.json", groups, models, combined, baselines, "profiles", config.profileRules());
            Files.write(tmp.resolve("recipe.json"), recipeJson);
            Files.write(tmp.resolve(ModelIndex.FILE), index.toJson());
            seconds.put("total", since(tStart));
            TrainingRun run = new TrainingRun(config.site(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    config, inputFiles, frame.rows(), trainRows.length, holdRows.length,
                    iso(frame.minTsMicros()), iso(frame.maxTsMicros()), FlowSchema.base().hash(), versions(), seconds,
                    provenanceFiles);
            Files.write(tmp.resolve(TrainingRun.FILE), run.toJson());

            if (Files.isDirectory(outDir)) {
                Files.delete(outDir); // checkOutput allowed only an empty one
            }
            Files.move(tmp, outDir, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return new TrainedBundle(outDir, listFiles(outDir), recipe, index, run);
        } finally {
            if (!done) {
                deleteTree(tmp);
            }
        }
    }

    private record GroupResult(String group, ModelIndex.Model iforest, byte[] iforestOnnx, ModelIndex.Model kmeans,
                               byte[] kmeansOnnx, ModelIndex.Combined combined, String tribuoProvenance) {}

    /** Both models of one group, calibrated on the group's held-out rows, and their combined threshold. */
    private GroupResult trainGroup(String group, float[] x, int d, int[] gTrain, int[] gHold, FeatureRecipe recipe,
                                   String recipeHash) {
        long groupSeed = config.seed() * 31 + group.hashCode();
        String base = "models/" + TrafficGroups.fileSafe(group);
        IsolationForestConfig fc = config.forest();
        IsolationForest forest = new IsolationForestTrainer(
                new IsolationForestConfig(fc.trees(), fc.sampleSize(), groupSeed)).train(x, d, gTrain);
        double[] ifHold = rawScores(JavaModelScorer.of(forest, 0, 1), x, d, gHold);
        Calibration ifCal = Calibrator.calibrate(ifHold, perModelRate());
        byte[] ifOnnx = IsolationForestOnnx.export(forest, ifCal.median(), ifCal.threshold(), group + "/iforest",
                metadata(group, ModelKind.ISOLATION_FOREST, recipeHash, ifCal, recipe)).toByteArray();
        ModelIndex.Model ifModel = new ModelIndex.Model(group + "/iforest", ModelKind.ISOLATION_FOREST.id(), group,
                base + ".iforest.onnx", recipe.names(), ifCal.threshold(), gTrain.length, ifCal,
                "trees=" + forest.trees().size() + " sample=" + forest.sampleSize() + " height_limit="
                        + IsolationForestConfig.heightLimit(forest.sampleSize()));

        KMeansConfig kc = config.kmeans();
        KMeansDistanceTrainer.Result km = new KMeansDistanceTrainer(
                new KMeansConfig(kc.maxClusters(), kc.iterations(), kc.maxRows(), groupSeed))
                .train(x, d, gTrain, config.site() + " " + group);
        double[] kmHold = rawScores(JavaModelScorer.of(km.model(), 0, 1), x, d, gHold);
        Calibration kmCal = Calibrator.calibrate(kmHold, perModelRate());
        byte[] kmOnnx = KMeansOnnx.export(km.model(), kmCal.median(), kmCal.threshold(), group + "/kmeans",
                metadata(group, ModelKind.KMEANS, recipeHash, kmCal, recipe)).toByteArray();
        ModelIndex.Model kmModel = new ModelIndex.Model(group + "/kmeans", ModelKind.KMEANS.id(), group,
                base + ".kmeans.onnx", recipe.names(), kmCal.threshold(), gTrain.length, kmCal,
                "k=" + km.model().clusters() + " iterations=" + kc.iterations() + " distance=L2 init=k-means++"
                        + " sample=" + Math.min(kc.maxRows(), gTrain.length));

        int above = 0;
        for (int i = 0; i < gHold.length; i++) {
            if (Math.max(ifCal.normalise(ifHold[i]), kmCal.normalise(kmHold[i])) >= 1) {
                above++;
            }
        }
        String prov = new JsonProvenanceSerialization(true).marshalAndSerialize(km.tribuoModel().getProvenance());
        return new GroupResult(group, ifModel, ifOnnx, kmModel, kmOnnx,
                new ModelIndex.Combined(group, 1.0, gHold.length == 0 ? 0 : above / (double) gHold.length), prov);
    }

    /**
     * Each model's share of the target rate. The combined score alerts when any model does, so by the union bound
     * its false-alarm rate is at most the sum of the models' rates: α split evenly keeps the whole at α.
     */
    private double perModelRate() {
        return config.targetRate() / ModelKind.values().length;
    }

    private boolean[] split(int rows) {
        SplittableRandom rnd = new SplittableRandom(config.seed() ^ 0x686f6c646f7574L);
        boolean[] held = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            held[i] = rnd.nextDouble() < config.holdoutFraction();
        }
        return held;
    }

    /** Rows whose held-out flag is {@code held} and, when {@code groupOfRow} is given, whose group is {@code g}. */
    private static int[] select(boolean[] heldOut, boolean held, int[] groupOfRow, int g) {
        int n = 0;
        for (int i = 0; i < heldOut.length; i++) {
            if (heldOut[i] == held && (groupOfRow == null || groupOfRow[i] == g)) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < heldOut.length; i++) {
            if (heldOut[i] == held && (groupOfRow == null || groupOfRow[i] == g)) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** Services with enough training rows, busiest first (ties by name), at most {@code maxGroups}. */
    private TrafficGroups chooseGroups(FlowFrame frame, int[] trainRows, int[] groupOfRow) {
        int[] proto = frame.codes("proto");
        float[] port = frame.column("resp_p");
        List<String> protoNames = frame.dictionaries().get("proto");
        Map<String, Integer> counts = new HashMap<>();
        String[] keyOfRow = new String[frame.rows()];
        Map<String, String> interned = new HashMap<>();
        for (int i = 0; i < frame.rows(); i++) {
            String k = TrafficGroups.key(protoNames.get(proto[i]), (int) port[i]);
            keyOfRow[i] = interned.computeIfAbsent(k, s -> s);
        }
        for (int r : trainRows) {
            counts.merge(keyOfRow[r], 1, Integer::sum);
        }
        List<String> chosen = counts.entrySet().stream()
                .filter(e -> e.getValue() >= config.minGroupRows())
                .sorted(Comparator.comparing((Map.Entry<String, Integer> e) -> -e.getValue()).thenComparing(Map.Entry::getKey))
                .limit(config.maxGroups())
                .map(Map.Entry::getKey)
                .toList();
        Map<String, Integer> pos = new HashMap<>();
        for (int i = 0; i < chosen.size(); i++) {
            pos.put(chosen.get(i), i);
        }
        for (int i = 0; i < frame.rows(); i++) {
            groupOfRow[i] = pos.getOrDefault(keyOfRow[i], -1);
        }
        return new TrafficGroups(TrafficGroups.SERVICE_RULE, config.minGroupRows(), chosen);
    }

    static double[] rawScores(JavaModelScorer scorer, float[] x, int d, int[] rows) {
        double[] out = new double[rows.length];
        java.util.stream.IntStream.range(0, rows.length).parallel().forEach(i -> out[i] = scorer.rawAt(x, rows[i] * d));
        return out;
    }

    private ModelIndex.Baseline baseline(FlowFrame frame, int[] holdRows, String name, List<String> columns) {
        double[] v = new double[holdRows.length];
        for (String c : columns) {
            float[] col = frame.column(c);
            for (int i = 0; i < holdRows.length; i++) {
                float f = col[holdRows[i]];
                v[i] += Float.isNaN(f) ? 0 : f;
            }
        }
        Calibration cal = Calibrator.calibrate(v, config.targetRate());
        return new ModelIndex.Baseline(name, columns, cal.threshold(), cal);
    }

    private Map<String, String> metadata(String group, ModelKind kind, String recipeHash, Calibration cal,
                                         FeatureRecipe recipe) {
        Map<String, String> m = new TreeMap<>();
        m.put("vigie.site", config.site());
        m.put("vigie.group", group);
        m.put("vigie.kind", kind.id());
        m.put("vigie.recipe_sha256", recipeHash);
        m.put("vigie.inputs", String.join(",", recipe.names()));
        m.put("vigie.threshold", Double.toString(cal.threshold()));
        m.put("vigie.median", Double.toString(cal.median()));
        m.put("vigie.calibration", cal.rule() + " at " + cal.targetRate());
        m.put("vigie.seed", Long.toString(config.seed()));
        m.put("vigie.outputs", "score: (raw - median) / (threshold - median), 0 = typical benign, 1.0 = threshold; raw_score: the model's own score");
        return m;
    }

    private static List<TrainingRun.InputFile> describeInputs(List<Path> inputs, TrainingListener listener)
            throws TrainingInputException, IOException {
        Map<Path, Long> rows = ParquetFlows.rowCounts(checked(inputs));
        List<TrainingRun.InputFile> out = new ArrayList<>();
        listener.stage("hashing inputs", inputs.size());
        for (Path p : inputs) {
            out.add(new TrainingRun.InputFile(p.toString(), TrainingRun.sha256(p), Files.size(p), rows.get(p)));
            listener.progress(out.size());
        }
        listener.stageDone();
        return out;
    }

    private static List<Path> checked(List<Path> inputs) throws TrainingInputException {
        if (inputs.isEmpty()) {
            throw new TrainingInputException("no feature file given");
        }
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                throw new TrainingInputException(p + ": no such file");
            }
        }
        return inputs;
    }

    private static void checkOutput(Path outDir) throws TrainingInputException, IOException {
        if (Files.exists(outDir)) {
            if (!Files.isDirectory(outDir)) {
                throw new TrainingInputException(outDir + " exists and is not a directory");
            }
            try (var s = Files.list(outDir)) {
                if (s.findAny().isPresent()) {
                    throw new TrainingInputException(outDir + " exists and is not empty (remove it or choose another)");
                }
            }
        }
        Path parent = outDir.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new TrainingInputException("cannot create " + outDir + ": no parent directory " + parent);
        }
    }

    static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        String vigie = Trainer.class.getPackage().getImplementationVersion();
        v.put("vigie", vigie == null ? "dev" : vigie);
        v.put("java", Runtime.version().toString());
        v.put("tribuo", org.tribuo.Tribuo.VERSION);
        try {
            v.put("onnxruntime", ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion());
        } catch (RuntimeException | LinkageError e) {
            v.put("onnxruntime", "unavailable");
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version()")) {
            rs.next();
            v.put("duckdb", rs.getString(1));
        } catch (java.sql.SQLException e) {
            v.put("duckdb", "unavailable");
        }
        return v;
    }

    static String iso(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).toString();
    }

    static double since(long nanos) {
        return Math.round((System.nanoTime() - nanos) / 1e6) / 1e3;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> listFiles(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                files.add(dir.relativize(file).toString().replace('\\', '/'));
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        return files;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary directory is harmless
                }
            });
        } catch (IOException ignored) {
            // idem
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
