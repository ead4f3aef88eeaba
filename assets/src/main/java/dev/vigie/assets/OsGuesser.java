package dev.vigie.assets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Passive operating-system guess from the signals an asset gives away without being probed, each with a weight
 * (how often it is right on its own): DHCP vendor class (0.9) and parameter-request list (0.7), HTTP User-Agent
 * (0.4: clients lie), SSH software banner (0.6), the first TCP SYN's window/MSS/scale/options (0.5), the initial TTL (0.2-0.4).
 * Per family, agreeing weights combine as independent evidence, {@code 1 - prod(1 - w)}; the best family's
 * figure is then reduced by half the strongest contradicting one. The table is docs/assets.md's.
 */
final class OsGuesser {
    private OsGuesser() {}

    static final String LINUX = "Linux", WINDOWS = "Windows", APPLE = "macOS/iOS", ANDROID = "Android",
            BSD = "BSD", NETWORK = "network device";

    record Guess(String family, String detail, double confidence, String reasons) {}

    private record Evidence(String family, String detail, double weight, String reason) {}

    /** DHCP option 55 lists of common clients (fingerbank-style), exact match. */
    private static final Map<String, String[]> DHCP_LISTS = Map.of(
            "1,28,2,3,15,6,119,12,44,47,26,121,42", new String[]{LINUX, "Debian family (isc-dhcp-client)"},
            "1,2,6,12,15,26,28,121,3,33,40,41,42,119,249,252,17", new String[]{LINUX, "Linux (NetworkManager/dhclient)"},
            "1,3,6,12,15,28,42,51,54,58,59,119,121", new String[]{LINUX, "Linux (systemd-networkd)"},
            "1,3,6,15,31,33,43,44,46,47,119,121,249,252", new String[]{WINDOWS, "Windows 10/11"},
            "1,15,3,6,44,46,47,31,33,121,249,43", new String[]{WINDOWS, "Windows 7/8"},
            "1,121,3,6,15,108,114,119,252,95,44,46", new String[]{APPLE, "macOS"},
            "1,121,3,6,15,119,252", new String[]{APPLE, "iOS/macOS"},
            "1,3,6,15,26,28,51,58,59,43", new String[]{ANDROID, "Android"});

    static Guess guess(Asset a) {
        List<Evidence> ev = new ArrayList<>();
        if (a.dhcpVendor != null) {
            String v = a.dhcpVendor.toLowerCase(Locale.ROOT);
            if (v.startsWith("msft")) ev.add(new Evidence(WINDOWS, null, 0.9, "DHCP vendor class " + a.dhcpVendor));
            else if (v.startsWith("android")) ev.add(new Evidence(ANDROID, null, 0.9, "DHCP vendor class " + a.dhcpVendor));
            else if (v.startsWith("dhcpcd") && v.contains("linux")) ev.add(new Evidence(LINUX, "Linux (dhcpcd)", 0.9, "DHCP vendor class " + a.dhcpVendor));
            else if (v.startsWith("udhcp")) ev.add(new Evidence(LINUX, "embedded Linux (busybox udhcpc)", 0.8, "DHCP vendor class " + a.dhcpVendor));
        }
        if (a.dhcpParams != null) {
            String[] f = DHCP_LISTS.get(a.dhcpParams);
            if (f != null) ev.add(new Evidence(f[0], f[1], 0.7, "DHCP parameter list " + a.dhcpParams + " (" + f[1] + ")"));
        }
        if (a.userAgentHint != null) {
            String u = a.userAgentHint;
            // a User-Agent is whatever the client says (scripts copy browsers'): weaker than the stack's own signals
            if (u.contains("Windows NT")) ev.add(new Evidence(WINDOWS, null, 0.4, "User-Agent " + u));
            else if (u.contains("Android")) ev.add(new Evidence(ANDROID, null, 0.4, "User-Agent " + u));
            else if (u.contains("iPhone") || u.contains("iPad") || u.contains("Mac OS X")) ev.add(new Evidence(APPLE, null, 0.4, "User-Agent " + u));
            else if (u.contains("Debian APT") || u.contains("Ubuntu")) ev.add(new Evidence(LINUX, "Debian family (APT)", 0.6, "User-Agent " + u));
            else if (u.contains("Linux") || u.contains("X11")) ev.add(new Evidence(LINUX, null, 0.5, "User-Agent " + u));
        }
        if (a.sshSoftware != null) {
            String s = a.sshSoftware;
            if (s.contains("Debian")) ev.add(new Evidence(LINUX, "Debian family", 0.6, "SSH banner " + s));
            else if (s.contains("Ubuntu")) ev.add(new Evidence(LINUX, "Ubuntu", 0.6, "SSH banner " + s));
            else if (s.contains("Raspbian")) ev.add(new Evidence(LINUX, "Raspberry Pi OS", 0.6, "SSH banner " + s));
            else if (s.contains("FreeBSD")) ev.add(new Evidence(BSD, "FreeBSD", 0.6, "SSH banner " + s));
            else if (s.contains("Windows")) ev.add(new Evidence(WINDOWS, null, 0.6, "SSH banner " + s));
            else if (s.contains("Cisco")) ev.add(new Evidence(NETWORK, "Cisco", 0.6, "SSH banner " + s));
        }
        int ttl = ttlInitial(a);
        if (a.synSeen > 0 && a.synWin >= 0) {
            String sig = synSignature(a);
            boolean opts = a.synWscale >= 0 && a.synSack;
            String what = a.synIsAck ? "SYN-ACK " : "SYN ";
            if (a.synIsAck) {
                if (ttl == 64 && (a.synWin == 65160 || a.synWin == 64240 || a.synWin == 28960 || a.synWin == 43440) && opts && a.synTs) ev.add(new Evidence(LINUX, null, 0.4, what + sig + " (Linux)"));
                else if (ttl == 128 && a.synWscale == 8 && a.synSack) ev.add(new Evidence(WINDOWS, null, 0.4, what + sig + " (Windows)"));
            } else if (ttl == 64 && a.synWin == 64240 && opts && a.synTs) ev.add(new Evidence(LINUX, null, 0.5, "SYN " + sig + " (Linux 4+)"));
            else if (ttl == 64 && (a.synWin == 29200 || a.synWin == 14600 || a.synWin == 5840) && opts) ev.add(new Evidence(LINUX, null, 0.5, "SYN " + sig + " (Linux 2.6-3.x)"));
            else if (ttl == 64 && a.synWin == 65535 && a.synWscale == 6 && a.synTs) ev.add(new Evidence(APPLE, null, 0.5, "SYN " + sig + " (macOS/iOS)"));
            else if (ttl == 64 && a.synWin == 65535 && a.synTs) ev.add(new Evidence(BSD, null, 0.4, "SYN " + sig + " (BSD)"));
            else if (ttl == 128 && a.synWscale == 8 && a.synSack) ev.add(new Evidence(WINDOWS, null, 0.5, "SYN " + sig + " (Windows)"));
        }
        if (ttl == 128) ev.add(new Evidence(WINDOWS, null, 0.4, "initial TTL 128"));
        else if (ttl == 255) ev.add(new Evidence(NETWORK, null, 0.3, "initial TTL 255"));
        else if (ttl == 64) ev.add(new Evidence(LINUX, null, 0.3, "initial TTL 64 (Linux, macOS, BSD; not Windows)"));
        String distro = offensiveDistribution(a);
        if (distro != null) ev.add(new Evidence(LINUX, distro, 0.5, "offensive-distribution indicators (" + distro + ")"));

        if (ev.isEmpty()) return new Guess(null, null, 0, null);
        Map<String, Double> miss = new LinkedHashMap<>();
        for (Evidence e : ev) miss.merge(e.family, 1 - e.weight, (x, y) -> x * y);
        String best = null;
        double bestScore = -1;
        for (var e : miss.entrySet()) {
            double s = 1 - e.getValue();
            if (s > bestScore) {
                bestScore = s;
                best = e.getKey();
            }
        }
        double against = 0;
        String detail = null;
        StringBuilder reasons = new StringBuilder();
        for (Evidence e : ev) {
            if (e.family.equals(best)) {
                if (detail == null && e.detail != null) detail = e.detail;
                if (reasons.length() > 0) reasons.append("; ");
                reasons.append(e.reason);
            } else {
                against = Math.max(against, e.weight);
            }
        }
        for (Evidence e : ev) {
            if (!e.family.equals(best)) reasons.append("; against: ").append(e.reason);
        }
        if (LINUX.equals(best) && distro != null) detail = distro;
        double confidence = Math.round(bestScore * (1 - against / 2) * 100) / 100.0;
        return new Guess(best, detail, confidence, reasons.toString());
    }

    private static String offensiveDistribution(Asset a) {
        for (String i : a.indicators) {
            String s = i.toLowerCase(Locale.ROOT);
            if (!s.startsWith("offensive distribution host name") && !s.startsWith("lookup of")) continue;
            if (s.contains("kali")) return "Kali Linux";
            if (s.contains("parrot")) return "Parrot OS";
            if (s.contains("blackarch")) return "BlackArch Linux";
            if (s.contains("pentoo")) return "Pentoo";
        }
        return null;
    }

    /** The most frequent initial TTL, or -1. */
    static int ttlInitial(Asset a) {
        int[] values = {32, 64, 128, 255};
        int best = -1, n = 0;
        for (int i = 0; i < 4; i++) {
            if (a.ttlInitial[i] > n) {
                n = a.ttlInitial[i];
                best = values[i];
            }
        }
        return best;
    }

    /** Bucket of an observed TTL: the smallest usual initial value at or above it. */
    static int ttlBucket(int ttl) {
        if (ttl <= 0) return -1;
        if (ttl <= 32) return 0;
        if (ttl <= 64) return 1;
        if (ttl <= 128) return 2;
        return 3;
    }

    static String synSignature(Asset a) {
        if (a.synSeen == 0) return null;
        return (a.synIsAck ? "synack " : "") + a.synWin + ":" + (a.synMss < 0 ? "*" : a.synMss) + ":" + (a.synWscale < 0 ? "*" : a.synWscale) + ":"
                + (a.synSack ? "S" : "") + (a.synTs ? "T" : "");
    }
}
