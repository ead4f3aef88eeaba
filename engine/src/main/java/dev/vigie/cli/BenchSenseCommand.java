package dev.vigie.cli;

import dev.vigie.bundle.BundleVerifier;
import dev.vigie.bundle.RollbackState;
import dev.vigie.bundle.TrustStore;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.rules.RuleSet;
import dev.vigie.rules.RuleSources;
import dev.vigie.sensor.AlertTable;
import dev.vigie.sensor.LatencyRecorder;
import dev.vigie.sensor.LoopingReplay;
import dev.vigie.sensor.ModelBundle;
import dev.vigie.sensor.RollingParquet;
import dev.vigie.sensor.ScoreTable;
import dev.vigie.sensor.Sensor;
import dev.vigie.sensor.SensorConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigie bench sense}: the sensor's whole path (decode, flows, protocol analyzers, micro-batch ONNX scoring,
 * profiles, built-in rules, flow and score files) on a capture in page cache, one thread. Prints packets/s, the
 * end-of-flow → alert latency distribution, and the heap after each GC over time (flat = no leak).
 */
@Command(name = "sense", mixinStandardHelpOptions = true,
        description = {"The sensor on a capture file, replayed in laps (time-shifted) for --minutes or --laps:",
                "packets/s, flows/s, scoring and rule time, end-of-flow to alert latency (p50/p99/max), heap over time."})
final class BenchSenseCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE")
    List<Path> captures;

    @Option(names = "--bundle", required = true, paramLabel = "BUNDLE", description = "Signed bundle (e.g. vigie-demo/bundle).")
    Path bundle;

    @Option(names = "--trust", required = true, paramLabel = "DIR", description = "Trust directory (e.g. vigie-demo/trust).")
    Path trust;

    @Option(names = "--laps", description = "Laps over the capture at most (default: ${DEFAULT-VALUE}).")
    int laps = 3;

    @Option(names = "--minutes", description = "Stop after this much wall time (default: laps only).")
    double minutes;

    @Option(names = "--batch-rows", description = "Micro-batch rows (default: ${DEFAULT-VALUE}).")
    int batchRows = SensorConfig.DEFAULT_BATCH_ROWS;

    @Option(names = "--batch-delay", paramLabel = "MS", description = "Micro-batch maximum delay (default: ${DEFAULT-VALUE} ms).")
    long batchDelay = SensorConfig.DEFAULT_MAX_DELAY.toMillis();

    @Option(names = "--no-assets", description = "Without the asset inventory (as vigie sense --no-assets).")
    boolean noAssets;

    @Option(names = "--no-output", description = "Do not write flow and score files (measure the scoring path alone).")
    boolean noOutput;

    @Mixin
    FlowOptions flowOptions = new FlowOptions();

    /** Latency samples in microseconds; grows as needed (bench only). */
    static final class Samples implements LatencyRecorder {
        long[] us = new long[1 << 16];
        int n;

        @Override
        public void record(long nanos) {
            if (n == us.length) {
                us = Arrays.copyOf(us, n * 2);
            }
            us[n++] = nanos / 1000;
        }

        long quantile(double q) {
            if (n == 0) {
                return 0;
            }
            long[] s = Arrays.copyOf(us, n);
            Arrays.sort(s);
            return s[(int) Math.min(n - 1, Math.floor(q * n))];
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = new PrintWriter(System.out, true);
        Path tmp = Files.createTempDirectory("vigie-bench-sense");
        FlowExtractor extractor = StandardPipeline.extractor(flowOptions.toConfig(), batchRows);
        BundleVerifier verifier = new BundleVerifier(TrustStore.fromDirectory(trust),
                RollbackState.at(tmp.resolve("state.json")));
        ModelBundle models = SenseCommand.loadBundle(verifier, bundle, extractor.schema().hash());
        RuleSet rules = DetectCommand.compile(RuleSources.load(true, List.of()), extractor,
                dev.vigie.rules.lists.ListRegistry.empty(), out);
        SensorConfig config = new SensorConfig(tmp, batchRows, Duration.ofMillis(batchDelay), Duration.ofMinutes(10),
                1_000_000, Duration.ofMinutes(10), Duration.ofMinutes(5), !noOutput);
        Samples alertLatency = new Samples();
        Samples scoring = new Samples();
        AlertTable table = new AlertTable();
        long[] alerts = {0};
        out.printf(Locale.ROOT, "machine: %d cores, Java %s, max heap %s; bundle %s; %d rules; batches of %d rows or %d ms%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), Format.bytes(Runtime.getRuntime().maxMemory()),
                models.label(), rules.active().size(), batchRows, batchDelay);
        long start = System.nanoTime();
        long[] nextHeap = {start};
        Sensor.Tickable heapLog = (now, status) -> {
            if (now != Long.MAX_VALUE && now >= nextHeap[0]) {
                nextHeap[0] = now + 30_000_000_000L;
                out.printf(Locale.ROOT, "heap at %5.0f s: %s used, %s after the last GC%n", (now - start) / 1e9,
                        Format.bytes(heapUsed()), Format.bytes(heapAfterLastGc()));
            }
        };
        ExtractionCounters counters = new ExtractionCounters();
        Sensor.Report r = null;
        dev.vigie.assets.AssetTracker assets = null;
        LoopingReplay source = new LoopingReplay(captures, counters.capture, laps,
                minutes > 0 ? (long) (minutes * 60e9) : 0);
        try (BufferAllocator allocator = new RootAllocator();
             source;
             RollingParquet flows = new RollingParquet(tmp.resolve("flows"), "flows", extractor.schema().arrowSchema(),
                     allocator, 1_000_000, Long.MAX_VALUE);
             RollingParquet scores = new RollingParquet(tmp.resolve("scores"), "scores", ScoreTable.SCHEMA.arrowSchema(),
                     allocator, 3_000_000, Long.MAX_VALUE)) {
            List<dev.vigie.flow.FlowSink> extra = List.of();
            if (!noAssets) {
                assets = new dev.vigie.assets.AssetTracker(dev.vigie.assets.AssetConfig.defaults(), extractor.schema(), allocator);
                new dev.vigie.assets.AssetDetector(null, Duration.ZERO, a -> alerts[0]++).attach(assets);
                extractor.addTaps(List.of(assets));
                extra = List.of(assets);
            }
            Sensor sensor = new Sensor(config, extractor, rules, extra, Sensor.BundleSource.NONE, m -> { },
                    scoring, alertLatency, List.of(heapLog));
            r = sensor.run(source, counters, allocator, models, a -> {
                alerts[0]++;
                table.accept(a);
            }, noOutput ? b -> { } : flows, noOutput ? b -> { } : scores, ProgressListener.NONE);
            long t = System.nanoTime();
            flows.commit();
            scores.commit();
            if (assets != null) {
                out.printf(Locale.ROOT, "assets: %,d held, %s by their accounting, %.2f s in the inventory (%.2f us per flow)%n",
                        assets.size(), Format.bytes(assets.estimatedBytes()), assets.busyNanos() / 1e9,
                        assets.busyNanos() / 1e3 / Math.max(1, assets.counters().flows));
                assets.close();
            }
            out.printf(Locale.ROOT, "files: %,d flow rows and %,d score rows written by the writer threads; %.2f s to finish after the run;"
                            + " the packet loop waited %.2f s for them (%,d batches)%n",
                    flows.rows(), scores.rows(), (System.nanoTime() - t) / 1e9,
                    (flows.stalledNanos() + scores.stalledNanos()) / 1e9, flows.stalls() + scores.stalls());
        } finally {
            deleteTree(tmp);
        }
        if (counters.capture.packets == 0) {
            throw new UserError(3, "nothing could be read from the input");
        }
        double s = counters.elapsedSeconds();
        out.printf(Locale.ROOT, "%d lap(s): %,d packets in %.2f s: %,.0f packets/s, %,.1f MB/s; %,d flow records, %,.0f flows/s%n",
                source.laps(), counters.capture.packets, s, counters.capture.packets / s,
                counters.capture.capturedBytes / s / 1e6, counters.rows, counters.rows / s);
        double[] laps = source.lapRates();
        if (laps.length >= 3) {
            // The first laps pay for the JIT compiler (on one core it takes half the CPU for ~15 s); a sensor runs for
            // days, so the laps after them are the figure to compare with a throughput target. They are aggregated
            // (packets over time), not a median, so a lap slowed by the conversion of a rolled file counts in full.
            StringBuilder each = new StringBuilder();
            for (int i = 0; i < laps.length; i++) {
                if (laps.length > 20 && i == 10) {
                    each.append(", ... (").append(laps.length - 15).append(" more)");
                    i = laps.length - 5;
                }
                each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", laps[i]));
            }
            int from = Math.min(2, laps.length - 1);
            double time = 0;
            for (int i = from; i < laps.length; i++) time += 1 / laps[i]; // every lap holds the same packets
            out.printf(Locale.ROOT, "per lap (packets/s): %s; after warm-up (laps %d-%d): %,.0f packets/s"
                    + " (JIT compiler busy %.1f %% of those laps' wall time)%n",
                    each, from + 1, laps.length, (laps.length - from) / time, 100 * source.compilerShare(from));
        }
        out.printf(Locale.ROOT, "scoring: %,d batches, %,d rows, %.2f s (%.1f%% of the run, %,.0f rows/s while scoring); "
                        + "batch p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                r.batches(), r.rowsScored(), r.scoringNanos() / 1e9, 100.0 * r.scoringNanos() / Math.max(1, counters.elapsedNanos),
                r.rowsScored() / Math.max(1e-9, r.scoringNanos() / 1e9), scoring.quantile(0.5) / 1e3,
                scoring.quantile(0.99) / 1e3, scoring.quantile(1.0) / 1e3);
        out.printf(Locale.ROOT, "rules: %.2f s (%.1f%% of the run, %.2f us per flow); alerts %,d (models %,d, profiles %,d, rules %,d)%n",
                r.ruleBusyNanos() / 1e9, 100.0 * r.ruleBusyNanos() / Math.max(1, counters.elapsedNanos),
                r.ruleBusyNanos() / 1e3 / Math.max(1, counters.rows), alerts[0], r.mlAlerts(), r.profileAlerts(), r.ruleAlerts());
        out.printf(Locale.ROOT, "end of flow -> alert: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %,d model/profile alerts "
                        + "(target p99 <= batch delay + 5 ms = %d ms)%n",
                alertLatency.quantile(0.5) / 1e3, alertLatency.quantile(0.99) / 1e3, alertLatency.quantile(1.0) / 1e3,
                alertLatency.n, batchDelay + 5);
        out.printf(Locale.ROOT, "heap at the end: %s used, %s after the last GC; peak %s%n", Format.bytes(heapUsed()),
                Format.bytes(heapAfterLastGc()), Format.bytes(BenchCommand.peakHeap()));
        return 0;
    }

    static long heapUsed() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Heap in use right after the last collection, summed over the heap pools: the live set, flat when nothing leaks. */
    static long heapAfterLastGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (u != null) {
                used += u.getUsed();
            }
        }
        return used;
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
