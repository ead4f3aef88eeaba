package dev.vigie.training.features;

/** How a raw column value becomes a model input, before robust scaling. */
public enum Transform {
    /** {@code log1p(max(0, x) * multiplier)}: counts, bytes, durations and rates are heavy-tailed. */
    LOG1P,
    /** {@code x * multiplier}: levels such as TTLs and TCP windows, whose size is not a magnitude. */
    IDENTITY,
    /** 1 when the categorical column equals {@code category}, else 0 (never scaled). */
    INDICATOR
}
