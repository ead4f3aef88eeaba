package dev.vigie.sensor;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a sensor run is set up, beyond its inputs and models.
 *
 * @param outDir          where alerts, flow-record and score files go ({@code alerts/}, {@code flows/}, {@code scores/})
 * @param batchRows       a micro-batch closes at this many flow records...
 * @param maxBatchDelay   ...or when its oldest record has waited this long (wall time), whichever comes first
 * @param alertFileRoll   wall time after which the alert file is completed and a new one started
 * @param flowFileRows    flow-record files roll after this many rows...
 * @param flowFileRoll    ...or this much wall time
 * @param aggregateWindow alerts of one rule or model between the same two hosts within this capture-time window
 *                        are sent once, with a count
 * @param writeScores     write the scores table (one row per scored flow, every model's score)
 */
public record SensorConfig(Path outDir, int batchRows, Duration maxBatchDelay, Duration alertFileRoll,
                           long flowFileRows, Duration flowFileRoll, Duration aggregateWindow, boolean writeScores) {
    public static final int DEFAULT_BATCH_ROWS = 1024;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(100);

    public SensorConfig {
        if (batchRows < 1 || batchRows > 65_536) {
            throw new IllegalArgumentException("batch rows must be between 1 and 65536, got " + batchRows);
        }
        if (maxBatchDelay.isNegative() || maxBatchDelay.isZero()) {
            throw new IllegalArgumentException("the maximum batch delay must be positive");
        }
        if (flowFileRows < 1) {
            throw new IllegalArgumentException("flow files need at least one row each");
        }
    }

    public static SensorConfig defaults(Path outDir) {
        return new SensorConfig(outDir, DEFAULT_BATCH_ROWS, DEFAULT_MAX_DELAY, Duration.ofMinutes(10), 1_000_000,
                Duration.ofMinutes(10), Duration.ofMinutes(5), true);
    }
}
