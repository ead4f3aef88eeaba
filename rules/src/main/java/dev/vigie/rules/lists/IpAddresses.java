package dev.vigie.rules.lists;

/**
 * Parses IP address text without touching DNS (InetAddress.getByName would resolve a name found in a hostile list
 * file). An address becomes two longs (hi, lo): IPv4 is mapped into ::ffff:0:0/96 so that one ordering covers both
 * families and an IPv4 entry can never match an IPv6 address by accident.
 */
public final class IpAddresses {
    private IpAddresses() {}

    /** hi word of ::ffff:a.b.c.d */
    static final long V4_HI = 0L;
    static final long V4_LO_PREFIX = 0x0000_ffff_0000_0000L;

    /**
     * A decoded packet's or flow's address (IPv4: {@code hi = 0, lo} the 32-bit value; IPv6: its two halves) in
     * this class's form, as {@link #parse} gives for its text.
     */
    public static void fromPacket(int ipVersion, long hi, long lo, long[] out) {
        if (ipVersion == 4) {
            out[0] = V4_HI;
            out[1] = V4_LO_PREFIX | (lo & 0xFFFF_FFFFL);
        } else {
            out[0] = hi;
            out[1] = lo;
        }
    }

    /** Parses {@code text} into {@code out[0..1]}; false (and out untouched) when it is not an address. */
    public static boolean parse(CharSequence text, long[] out) {
        if (text == null) return false;
        int n = text.length();
        if (n == 0 || n > 45) return false;
        boolean colon = false;
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) == ':') { colon = true; break; }
        }
        if (!colon) {
            long v4 = parseV4(text, 0, n);
            if (v4 < 0) return false;
            out[0] = V4_HI;
            out[1] = V4_LO_PREFIX | v4;
            return true;
        }
        return parseV6(text, n, out);
    }

    /** a.b.c.d → 32-bit value, or -1. Leading zeros are refused (some parsers read them as octal). */
    static long parseV4(CharSequence s, int from, int to) {
        long value = 0;
        int parts = 0;
        int i = from;
        while (i < to) {
            int start = i;
            int part = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                part = part * 10 + (s.charAt(i) - '0');
                if (part > 255 || i - start > 2) return -1;
                i++;
            }
            if (i == start || (i - start > 1 && s.charAt(start) == '0')) return -1;
            value = (value << 8) | part;
            parts++;
            if (i < to) {
                if (s.charAt(i) != '.' || parts == 4) return -1;
                i++;
                if (i == to) return -1;
            }
        }
        return parts == 4 ? value : -1;
    }

    private static boolean parseV6(CharSequence s, int n, long[] out) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        if (n >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            gap = 0;
            i = 2;
        } else if (s.charAt(0) == ':') {
            return false;
        }
        while (i < n) {
            if (count == 8) return false;
            int start = i;
            int g = 0;
            while (i < n && i - start < 5) {
                int d = Character.digit(s.charAt(i), 16);
                if (d < 0) break;
                g = (g << 4) | d;
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // embedded IPv4 in the last 32 bits
                long v4 = parseV4(s, start, n);
                if (v4 < 0 || count > 6) return false;
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xffff);
                i = n;
                break;
            }
            if (i == start || i - start > 4) return false;
            groups[count++] = g;
            if (i == n) break;
            if (s.charAt(i) != ':') return false;
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) return false;
                gap = count;
                i++;
            } else if (i == n) {
                return false;
            }
        }
        if (gap < 0 && count != 8) return false;
        if (gap >= 0 && count == 8) return false;
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) hi = (hi << 16) | full[k];
        for (int k = 4; k < 8; k++) lo = (lo << 16) | full[k];
        out[0] = hi;
        out[1] = lo;
        return true;
    }

    static boolean isV4Mapped(long hi, long lo) {
        return hi == V4_HI && (lo >>> 32) == 0xffffL;
    }
}
