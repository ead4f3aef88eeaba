package dev.vigie.flow;

/** Why a flow record was emitted. Written to the {@code end_reason} column. */
public enum EndReason {
    /** No packet for the protocol's idle timeout. */
    IDLE_TIMEOUT("idle"),
    /** The flow lasted longer than the active timeout; it continues as the next part. */
    ACTIVE_TIMEOUT("active"),
    /** TCP: FIN seen from both sides, then the linger delay passed (or a new SYN reused the tuple). */
    TCP_CLOSE("fin"),
    /** TCP: a RST was seen, then the linger delay passed (or a new SYN reused the tuple). */
    TCP_RESET("rst"),
    /** The flow table was full; this was the flow idle for longest. */
    EVICTED("evicted"),
    /** The input ended (or the sensor stopped) while the flow was live. */
    END_OF_INPUT("eof");

    private final String label;

    EndReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
