package dev.vigie.cli;

import dev.vigie.training.BundleManifests;
import dev.vigie.training.ModelIndex;
import dev.vigie.training.TrainConfig;
import dev.vigie.training.TrainedBundle;
import dev.vigie.training.Trainer;
import dev.vigie.training.data.TrainingInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigie train}: benign flow records → a bundle directory of per-site models, ready to be signed. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train per-site anomaly models on benign flow records (Parquet from 'vigie extract').",
                "Writes a bundle directory: recipe.json, models.json, models/*.onnx, profiles/*.parquet, manifest.json,",
                "training.json (inputs with SHA-256, rows, time range, seed, versions) and Tribuo provenance."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:bundle written", "2:usage error", "3:unusable input (missing file, columns, too few rows)",
                "4:cannot write the bundle"})
public final class TrainCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FEATURES", description = "Flow-record Parquet files (benign traffic).")
    List<Path> inputs;

    @Option(names = "--site", required = true, paramLabel = "NAME", description = "Site the models are for.")
    String site;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "BUNDLE_DIR",
            description = "Bundle directory to create (must not exist or be empty).")
    Path output;

    @Option(names = "--seed", paramLabel = "N", description = "Seed; same data and seed give identical models (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--false-alarm-rate", paramLabel = "RATE",
            description = "Alerts wanted per benign flow when setting thresholds (default: ${DEFAULT-VALUE}, 1 per 10,000).")
    double rate = 1e-4;

    @Option(names = "--min-group-rows", paramLabel = "N",
            description = "Training rows a service (proto/port) needs for models of its own (default: ${DEFAULT-VALUE}).")
    int minGroupRows = 20_000;

    @Option(names = "--trees", paramLabel = "N",
            description = "Isolation forest trees per model (default: ${DEFAULT-VALUE}, Liu, Ting and Zhou's).")
    int trees = dev.vigie.training.iforest.IsolationForestConfig.DEFAULT_TREES;

    @Option(names = "--sample-size", paramLabel = "N",
            description = "Rows each isolation tree is grown on; the height limit is ceil(log2 N) "
                    + "(default: ${DEFAULT-VALUE}).")
    int sampleSize = dev.vigie.training.iforest.IsolationForestConfig.DEFAULT_SAMPLE;

    @Option(names = "--bundle-version", paramLabel = "N",
            description = "Bundle version, monotonic per site (default: the creation time in epoch seconds).")
    Long bundleVersion;

    @Option(names = "--assets", paramLabel = "ASSETS",
            description = "Reference asset inventory (assets.parquet from 'vigie assets' over the same window, or a CMDB .csv "
                    + "turned into one) to sign into the bundle: the sensor's shadow-IT and biomedical baseline.")
    Path assets;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary.")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!site.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new UserError(2, "site name must be letters, digits, '.', '_' or '-' (at most 64): " + site);
        }
        if (!(rate > 0 && rate < 1)) {
            throw new UserError(2, "--false-alarm-rate must be between 0 and 1, got " + rate);
        }
        if (minGroupRows < 2) {
            throw new UserError(2, "--min-group-rows must be at least 2");
        }
        if (trees < 1 || trees > 10_000) {
            throw new UserError(2, "--trees must be between 1 and 10,000, got " + trees);
        }
        if (sampleSize < 2 || sampleSize > 65_536) {
            throw new UserError(2, "--sample-size must be between 2 and 65,536, got " + sampleSize);
        }
        if (assets != null) {
            AssetsCommand.loadInventory(assets); // refuse a file that is not an inventory before training
            if (!assets.getFileName().toString().endsWith(".parquet")) {
                throw new UserError(2, "--assets takes an assets.parquet (a CMDB .csv: 'vigie assets import' first)");
            }
        }
        TrainConfig config = TrainConfig.defaults(site, seed).withTargetRate(rate).withMinGroupRows(minGroupRows)
                .withForest(trees, sampleSize);
        TrainProgress progress = new TrainProgress(System.err, quiet);
        TrainedBundle bundle;
        try {
            bundle = new Trainer(config, StandardPipeline.schema().hash()).train(inputs, output, progress);
            if (assets != null) {
                java.nio.file.Path target = output.resolve(dev.vigie.sensor.ModelBundle.ASSET_REFERENCE);
                java.nio.file.Files.createDirectories(target.getParent());
                java.nio.file.Files.copy(assets, target);
            }
            java.time.Instant now = java.time.Instant.now();
            BundleManifests.write(bundle, bundleVersion != null ? bundleVersion : now.getEpochSecond(), now);
        } catch (TrainingInputException e) {
            throw new UserError(3, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(2, e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(4, "cannot write " + output + ": " + ExtractCommand.rootMessage(e), e);
        } finally {
            progress.finish();
        }
        if (!quiet) {
            summary(bundle, spec.commandLine().getOut());
        }
        return 0;
    }

    static void summary(TrainedBundle b, PrintWriter out) {
        var run = b.run();
        out.printf(Locale.ROOT, "site         %s (seed %d)%n", run.site(), run.config().seed());
        out.printf(Locale.ROOT, "data         %,d flow records from %d file(s), %s .. %s%n", run.rows(), run.inputs().size(),
                run.timeStart(), run.timeEnd());
        out.printf(Locale.ROOT, "split        %,d training, %,d held out for calibration%n", run.trainRows(), run.heldOutRows());
        out.printf(Locale.ROOT, "features     %d (%d numeric, log1p + robust scaling; %d indicators)%n", b.recipe().width(),
                b.recipe().numericColumns().size(), b.recipe().width() - b.recipe().numericColumns().size());
        out.printf(Locale.ROOT, "groups       all%s%n", b.index().groups().groups().isEmpty() ? ""
                : ", " + String.join(", ", b.index().groups().groups()));
        out.printf(Locale.ROOT, "%-22s %10s %14s %9s %12s%n", "model", "train rows", "threshold", "rule", "held-out FAR");
        for (ModelIndex.Model m : b.index().models()) {
            out.printf(Locale.ROOT, "%-22s %,10d %14.6g %9s %12.2e%n", m.name(), m.trainRows(), m.threshold(),
                    m.calibration().rule().equals("empirical") ? "empirical" : "lognormal",
                    m.calibration().heldOutAlertRate());
        }
        out.printf(Locale.ROOT, "target       %.2e false alarms per flow; scores normalised so that 1.0 = threshold%n",
                run.config().targetRate());
        out.printf(Locale.ROOT, "bundle       %s (%d files + manifest.json, unsigned: 'vigie bundle sign') in %.1f s%n",
                b.dir(), b.files().size(), run.seconds().get("total"));
        out.flush();
    }
}
