package dev.vigie.extract;

/** Told every few thousand packets how far an extraction is; must be cheap and must not throw. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (c, done, total) -> {};

    /**
     * @param counters   live counters (read-only)
     * @param bytesDone  input bytes consumed so far
     * @param bytesTotal input size when known, else -1
     */
    void update(ExtractionCounters counters, long bytesDone, long bytesTotal);
}
