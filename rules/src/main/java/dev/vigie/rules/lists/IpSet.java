package dev.vigie.rules.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable set of IPv4/IPv6 addresses and CIDR blocks as sorted, merged, disjoint intervals of 128-bit values:
 * a lookup is one binary search, O(log n), with no allocation. IPv4 lives in ::ffff:0:0/96.
 */
public final class IpSet {
    public static final IpSet EMPTY = new IpSet(new long[0], new long[0], new long[0], new long[0]);

    // interval i is [start(i), end(i)], both inclusive, compared as unsigned 128-bit numbers
    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;

    private IpSet(long[] startHi, long[] startLo, long[] endHi, long[] endLo) {
        this.startHi = startHi;
        this.startLo = startLo;
        this.endHi = endHi;
        this.endLo = endLo;
    }

    public int intervals() {
        return startHi.length;
    }

    /** True when {@code address} (text) is an address inside the set; false for anything that does not parse. */
    public boolean contains(CharSequence address) {
        long[] v = new long[2];
        return IpAddresses.parse(address, v) && contains(v[0], v[1]);
    }

    public boolean contains(long hi, long lo) {
        int lowIdx = 0;
        int highIdx = startHi.length - 1;
        // last interval whose start <= value
        int found = -1;
        while (lowIdx <= highIdx) {
            int mid = (lowIdx + highIdx) >>> 1;
            if (compare(startHi[mid], startLo[mid], hi, lo) <= 0) {
                found = mid;
                lowIdx = mid + 1;
            } else {
                highIdx = mid - 1;
            }
        }
        return found >= 0 && compare(hi, lo, endHi[found], endLo[found]) <= 0;
    }

    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** Collects entries; {@link #build} sorts and merges them. */
    public static final class Builder {
        private final List<long[]> ranges = new ArrayList<>();

        /**
         * Adds "a.b.c.d", "a.b.c.d/len", an IPv6 address or "v6/len". False when the text is not one of these;
         * host bits set under the prefix are ignored (10.1.2.3/8 means 10.0.0.0/8).
         */
        public boolean add(String entry) {
            String s = entry.trim();
            int slash = s.indexOf('/');
            long[] v = new long[2];
            String addr = slash < 0 ? s : s.substring(0, slash);
            if (!IpAddresses.parse(addr, v)) return false;
            boolean v4 = addr.indexOf(':') < 0;
            int maxLen = v4 ? 32 : 128;
            int len = maxLen;
            if (slash >= 0) {
                String p = s.substring(slash + 1);
                if (p.isEmpty() || p.length() > 3) return false;
                for (int i = 0; i < p.length(); i++) {
                    if (p.charAt(i) < '0' || p.charAt(i) > '9') return false;
                }
                len = Integer.parseInt(p);
                if (len > maxLen) return false;
            }
            int bits = v4 ? 96 + len : len; // prefix length within the 128-bit space
            long maskHi = bits >= 64 ? -1L : bits == 0 ? 0L : -1L << (64 - bits);
            long maskLo = bits <= 64 ? 0L : bits == 128 ? -1L : -1L << (128 - bits);
            long sHi = v[0] & maskHi;
            long sLo = v[1] & maskLo;
            ranges.add(new long[] {sHi, sLo, sHi | ~maskHi, sLo | ~maskLo});
            return true;
        }

        public IpSet build() {
            if (ranges.isEmpty()) return EMPTY;
            long[][] r = ranges.toArray(new long[0][]);
            Arrays.sort(r, (a, b) -> compare(a[0], a[1], b[0], b[1]));
            long[] sh = new long[r.length];
            long[] sl = new long[r.length];
            long[] eh = new long[r.length];
            long[] el = new long[r.length];
            int n = 0;
            for (long[] x : r) {
                if (n > 0) {
                    // merge when x starts inside or right after the previous interval
                    long nextHi = el[n - 1] == -1L ? eh[n - 1] + 1 : eh[n - 1];
                    long nextLo = el[n - 1] + 1;
                    boolean endIsMax = eh[n - 1] == -1L && el[n - 1] == -1L;
                    if (endIsMax || compare(x[0], x[1], nextHi, nextLo) <= 0) {
                        if (compare(x[2], x[3], eh[n - 1], el[n - 1]) > 0) {
                            eh[n - 1] = x[2];
                            el[n - 1] = x[3];
                        }
                        continue;
                    }
                }
                sh[n] = x[0];
                sl[n] = x[1];
                eh[n] = x[2];
                el[n] = x[3];
                n++;
            }
            return new IpSet(Arrays.copyOf(sh, n), Arrays.copyOf(sl, n), Arrays.copyOf(eh, n), Arrays.copyOf(el, n));
        }
    }
}
