package dev.vigie.alerts;

/** Receives alerts as rules fire, in capture-time order of the flows that made them fire. */
@FunctionalInterface
public interface AlertSink {
    void accept(Alert alert);
}
