package dev.vigie.util;

import java.util.Arrays;

/**
 * A map from int keys to objects by open addressing (linear probing, backward-shift deletion): no boxed key and
 * no entry object per lookup, for indexes probed once per flow such as IPv4 address → asset. Not thread-safe;
 * null values are not allowed (get returns null for a missing key).
 */
public final class IntMap<V> {
    private int[] keys;
    private Object[] values;
    private int size;
    private int mask;

    public IntMap() {
        this(16);
    }

    public IntMap(int expected) {
        int n = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new int[n];
        values = new Object[n];
        mask = n - 1;
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    public V get(int key) {
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
    public V put(int key, V value) {
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
    public V remove(int key) {
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
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[oldKeys.length * 2];
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

    private int slot(int key) {
        int h = key * 0x9E3779B9;          // Fibonacci hashing: addresses of one subnet differ in their low bits
        return (h ^ (h >>> 16)) & mask;
    }
}
