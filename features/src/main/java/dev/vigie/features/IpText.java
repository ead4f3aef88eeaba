package dev.vigie.features;

/** Addresses as text: dotted quad for IPv4, RFC 5952 canonical form for IPv6 (what tshark and Zeek print). */
public final class IpText {
    private IpText() {}

    /** One scratch buffer per thread: the String is the only allocation (the sensor formats one per endpoint). */
    private static final ThreadLocal<dev.vigie.schema.TextBuffer> SCRATCH =
            ThreadLocal.withInitial(dev.vigie.schema.TextBuffer::new);

    public static String format(int ipVersion, long hi, long lo) {
        dev.vigie.schema.TextBuffer b = SCRATCH.get();
        b.clear();
        format(ipVersion, hi, lo, b);
        // addresses are ASCII: Latin-1 decoding gives the same String, stored compact, without a UTF-8 pass
        return new String(b.bytes(), 0, b.length(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Appends the address to {@code out} without allocating. */
    public static void format(int ipVersion, long hi, long lo, dev.vigie.schema.TextBuffer out) {
        if (ipVersion == 4) {
            out.appendDecimal((int) ((lo >>> 24) & 255)).append('.').appendDecimal((int) ((lo >>> 16) & 255))
                    .append('.').appendDecimal((int) ((lo >>> 8) & 255)).append('.').appendDecimal((int) (lo & 255));
            return;
        }
        // RFC 5952: compress the longest run of two or more zero groups (the first one on ties)
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (group(hi, lo, i) == 0) {
                int j = i;
                while (j < 8 && group(hi, lo, j) == 0) j++;
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        boolean first = true;
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append(':').append(':');
                i += bestLen - 1;
                first = true;
                continue;
            }
            if (!first) {
                out.append(':');
            }
            out.appendHex(group(hi, lo, i));
            first = false;
        }
    }

    private static int group(long hi, long lo, int i) {
        return (int) (((i < 4 ? hi : lo) >>> (48 - 16 * (i & 3))) & 0xFFFF);
    }

    /** Appends the MAC as six lower-case hex pairs; false when there is none. */
    public static boolean mac(long mac, dev.vigie.schema.TextBuffer out) {
        if (mac < 0) {
            return false;
        }
        for (int i = 5; i >= 0; i--) {
            out.appendHexByte((int) (mac >>> (8 * i)));
            if (i > 0) out.append(':');
        }
        return true;
    }

    public static String mac(long mac) {
        dev.vigie.schema.TextBuffer b = new dev.vigie.schema.TextBuffer();
        return mac(mac, b) ? b.toString() : null;
    }
}
