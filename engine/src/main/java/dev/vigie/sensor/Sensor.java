package dev.vigie.sensor;

import dev.vigie.alerts.AlertSink;
import dev.vigie.capture.PacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.features.FlowBatchBuilder;
import dev.vigie.flow.FlowSink;
import dev.vigie.rules.RuleEngine;
import dev.vigie.rules.RuleSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One sensor run: capture → flows → feature rows in micro-batches → ONNX scoring and host profiles, next to the
 * rule layer → alerts. Everything runs on the calling thread (the packet loop); work that must happen on time
 * rather than per packet (closing a batch after its delay, swapping in a new bundle, rolling files) happens in
 * the loop's tick, so no second thread ever touches a batch or a model.
 * <p>
 * Alerts from every producer (rules, models, profiles, any extra detector) enter one {@link AlertSink}: the
 * caller's chain (suppressions, aggregation, files, syslog). Flow rows and score rows go to the caller's batch
 * consumers (rolling Parquet files) after scoring.
 */
public final class Sensor {

    /** Offers a newer verified bundle between batches, or null; it must not block (the loop waits for it). */
    @FunctionalInterface
    public interface BundleSource {
        ModelBundle poll();

        BundleSource NONE = () -> null;
    }

    /** What a run did, for the summary and the metrics. */
    public record Report(long batches, long rowsScored, long scoringNanos, long maxBatchNanos, long mlAlerts,
                         long profileAlerts, long ruleAlerts, long ruleBusyNanos, long scoreRows, int bundleSwaps,
                         String bundle) {}

    private final SensorConfig config;
    private final FlowExtractor extractor;
    private final RuleSet rules;
    private final List<FlowSink> extraSinks;
    private final BundleSource bundles;
    private final Consumer<ModelBundle> onSwap;
    private final LatencyRecorder scoringLatency;
    private final LatencyRecorder alertLatency;
    private final List<Tickable> tickables;

    /** Something the loop's tick drives (file rolling, reloading a suppression list, health rows, ...). */
    @FunctionalInterface
    public interface Tickable {
        void tick(long wallNanos, Status status) throws IOException;
    }

    /** The run's counters so far, read on the loop's thread (a tick, or the end of the run). */
    public interface Status {
        ExtractionCounters counters();

        long batches();

        long rowsScored();

        long scoringNanos();

        long mlAlerts();

        long profileAlerts();

        long ruleAlerts();

        int bundleSwaps();

        String bundle();

        /** Latest capture time of the flow records scored so far, ns since the epoch (0 before the first batch). */
        long captureNanos();
    }

    public Sensor(SensorConfig config, FlowExtractor extractor, RuleSet rules, List<FlowSink> extraSinks,
                  BundleSource bundles, Consumer<ModelBundle> onSwap, LatencyRecorder scoringLatency,
                  LatencyRecorder alertLatency, List<Tickable> tickables) {
        this.config = config;
        this.extractor = extractor;
        this.rules = rules;
        this.extraSinks = List.copyOf(extraSinks);
        this.bundles = bundles;
        this.onSwap = onSwap;
        this.scoringLatency = scoringLatency;
        this.alertLatency = alertLatency;
        this.tickables = List.copyOf(tickables);
    }

    public FlowExtractor extractor() {
        return extractor;
    }

    /**
     * Reads {@code source} to its end or until the extractor is asked to stop, scoring with {@code models} (and
     * whatever {@link BundleSource} swaps in). Closes the models in use at the end.
     */
    public Report run(PacketSource source, ExtractionCounters counters, BufferAllocator allocator, ModelBundle models,
                      AlertSink alerts, FlowBatchBuilder.BatchConsumer flowRows,
                      FlowBatchBuilder.BatchConsumer scoreRows, ProgressListener progress) throws IOException {
        long delay = config.maxBatchDelay().toNanos();
        int[] swaps = {0};
        try (ScoreTable scores = new ScoreTable(allocator, 4096, config.writeScores() ? scoreRows : b -> { });
             ModelStage stage = new ModelStage(models, alerts, flowRows, scores, scoringLatency, alertLatency);
             RuleEngine ruleEngine = new RuleEngine(rules, allocator, alerts, RuleEngine.Limits.DEFAULT)) {
            List<FlowSink> sinks = new ArrayList<>();
            sinks.add(stage);
            sinks.add(ruleEngine);
            sinks.addAll(extraSinks);
            Status status = new Status() {
                @Override public ExtractionCounters counters() { return counters; }
                @Override public long batches() { return stage.batches(); }
                @Override public long rowsScored() { return stage.rowsScored(); }
                @Override public long scoringNanos() { return stage.scoringNanos(); }
                @Override public long mlAlerts() { return stage.mlAlerts(); }
                @Override public long profileAlerts() { return stage.profileAlerts(); }
                @Override public long ruleAlerts() { return ruleEngine.alerts(); }
                @Override public int bundleSwaps() { return swaps[0]; }
                @Override public String bundle() { return stage.models().label(); }
                @Override public long captureNanos() { return stage.captureNanos(); }
            };
            long[] lastPoll = {System.nanoTime() - 1_000_000_000L}; // the first tick looks for a bundle at once
            FlowExtractor.LoopTick tick = batch -> {
                long now = System.nanoTime();
                if (batch.pendingRows() > 0 && now - stage.oldestPendingEndNanos() >= delay) {
                    batch.flushBatch();
                }
                if (now - lastPoll[0] >= 1_000_000_000L) {
                    lastPoll[0] = now;
                    ModelBundle next = bundles.poll();
                    if (next != null) {
                        batch.flushBatch(); // the rows collected so far are scored by the models they waited for
                        stage.swap(next).close();
                        swaps[0]++;
                        onSwap.accept(next);
                    }
                }
                for (Tickable t : tickables) {
                    try {
                        t.tick(now, status);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            extractor.run(source, counters, allocator, stage, sinks, progress, tick);
            stage.finish();
            for (Tickable t : tickables) {
                t.tick(Long.MAX_VALUE, status); // the end: a last health row, files completed by their owners
            }
            return new Report(stage.batches(), stage.rowsScored(), stage.scoringNanos(), stage.maxBatchNanos(),
                    stage.mlAlerts(), stage.profileAlerts(), ruleEngine.alerts(), ruleEngine.busyNanos(),
                    scores.written(), swaps[0], stage.models().label());
        }
    }
}
