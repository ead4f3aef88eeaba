package dev.vigie.cli;

import ai.onnxruntime.OrtException;
import dev.vigie.training.ModelIndex;
import dev.vigie.training.TrainConfig;
import dev.vigie.training.Trainer;
import dev.vigie.training.TrainingListener;
import dev.vigie.training.TrafficGroups;
import dev.vigie.training.data.FlowFrame;
import dev.vigie.training.data.ParquetFlows;
import dev.vigie.training.data.TrainingInputException;
import dev.vigie.training.features.FeatureCatalog;
import dev.vigie.training.features.FeatureRecipe;
import dev.vigie.training.features.Sampling;
import dev.vigie.training.scoring.OnnxModelScorer;
import dev.vigie.training.scoring.OnnxScorer;
import dev.vigie.training.synth.SyntheticFlows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigie bench score}: ONNX Runtime scoring throughput on one thread, per model and for a whole bundle. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score N flows with each ONNX model of a bundle on one thread (batches of 4096) and with the",
                "whole bundle (recipe, routing by service, every model); prints flows/s. Without --bundle, a bundle",
                "is trained on synthetic flows first."})
public final class BenchScoreCommand implements Callable<Integer> {
    @Option(names = "--rows", description = "Flows to score per pass (default: ${DEFAULT-VALUE}).")
    int rows = 1_000_000;

    @Option(names = "--bundle", paramLabel = "BUNDLE_DIR", description = "Bundle to score with.")
    Path bundle;

    @Option(names = "--repeat", description = "Timed passes after one warm-up pass (default: ${DEFAULT-VALUE}).")
    int repeat = 3;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        java.io.PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("vigie-bench-score");
        try {
            Path data = work.resolve("flows.parquet");
            SyntheticFlows.writeBenign(data, rows, 7, 7);
            Path b = bundle;
            if (b == null) {
                Path train = work.resolve("train.parquet");
                SyntheticFlows.writeBenign(train, 100_000, 1, 7);
                b = work.resolve("bundle");
                new Trainer(TrainConfig.defaults("bench", 42)).train(List.of(train), b, TrainingListener.NONE);
            }
            ModelIndex index = ModelIndex.fromJson(Files.readAllBytes(b.resolve(ModelIndex.FILE)));
            FeatureRecipe recipe = FeatureRecipe.fromJson(Files.readAllBytes(b.resolve(index.recipe())));
            LinkedHashSet<String> cols = new LinkedHashSet<>(recipe.numericColumns());
            cols.addAll(FeatureCatalog.numericColumns());
            FlowFrame frame = ParquetFlows.read(List.of(data), cols);
            int[] all = Sampling.range(frame.rows());
            // Timed like the models (a single cold pass measured the JIT's warm-up as much as the recipe).
            float[][] inputs = new float[1][];
            double recipeBest = bestRate(frame.rows(), () -> inputs[0] = recipe.apply(frame, all));
            float[] x = inputs[0];
            out.printf(Locale.ROOT, "machine: %d cores, Java %s; %,d flows, %d inputs; recipe applied at %,.0f flows/s%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), frame.rows(), recipe.width(),
                    recipeBest);
            for (ModelIndex.Model m : index.models()) {
                if (!m.group().equals(TrafficGroups.SITE_WIDE)) {
                    continue;
                }
                try (OnnxModelScorer s = new OnnxModelScorer(Files.readAllBytes(b.resolve(m.file())), recipe.width(), 1)) {
                    double best = bestRate(frame.rows(), () -> s.score(x, frame.rows()));
                    out.printf(Locale.ROOT, "%-22s %,12.0f flows/s (one thread, ONNX Runtime, batch %d; %s)%n",
                            m.name(), best, OnnxModelScorer.BATCH, m.parameters());
                }
            }
            try (OnnxScorer scorer = OnnxScorer.open(b)) {
                double best = bestRate(frame.rows(), () -> scorer.score(frame, all));
                out.printf(Locale.ROOT, "%-22s %,12.0f flows/s (recipe + routing + %d models of %d groups)%n",
                        "whole bundle", best, index.models().size(), 1 + index.groups().groups().size());
            }
        } catch (TrainingInputException e) {
            throw new UserError(3, e.getMessage(), e);
        } catch (OrtException e) {
            throw new UserError(3, "ONNX Runtime: " + e.getMessage(), e);
        } finally {
            BenchTrainCommand.deleteTree(work);
        }
        out.flush();
        return 0;
    }

    /** One pass of the timed work. */
    private interface Pass {
        void run() throws OrtException;
    }

    /** Rows per second of the best of {@link #repeat} timed passes, after one untimed warm-up pass. */
    private double bestRate(int rows, Pass pass) throws OrtException {
        double best = 0;
        for (int k = 0; k <= repeat; k++) {
            long t0 = System.nanoTime();
            pass.run();
            double secs = (System.nanoTime() - t0) / 1e9;
            if (k > 0) {
                best = Math.max(best, rows / secs);
            }
        }
        return best;
    }
}
