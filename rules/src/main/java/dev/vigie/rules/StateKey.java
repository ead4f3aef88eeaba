package dev.vigie.rules;

import dev.cel.common.values.NullValue;
import java.time.Instant;
import java.util.Arrays;

/**
 * The key of a rule's state (aggregate window, beacon series, suppression): the values of the rule's key columns
 * for one flow, compared by value. The flow's addresses and numbers stay binary, so keying a flow costs no
 * address formatting and no string building: {@code by: [orig_h, resp_h]} is four longs. Text columns keep
 * their String. Two flows share a key exactly when their key columns hold equal values.
 */
final class StateKey {
    // per part: a type tag and two longs (an address's high and low halves; a number in the second)
    private static final long NULL = 0, ADDRESS = 1, INT = 2, DOUBLE = 3, BOOL = 4, TIME = 5, TEXT = 6, OTHER = 7;

    private long[] bits;
    private int bitsLength;           // bits in use: the whole array, except in a probe
    private Object[] objects;         // TEXT and OTHER parts' values, null when the key has none
    private Object[] probeObjects;    // a probe's reusable array for them
    private int hash;

    private StateKey(long[] bits, int bitsLength, Object[] objects, int hash) {
        this.bits = bits;
        this.bitsLength = bitsLength;
        this.objects = objects;
        this.hash = hash;
    }

    /** The key of the current flow of {@code values} over columns {@code cols}, to keep. */
    static StateKey of(FlowValues values, int[] cols, long[] scratch) {
        return probe().refill(values, cols, scratch).copy();
    }

    /**
     * A reusable key to look up with: {@link #refill} sets it to a flow's key, and only {@link #copy} goes into a
     * map. A lookup then allocates nothing (a rule used to build a key per flow it keyed, the largest part of its
     * allocation); a probe must never be kept as a map's key, since the next flow rewrites it.
     */
    static StateKey probe() {
        return new StateKey(new long[0], 0, null, 0);
    }

    /** This probe, now the key of the current flow of {@code values} over {@code cols}. */
    StateKey refill(FlowValues values, int[] cols, long[] scratch) {
        if (bits.length < cols.length * 3) {
            bits = new long[cols.length * 3];
        }
        fill(values, cols, scratch);
        return this;
    }

    /** An immutable key equal to this one. */
    StateKey copy() {
        int n = bitsLength / 3;
        return new StateKey(Arrays.copyOf(bits, bitsLength), bitsLength,
                objects == null ? null : Arrays.copyOf(objects, n), hash);
    }

    private void fill(FlowValues values, int[] cols, long[] scratch) {
        long[] bits = this.bits;
        bitsLength = cols.length * 3;
        objects = null;
        for (int p = 0; p < cols.length; p++) {
            int c = cols[p];
            int at = p * 3;
            bits[at + 1] = 0;
            bits[at + 2] = 0;
            if (values.isFlowAddress(c)) {
                values.address(c, scratch);
                bits[at] = ADDRESS;
                bits[at + 1] = scratch[0];
                bits[at + 2] = scratch[1];
                continue;
            }
            Object v = values.get(c);
            if (v == NullValue.NULL_VALUE || v == null) {
                bits[at] = NULL;
            } else if (v instanceof Long l) {
                bits[at] = INT;
                bits[at + 2] = l;
            } else if (v instanceof Double d) {
                bits[at] = DOUBLE;
                bits[at + 2] = Double.doubleToLongBits(d);
            } else if (v instanceof Boolean b) {
                bits[at] = BOOL;
                bits[at + 2] = b ? 1 : 0;
            } else if (v instanceof Instant t) {
                bits[at] = TIME;
                bits[at + 1] = t.getEpochSecond();
                bits[at + 2] = t.getNano();
            } else {
                bits[at] = v instanceof String ? TEXT : OTHER;
                if (objects == null) {
                    if (probeObjects == null || probeObjects.length < cols.length) {
                        probeObjects = new Object[cols.length];
                    }
                    objects = probeObjects;
                    Arrays.fill(objects, 0, cols.length, null);
                }
                objects[p] = v;
            }
        }
        hash = hash(bits, bitsLength) * 31 + objectsHash(objects, cols.length);
    }

    /** Arrays.hashCode of the first {@code n} objects (of the exact array a key keeps), 0 without objects. */
    private static int objectsHash(Object[] objects, int n) {
        if (objects == null) {
            return 0;
        }
        int h = 1;
        for (int i = 0; i < n; i++) {
            Object o = objects[i];
            h = 31 * h + (o == null ? 0 : o.hashCode());
        }
        return h;
    }

    /**
     * A mixing hash of the parts. Arrays.hashCode is linear in the values: the keys of address-shifted traffic
     * (a scan, a sweep, a replayed capture) then share few hash bits and LinkedHashMap bins turn into trees.
     */
    private static int hash(long[] bits, int length) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < length; i++) {
            h = Long.rotateLeft(h ^ (bits[i] * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        h ^= h >>> 33;                                  // murmur3's finaliser
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** Bytes this key holds (estimate, for the rule state report). */
    long bytes() {
        long b = 16 + 16 + bitsLength * 8L;
        if (objects != null) {
            b += 16 + (bitsLength / 3) * 4L;
            for (Object o : objects) {
                if (o instanceof String s) {
                    b += 40 + s.length();
                }
            }
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StateKey k) || k.hash != hash || k.bitsLength != bitsLength
                || !Arrays.equals(k.bits, 0, bitsLength, bits, 0, bitsLength)) {
            return false;
        }
        if (k.objects == null || objects == null) {
            return k.objects == objects;
        }
        int n = bitsLength / 3;
        return Arrays.equals(k.objects, 0, n, objects, 0, n);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "StateKey" + Arrays.toString(Arrays.copyOf(bits, bitsLength))
                + (objects == null ? "" : Arrays.toString(Arrays.copyOf(objects, bitsLength / 3)));
    }
}
