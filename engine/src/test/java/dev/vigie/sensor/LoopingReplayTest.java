package dev.vigie.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.capture.CaptureCounters;
import dev.vigie.capture.CapturedPacket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak benchmark's replay: every lap reads the whole capture, later in capture time, and reports its figures. */
class LoopingReplayTest {
    static final Path CAPTURE = Path.of(System.getProperty("vigie.root", ".."), "datasets", "captures",
            "ftp-bruteforce.pcap");

    @Test
    void lapsRepeatTheCaptureLaterInTimeAndReportRatesAndCompilerShare() {
        CaptureCounters counters = new CaptureCounters();
        long firstLapPackets = 0;
        long lastTsFirstLap = Long.MIN_VALUE;
        long firstTsLater = Long.MAX_VALUE;
        long total = 0;
        try (LoopingReplay replay = new LoopingReplay(List.of(CAPTURE), counters, 3, 0)) {
            CapturedPacket p;
            while ((p = replay.next()) != null) {
                total++;
                if (replay.laps() == 1) {
                    firstLapPackets++;
                    lastTsFirstLap = Math.max(lastTsFirstLap, p.timestampNanos);
                } else if (replay.laps() == 2) {
                    firstTsLater = Math.min(firstTsLater, p.timestampNanos);
                }
            }
            assertEquals(3, replay.laps());
            assertTrue(firstLapPackets > 0);
            assertEquals(3 * firstLapPackets, total);
            assertTrue(firstTsLater >= lastTsFirstLap + LoopingReplay.GAP_NANOS, "the next lap starts after the gap");
            double[] rates = replay.lapRates();
            assertEquals(2, rates.length, "the two laps that ended");
            for (double r : rates) {
                assertTrue(r > 0 && Double.isFinite(r), "rate " + r);
            }
            // The JVM books a compilation when it ends, whole: over these millisecond laps one compilation that
            // started before them can be worth several laps (12.6 was seen), so only its sign is checked here.
            double share = replay.compilerShare(0);
            assertTrue(share >= 0 && Double.isFinite(share), "compiler share " + share);
            assertEquals(0, replay.compilerShare(2), "no lap after the last boundary");
        }
    }
}
