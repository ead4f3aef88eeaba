package dev.vigie.capture;

import java.util.List;

/**
 * A stream of captured frames: a capture file, several files merged in time order, or a live interface.
 *
 * <p>Readers never throw on bad input: a fault stops the source (or skips what it safely can), is recorded in
 * {@link CaptureCounters} and described by {@link #fault()}; the frames read before it are kept.
 */
public interface PacketSource extends AutoCloseable {

    /**
     * Reads the next frame.
     *
     * @return a flyweight owned by this source, valid until the next call; {@code null} at the end of input
     *         (or after a fault that prevents reading further)
     */
    CapturedPacket next();

    /**
     * Asks a source that can wait for frames (a live interface) to run {@code idle} on the reading thread each time
     * a read times out with nothing to return, so that the loop's timed work (closing a micro-batch after its
     * delay) still happens on a quiet network. Sources that never wait ignore it.
     */
    default void onIdle(Runnable idle) {}

    /** Human-readable name of the input (a file path or an interface name). */
    String name();

    /** The fault that ended this source early, or {@code null} if it ended cleanly (or has not ended). */
    CaptureFault fault();

    /**
     * Non-fatal anomalies seen so far (the source went on past them): the first occurrence of each kind per input.
     * Every occurrence is counted in {@link CaptureCounters#errors}; this list only says where to look.
     */
    default List<CaptureFault> warnings() {
        return List.of();
    }

    /** Bytes consumed so far from the underlying input (compressed bytes for gzip files), for progress display. */
    long bytesConsumed();

    /** Total size of the input in bytes if known (a file's size), or -1. */
    long bytesTotal();

    @Override
    void close();
}
