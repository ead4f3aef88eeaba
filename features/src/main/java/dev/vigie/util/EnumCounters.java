package dev.vigie.util;

import java.util.EnumMap;
import java.util.Map;

/**
 * One counter per enum constant, written by a single thread (the packet loop) without synchronisation and read
 * for summaries and metrics. Reads from another thread may lag but never tear a long on 64-bit JVMs in practice;
 * they are monitoring figures, not control values.
 */
public final class EnumCounters<E extends Enum<E>> {
    private final Class<E> type;
    private final long[] values;

    public EnumCounters(Class<E> type) {
        this.type = type;
        this.values = new long[type.getEnumConstants().length];
    }

    public void increment(E key) {
        values[key.ordinal()]++;
    }

    public void add(E key, long delta) {
        values[key.ordinal()] += delta;
    }

    public long get(E key) {
        return values[key.ordinal()];
    }

    public long total() {
        long sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum;
    }

    public void addAll(EnumCounters<E> other) {
        for (int i = 0; i < values.length; i++) {
            values[i] += other.values[i];
        }
    }

    /** Non-zero counters only, in declaration order. */
    public Map<E, Long> nonZero() {
        Map<E, Long> out = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            if (values[e.ordinal()] != 0) {
                out.put(e, values[e.ordinal()]);
            }
        }
        return out;
    }
}
