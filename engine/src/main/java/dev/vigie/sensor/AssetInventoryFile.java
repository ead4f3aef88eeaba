package dev.vigie.sensor;

import dev.vigie.assets.AssetDetector;
import dev.vigie.assets.AssetTracker;
import dev.vigie.assets.Inventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The sensor's current asset inventory, {@code OUT_DIR/assets/assets.parquet}: rewritten atomically every roll
 * interval and at the end of the run, so analysts ({@code vigie sql}'s {@code assets} view, the report) always
 * read a complete one. Written on the loop's thread: a snapshot of 100,000 assets takes about a second, once per
 * roll.
 */
public final class AssetInventoryFile implements Sensor.Tickable {
    private final Path file;
    private final AssetTracker tracker;
    private final AssetDetector detector;
    private final BufferAllocator allocator;
    private final long intervalNanos;
    private long lastWrite = System.nanoTime();
    private long writes;

    public AssetInventoryFile(Path dir, AssetTracker tracker, AssetDetector detector, BufferAllocator allocator,
                              long intervalNanos) {
        this.file = dir.resolve("assets.parquet");
        this.tracker = tracker;
        this.detector = detector;
        this.allocator = allocator;
        this.intervalNanos = intervalNanos;
    }

    @Override
    public void tick(long wallNanos, Sensor.Status status) throws IOException {
        boolean end = wallNanos == Long.MAX_VALUE;
        if (!end && wallNanos - lastWrite < intervalNanos) return;
        if (end) detector.flush(); // new assets still settling are reported before the last snapshot
        lastWrite = end ? System.nanoTime() : wallNanos;
        Files.createDirectories(file.getParent());
        Inventory.writeParquet(Inventory.annotate(tracker.snapshot(), detector.reference()), file, allocator);
        writes++;
    }

    public Path file() {
        return file;
    }

    public long writes() {
        return writes;
    }
}
