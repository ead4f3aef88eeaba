package dev.vigie.training.scoring;

/** Scores row-major model inputs [rows × width]; normalised so that 1.0 is the model's alert threshold. */
public interface ModelScorer extends AutoCloseable {
    int width();

    float[] score(float[] inputs, int rows);

    @Override
    default void close() {}
}
