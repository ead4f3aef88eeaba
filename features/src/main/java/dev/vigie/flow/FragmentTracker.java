package dev.vigie.flow;

import dev.vigie.decode.DecodedPacket;

/**
 * Remembers the ports of recent first fragments so that later fragments of the same datagram join the same flow.
 * A fixed-size table (no allocation after construction): a newer datagram overwrites an older one in its slot, and
 * entries older than {@link #MAX_AGE_NS} are ignored, as reassembly timeouts do (Linux: 30 s).
 */
final class FragmentTracker {
    static final long MAX_AGE_NS = 30_000_000_000L;
    private static final int SLOTS = 4096;
    private final long[] srcHi = new long[SLOTS], srcLo = new long[SLOTS], dstHi = new long[SLOTS],
            dstLo = new long[SLOTS], id = new long[SLOTS], seenNs = new long[SLOTS];
    private final int[] protoPorts = new int[SLOTS]; // protocol << 24 is not enough room: ports packed below
    private final int[] ports = new int[SLOTS];
    private final boolean[] used = new boolean[SLOTS];

    private static int slot(DecodedPacket p) {
        long h = p.srcLo * 0x9E3779B97F4A7C15L ^ p.dstLo * 0xC2B2AE3D27D4EB4FL ^ p.fragmentId * 0x165667B19E3779F9L
                ^ p.srcHi ^ (p.dstHi << 1) ^ p.protocol;
        h ^= h >>> 29;
        return (int) (h & (SLOTS - 1));
    }

    void rememberFirst(DecodedPacket p, int srcPort, int dstPort, long ts) {
        int s = slot(p);
        used[s] = true;
        srcHi[s] = p.srcHi;
        srcLo[s] = p.srcLo;
        dstHi[s] = p.dstHi;
        dstLo[s] = p.dstLo;
        id[s] = p.fragmentId;
        protoPorts[s] = p.protocol;
        ports[s] = (srcPort << 16) | (dstPort & 0xFFFF);
        seenNs[s] = ts;
    }

    /** Packed ports (src &lt;&lt; 16 | dst) of the datagram's first fragment, or -1 when unknown. */
    int lookup(DecodedPacket p, long ts) {
        int s = slot(p);
        if (used[s] && id[s] == p.fragmentId && srcLo[s] == p.srcLo && dstLo[s] == p.dstLo && srcHi[s] == p.srcHi
                && dstHi[s] == p.dstHi && protoPorts[s] == p.protocol && ts - seenNs[s] <= MAX_AGE_NS) {
            return ports[s];
        }
        return -1;
    }
}
