package dev.vigie.extract;

import dev.vigie.capture.CaptureCounters;
import dev.vigie.capture.CaptureFault;
import dev.vigie.decode.DecodeCounters;
import dev.vigie.flow.FlowCounters;
import java.util.ArrayList;
import java.util.List;

/** Everything one extraction counted, from capture to flow records. */
public final class ExtractionCounters {
    public final CaptureCounters capture = new CaptureCounters();
    public final DecodeCounters decode = new DecodeCounters();
    public final FlowCounters flows = new FlowCounters();
    /** Faults that ended an input early, in input order. */
    public final List<CaptureFault> faults = new ArrayList<>();
    /** Non-fatal anomalies worth a line (first of each kind per input). */
    public final List<CaptureFault> warnings = new ArrayList<>();
    /** Flow records written. */
    public long rows;
    public long startedNanos;
    public long elapsedNanos;

    public double elapsedSeconds() {
        return elapsedNanos * 1e-9;
    }

    public double packetsPerSecond() {
        return elapsedNanos == 0 ? 0 : capture.packets / elapsedSeconds();
    }
}
