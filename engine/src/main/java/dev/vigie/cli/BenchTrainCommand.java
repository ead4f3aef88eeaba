package dev.vigie.cli;

import dev.vigie.training.TrainConfig;
import dev.vigie.training.TrainedBundle;
import dev.vigie.training.Trainer;
import dev.vigie.training.TrainingListener;
import dev.vigie.training.data.TrainingInputException;
import dev.vigie.training.synth.Resampled;
import dev.vigie.training.synth.SyntheticFlows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigie bench train}: wall time of a whole training run on N flows. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train on N flows and report the wall time of each stage. The flows are resampled from real",
                "flow files (--from) with 10% log-normal noise, or synthetic when none is given."})
public final class BenchTrainCommand implements Callable<Integer> {
    @Option(names = "--rows", description = "Flows to train on (default: ${DEFAULT-VALUE}).")
    int rows = 1_000_000;

    @Option(names = "--from", paramLabel = "FEATURES", description = "Real flow-record Parquet files to resample.")
    List<Path> from = List.of();

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--keep", paramLabel = "DIR", description = "Keep the data and the bundle in DIR.")
    Path keep;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        java.io.PrintWriter out = spec.commandLine().getOut();
        Path work = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("vigie-bench-train");
        try {
            Path data = work.resolve("flows.parquet");
            Files.deleteIfExists(data);
            long t0 = System.nanoTime();
            if (from.isEmpty()) {
                SyntheticFlows.writeBenign(data, rows, seed, 7);
            } else {
                Resampled.write(from, data, rows, seed, 7);
            }
            out.printf(Locale.ROOT, "machine: %d cores, Java %s, max heap %s%n", Runtime.getRuntime().availableProcessors(),
                    Runtime.version(), Format.bytes(Runtime.getRuntime().maxMemory()));
            out.printf(Locale.ROOT, "data: %,d %s flows written in %.1f s (not counted)%n", rows,
                    from.isEmpty() ? "synthetic" : "resampled", (System.nanoTime() - t0) / 1e9);
            Path bundleDir = work.resolve("bundle");
            deleteTree(bundleDir);
            long t1 = System.nanoTime();
            long cpu0 = cpuNanos();
            TrainedBundle b = new Trainer(TrainConfig.defaults("bench", seed)).train(List.of(data), bundleDir, TrainingListener.NONE);
            double s = (System.nanoTime() - t1) / 1e9;
            double cpu = (cpuNanos() - cpu0) / 1e9;
            // On a shared machine wall time depends on the neighbours; CPU time is what this run consumed.
            out.printf(Locale.ROOT, "train: %,d flows in %.1f s wall, %.1f s CPU (%,.0f flows/s); groups: all%s%n",
                    b.run().rows(), s, cpu, b.run().rows() / s, b.index().groups().groups().isEmpty() ? "" : ", " + String.join(", ", b.index().groups().groups()));
            out.println("stages (s): " + b.run().seconds());
            out.printf(Locale.ROOT, "peak heap %s%n", Format.bytes(BenchCommand.peakHeap()));
        } catch (TrainingInputException e) {
            throw new UserError(3, e.getMessage(), e);
        } finally {
            if (keep == null) {
                deleteTree(work);
            }
        }
        out.flush();
        return 0;
    }

    static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
