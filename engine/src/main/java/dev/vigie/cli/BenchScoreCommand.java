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
            // Timed like the models: one warm-up pass, then the best of the timed ones (a single cold pass
            // measured the JIT's warm-up as much as the recipe).
            float[] x = null;
            double recipeBest = 0;
            for (int pass = 0; pass <= repeat; pass++) {
                long t = System.nanoTime();
                x = recipe.apply(frame, all);
                double secs = (System.nanoTime() - t) / 1e9;
                if (pass > 0) {
                    recipeBest = Math.max(recipeBest, frame.rows() / secs);
                }
            }
            out.printf(Locale.ROOT, "machine: %d cores, Java %s; %,d flows, %d inputs; recipe applied at %,.0f flows/s%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), frame.rows(), recipe.width(),
                    recipeBest);
            for (ModelIndex.Model m : index.models()) {
                if (!m.group().equals(TrafficGroups.SITE_WIDE)) {
                    continue;
                }
                try (OnnxModelScorer s = new OnnxModelScorer(Files.readAllBytes(b.resolve(m.file())), recipe.width(), 1)) {
                    double best = 0;
                    for (int pass = 0; pass <= repeat; pass++) {
                        long t0 = System.nanoTime();
                        s.score(x, frame.rows());
                        double secs = (System.nanoTime() - t0) / 1e9;
                        if (pass > 0) {
                            best = Math.max(best, frame.rows() / secs);
                        }
                    }
                    out.printf(Locale.ROOT, "%-22s %,12.0f flows/s (one thread, ONNX Runtime, batch %d; %s)%n",
                            m.name(), best, OnnxModelScorer.BATCH, m.parameters());
                }
            }
            try (OnnxScorer scorer = OnnxScorer.open(b)) {
                double best = 0;
                for (int pass = 0; pass <= repeat; pass++) {
                    long t0 = System.nanoTime();
                    scorer.score(frame, all);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    if (pass > 0) {
                        best = Math.max(best, frame.rows() / secs);
                    }
                }
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
}
