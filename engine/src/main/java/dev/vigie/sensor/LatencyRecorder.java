package dev.vigie.sensor;

/** Receives one latency sample in nanoseconds, on the packet loop's thread. Must not allocate. */
@FunctionalInterface
public interface LatencyRecorder {
    void record(long nanos);

    LatencyRecorder NONE = n -> { };
}
