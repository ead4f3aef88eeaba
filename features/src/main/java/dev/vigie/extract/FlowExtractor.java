package dev.vigie.extract;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.capture.PacketSource;
import dev.vigie.decode.DecodeResult;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.decode.PacketDecoder;
import dev.vigie.features.FlowBatchBuilder;
import dev.vigie.features.FlowRow;
import dev.vigie.flow.FlowAnalyzer;
import dev.vigie.flow.FlowConfig;
import dev.vigie.flow.FlowSink;
import dev.vigie.flow.FlowTable;
import dev.vigie.schema.TableSchema;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The packet loop: capture → decode → flow table → feature rows. One thread, no allocation per packet. Flow
 * records go to a {@link FlowBatchBuilder} (Arrow batches) and to any extra {@link FlowSink}s (rules, scoring)
 * in the order given.
 */
public final class FlowExtractor {
    /** Rows per Arrow batch. */
    public static final int DEFAULT_BATCH_ROWS = 8192;
    private static final int PROGRESS_EVERY = 1 << 16;
    /** Packets between two {@link LoopTick} calls: a clock read every 256 packets costs nothing measurable. */
    public static final int TICK_EVERY = 256;

    /**
     * Called on the packet loop's thread every {@value #TICK_EVERY} packets and once more at the end of input: the
     * place for work that must happen on time rather than per flow (closing a micro-batch after its maximum delay,
     * swapping models between batches), without a second thread touching the batch.
     */
    @FunctionalInterface
    public interface LoopTick {
        void tick(BatchControl batches);

        LoopTick NONE = b -> { };
    }

    /** What a {@link LoopTick} may do with the batch being filled. */
    public interface BatchControl {
        /** Rows in the batch being filled. */
        int pendingRows();

        /** Hands the rows collected so far to the batch consumer now, as a short batch. */
        void flushBatch();
    }

    private final FlowConfig config;
    private final TableSchema<FlowRow> schema;
    private final List<FlowAnalyzer> analyzers;
    private final int batchRows;
    private PacketTap[] taps = new PacketTap[0];
    private volatile boolean stopRequested;

    public FlowExtractor(FlowConfig config, TableSchema<FlowRow> schema, List<FlowAnalyzer> analyzers, int batchRows) {
        this.config = config;
        this.schema = schema;
        this.analyzers = List.copyOf(analyzers);
        this.batchRows = batchRows;
    }

    public FlowExtractor(FlowConfig config) {
        this(config, dev.vigie.features.FlowSchema.base(), List.of(), DEFAULT_BATCH_ROWS);
    }

    /**
     * An extractor whose schema is the base columns plus the analyzers' columns, in order. A row's columns of an
     * analyzer with nothing for that flow ({@link dev.vigie.features.FeatureAnalyzer#hasValues}) are left null
     * without calling their writers.
     */
    public static FlowExtractor withAnalyzers(FlowConfig config, List<? extends dev.vigie.features.FeatureAnalyzer> analyzers) {
        return withAnalyzers(config, analyzers, DEFAULT_BATCH_ROWS);
    }

    /** As {@link #withAnalyzers(FlowConfig, List)}, with batches of {@code batchRows} rows (the sensor's micro-batches). */
    public static FlowExtractor withAnalyzers(FlowConfig config, List<? extends dev.vigie.features.FeatureAnalyzer> analyzers,
                                              int batchRows) {
        List<dev.vigie.schema.Column<FlowRow>> extra = new java.util.ArrayList<>();
        for (dev.vigie.features.FeatureAnalyzer a : analyzers) {
            extra.addAll(a.columns());
        }
        FlowExtractor x = new FlowExtractor(config, dev.vigie.features.FlowSchema.with(extra), List.copyOf(analyzers),
                batchRows);
        x.columnGroups = List.copyOf(analyzers);
        return x;
    }

    /** Analyzers whose columns follow the base columns in this order (set by {@link #withAnalyzers}). */
    private List<dev.vigie.features.FeatureAnalyzer> columnGroups = List.of();

    public TableSchema<FlowRow> schema() {
        return schema;
    }

    /** The feature analyzers of this extractor, in column order (for their counters). */
    public List<dev.vigie.features.FeatureAnalyzer> featureAnalyzers() {
        return columnGroups;
    }

    /** Adds observers of every decoded frame ({@link PacketTap}), called in this order before the flow table. */
    public FlowExtractor addTaps(List<? extends PacketTap> more) {
        PacketTap[] t = java.util.Arrays.copyOf(taps, taps.length + more.size());
        for (int i = 0; i < more.size(); i++) t[taps.length + i] = more.get(i);
        taps = t;
        return this;
    }

    /** Asks a running {@link #run} to stop after the current packet; live flows are then flushed as usual. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Reads {@code source} to its end (or until {@link #requestStop}), then ends every live flow.
     *
     * @param counters where to count; its {@code capture} part must be the one the source was opened with
     * @param consumer receives each full Arrow batch of flow rows
     * @param extra    more sinks that see every flow record after it was written to the batch
     */
    public ExtractionCounters run(PacketSource source, ExtractionCounters counters, BufferAllocator allocator,
                                  FlowBatchBuilder.BatchConsumer consumer, List<FlowSink> extra,
                                  ProgressListener progress) {
        return run(source, counters, allocator, consumer, extra, progress, LoopTick.NONE);
    }

    /** As {@link #run(PacketSource, ExtractionCounters, BufferAllocator, FlowBatchBuilder.BatchConsumer, List,
     * ProgressListener)}, calling {@code tick} every {@value #TICK_EVERY} packets and at the end of input. */
    public ExtractionCounters run(PacketSource source, ExtractionCounters counters, BufferAllocator allocator,
                                  FlowBatchBuilder.BatchConsumer consumer, List<FlowSink> extra,
                                  ProgressListener progress, LoopTick tick) {
        counters.startedNanos = System.nanoTime();
        try (FlowBatchBuilder rows = new FlowBatchBuilder(schema, allocator, batchRows, consumer)) {
            int column = dev.vigie.features.FlowSchema.base().columns().size();
            for (dev.vigie.features.FeatureAnalyzer a : columnGroups) {
                int n = a.columns().size();
                int at = 0;                                   // the analyzer's columns, in ranges the writer may skip
                for (dev.vigie.features.FeatureAnalyzer.ColumnGroup g : a.columnGroups()) {
                    if (g.from() > at) rows.skipWhenAbsent(column + at, column + g.from(), a::hasValues);
                    java.util.function.Predicate<dev.vigie.flow.Flow> present = g.present();
                    rows.skipWhenAbsent(column + g.from(), column + g.to(), f -> a.hasValues(f) && present.test(f));
                    at = g.to();
                }
                if (n > at) rows.skipWhenAbsent(column + at, column + n, a::hasValues);
                column += n;
            }
            FlowSink sink = extra.isEmpty() ? rows : (flow, reason) -> {
                rows.flowEnded(flow, reason);
                for (FlowSink s : extra) {
                    s.flowEnded(flow, reason);
                }
            };
            FlowTable table = new FlowTable(config, sink, counters.flows);
            analyzers.forEach(table::addAnalyzer);
            PacketDecoder decoder = new PacketDecoder(counters.decode);
            DecodedPacket decoded = new DecodedPacket();
            BatchControl control = new BatchControl() {
                @Override
                public int pendingRows() {
                    return rows.pendingRows();
                }

                @Override
                public void flushBatch() {
                    rows.flush();
                }
            };
            source.onIdle(() -> tick.tick(control));
            CapturedPacket frame;
            int sinceProgress = 0;
            while (!stopRequested && (frame = source.next()) != null) {
                DecodeResult result = decoder.decode(frame, decoded);
                for (PacketTap t : taps) {
                    t.onFrame(result, decoded, frame);
                }
                if (result == DecodeResult.IP) {
                    table.onPacket(decoded, frame);
                }
                if ((sinceProgress & (TICK_EVERY - 1)) == 0) {
                    tick.tick(control);
                }
                if (++sinceProgress == PROGRESS_EVERY) {
                    sinceProgress = 0;
                    counters.elapsedNanos = System.nanoTime() - counters.startedNanos;
                    progress.update(counters, source.bytesConsumed(), source.bytesTotal());
                }
            }
            table.flushAll();
            tick.tick(control);
            rows.flush();
            counters.rows = rows.rowsWritten();
            counters.elapsedNanos = System.nanoTime() - counters.startedNanos;
            progress.update(counters, source.bytesConsumed(), source.bytesTotal());
        }
        return counters;
    }
}
