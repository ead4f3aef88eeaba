package dev.vigie.util;

/**
 * A set of longs without boxing: a {@link LongMap} whose values only mark presence. For sets probed once per flow
 * (router MACs, the (protocol, port) pairs a host used), where a {@code HashSet<Long>} boxes every lookup.
 */
public final class LongSet {
    private final LongMap<Boolean> map;

    public LongSet() {
        map = new LongMap<>();
    }

    public LongSet(int expected) {
        map = new LongMap<>(expected);
    }

    /** Adds {@code v}; false when it was there already. */
    public boolean add(long v) {
        return map.put(v, Boolean.TRUE) == null;
    }

    public boolean contains(long v) {
        return map.containsKey(v);
    }

    public boolean remove(long v) {
        return map.remove(v) != null;
    }

    public int size() {
        return map.size();
    }
}
