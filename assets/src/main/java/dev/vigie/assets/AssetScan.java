package dev.vigie.assets;

import dev.vigie.alerts.AlertSink;
import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** One pass over capture files that builds the inventory (and runs the detections): what {@code vigie assets} does. */
public final class AssetScan {
    private AssetScan() {}

    /** What a pass produced; the capture faults and warnings are the (closed) source's. */
    public record Result(List<AssetRecord> assets, AssetCounters counters, Map<AssetDetector.Kind, Long> detections,
                         long estimatedBytes, ExtractionCounters extraction, MergedPacketSource source,
                         long inventoryNanos) {}

    /**
     * @param extractor the flow extractor (its schema must carry the protocol columns the inventory reads: the
     *                  standard analyzers); its taps get the tracker
     * @param reference the reference inventory, or null
     */
    public static Result run(FlowExtractor extractor, List<Path> captures, AssetConfig config, Inventory reference,
                             Duration grace, AlertSink alerts, ProgressListener progress) {
        ExtractionCounters counters = new ExtractionCounters();
        try (BufferAllocator allocator = new RootAllocator();
             MergedPacketSource source = CaptureFiles.openAll(captures, counters.capture);
             AssetTracker tracker = new AssetTracker(config, extractor.schema(), allocator)) {
            AssetDetector detector = new AssetDetector(reference, grace, alerts).attach(tracker);
            extractor.addTaps(List.of(tracker));
            extractor.run(source, counters, allocator, batch -> { }, List.<FlowSink>of(tracker), progress);
            detector.flush();
            return new Result(Inventory.annotate(tracker.snapshot(), reference), tracker.counters(), Map.copyOf(detector.counts()),
                    tracker.estimatedBytes(), counters, source, tracker.busyNanos());
        }
    }
}
