package dev.vigie.flow;

/** Receives each flow record when it is emitted. The flow is reused after the call returns: copy what you keep. */
@FunctionalInterface
public interface FlowSink {
    void flowEnded(Flow flow, EndReason reason);
}
