package dev.vigie.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that holds at most {@code capacity} keys, dropping the least recently used one to admit a new key. Rule
 * state lives in these, so that a scan of a /8 or a flood of spoofed sources costs evictions, not memory; every
 * eviction is counted and reported.
 */
final class BoundedLru<V> extends LinkedHashMap<StateKey, V> {
    private final int capacity;
    long evictions;

    BoundedLru(int capacity) {
        super(Math.min(capacity, 1024), 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<StateKey, V> eldest) {
        if (size() > capacity) {
            evictions++;
            return true;
        }
        return false;
    }
}
