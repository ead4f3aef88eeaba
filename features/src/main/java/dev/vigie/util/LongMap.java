package dev.vigie.util;

import java.util.Arrays;

/**
 * A map from long keys to objects by open addressing (linear probing, backward-shift deletion): no boxed key and
 * no entry object per lookup, for indexes probed once per flow such as IPv4 address or MAC address → asset (a
 * {@code HashMap<Long, ...>} boxes the key of every lookup outside -128..127). Not thread-safe; null values are
 * not allowed (get returns null for a missing key).
 */
public final class LongMap<V> {
    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    public LongMap() {
        this(16);
    }

    public LongMap(int expected) {
        int n = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[n];
        values = new Object[n];
        mask = n - 1;
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** Maps {@code key} to {@code value} (not null); returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("null value");
        }
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return null;
    }

    /** Removes {@code key}; returns its value, or null when absent. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                shiftBack(i);
                size--;
                return old;
            }
        }
        return null;
    }

    public void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    /** Closes the hole at {@code hole}: later entries of the same probe run move back so that gets still find them. */
    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            Object v = values[i];
            if (v == null) {
                break;
            }
            int home = slot(keys[i]);
            // the entry at i may fill the hole when its home is not in (hole, i], cyclically
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                values[hole] = v;
                hole = i;
            }
        }
        values[hole] = null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != null) {
                int i = slot(oldKeys[j]);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    /** Whether {@code key} is mapped. */
    public boolean containsKey(long key) {
        return get(key) != null;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;  // Fibonacci hashing: addresses of one subnet differ in their low bits
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
