package dev.vigie.training;

/** Progress of a training run, for a progress bar. Called from the training thread. */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {};

    /** A new stage starts; {@code total} units of work, 0 when unknown. */
    default void stage(String name, long total) {}

    /** {@code done} of the current stage's units are finished. */
    default void progress(long done) {}

    /** The current stage is finished. */
    default void stageDone() {}
}
