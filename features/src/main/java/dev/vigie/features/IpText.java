package dev.vigie.features;

/** Addresses as text: dotted quad for IPv4, RFC 5952 canonical form for IPv6 (what tshark and Zeek print). */
public final class IpText {
    private IpText() {}

    public static String format(int ipVersion, long hi, long lo) {
        if (ipVersion == 4) {
            return ((lo >>> 24) & 255) + "." + ((lo >>> 16) & 255) + "." + ((lo >>> 8) & 255) + "." + (lo & 255);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            g[4 + i] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        // RFC 5952: compress the longest run of two or more zero groups (the first one on ties)
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) j++;
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    public static String mac(long mac) {
        if (mac < 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) ((mac >>> (8 * i)) & 0xFF);
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 15, 16));
            if (i > 0) sb.append(':');
        }
        return sb.toString();
    }
}
