package dev.vigie.assets;

/** Address classes the inventory needs, on the text form flow records use. */
final class Addresses {
    private Addresses() {}

    /** RFC 1918, loopback, link-local, CGNAT (100.64/10); IPv6 ULA (fc00::/7), link-local, loopback. */
    static boolean isPrivate(String ip) {
        if (ip == null) return false;
        int v4 = ipv4(ip);
        if (v4 != 0 || ip.equals("0.0.0.0")) {
            int a = v4 >>> 24, b = (v4 >>> 16) & 255;
            return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)
                    || (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127);
        }
        String s = ip.toLowerCase();
        return s.startsWith("fc") || s.startsWith("fd") || s.startsWith("fe8") || s.startsWith("fe9")
                || s.startsWith("fea") || s.startsWith("feb") || s.equals("::1");
    }

    /** Can be an asset's address: not unspecified, broadcast or multicast. */
    static boolean isUnicast(String ip) {
        if (ip == null || ip.equals("0.0.0.0") || ip.equals("::")) return false;
        int v4 = ipv4(ip);
        if (v4 != 0) {
            int a = v4 >>> 24;
            // x.y.z.255 is taken for a directed broadcast: a host rarely has it, broadcasts often do
            return a < 224 && (v4 & 255) != 255;
        }
        return !ip.toLowerCase().startsWith("ff");
    }

    /** The IPv4 address as an int, 0 when the text is not a dotted quad (0.0.0.0 also gives 0). */
    static int ipv4(String s) {
        int v = 0, part = 0, dots = 0, digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (digits == 0 || ++dots > 3) return 0;
                v = v << 8 | part;
                part = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                part = part * 10 + (c - '0');
                if (part > 255 || ++digits > 3) return 0;
            } else {
                return 0;
            }
        }
        if (dots != 3 || digits == 0) return 0;
        return v << 8 | part;
    }

    static String ipv4Text(int v) {
        return (v >>> 24) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }
}
