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

    private final long[] bits;
    private final Object[] objects;   // TEXT and OTHER parts' values, null when the key has none
    private final int hash;

    private StateKey(long[] bits, Object[] objects) {
        this.bits = bits;
        this.objects = objects;
        this.hash = hash(bits) * 31 + (objects == null ? 0 : Arrays.hashCode(objects));
    }

    /** The key of the current flow of {@code values} over columns {@code cols}. */
    static StateKey of(FlowValues values, int[] cols, long[] scratch) {
        long[] bits = new long[cols.length * 3];
        Object[] objects = null;
        for (int p = 0; p < cols.length; p++) {
            int c = cols[p];
            int at = p * 3;
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
                    objects = new Object[cols.length];
                }
                objects[p] = v;
            }
        }
        return new StateKey(bits, objects);
    }

    /**
     * A mixing hash of the parts. Arrays.hashCode is linear in the values: the keys of address-shifted traffic
     * (a scan, a sweep, a replayed capture) then share few hash bits and LinkedHashMap bins turn into trees.
     */
    private static int hash(long[] bits) {
        long h = 0x9E3779B97F4A7C15L;
        for (long v : bits) {
            h = Long.rotateLeft(h ^ (v * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
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
        long b = 16 + 16 + bits.length * 8L;
        if (objects != null) {
            b += 16 + objects.length * 4L;
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
        return o instanceof StateKey k && k.hash == hash && Arrays.equals(k.bits, bits)
                && Arrays.equals(k.objects, objects);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "StateKey" + Arrays.toString(bits) + (objects == null ? "" : Arrays.toString(objects));
    }
}
