package dev.vigie.assets;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodedPacket;
import java.nio.charset.StandardCharsets;

/**
 * Reads what hosts say about themselves on the link: ARP (who has which address), DHCP client messages and
 * ACKs (MAC, host name, fingerprint, lease), and name answers (DNS PTR, mDNS, LLMNR, NetBIOS name service).
 * Every length comes from the packet and is checked against the captured bytes; a malformed message is
 * counted and dropped. Strings are made only for names and fingerprints, i.e. on the rare frames that carry them.
 */
final class LinkSniffer {
    private static final int DNS = 53, MDNS = 5353, LLMNR = 5355, NBNS = 137, BOOTPS = 67, BOOTPC = 68;
    private static final int MAX_NAME = 253;

    private final AssetTracker tracker;
    private final AssetCounters counters;
    private final byte[] nameBuf = new byte[MAX_NAME + 2];
    private int nameLen;

    LinkSniffer(AssetTracker tracker) {
        this.tracker = tracker;
        this.counters = tracker.counters();
    }

    static boolean interesting(int src, int dst) {
        return src == DNS || src == MDNS || dst == MDNS || src == LLMNR || src == NBNS || dst == NBNS
                || (src == BOOTPC && dst == BOOTPS) || (src == BOOTPS && dst == BOOTPC);
    }

    // ------------------------------------------------------------------------------------------------ ARP

    void arp(DecodedPacket p, CapturedPacket f) {
        counters.arpFrames++;
        byte[] b = f.data;
        int off = p.networkOffset, len = f.captureLength;
        if (off < 0 || off + 8 > len) {
            counters.arpMalformed++;
            return;
        }
        int htype = u16(b, off), ptype = u16(b, off + 2), hlen = b[off + 4] & 255, plen = b[off + 5] & 255;
        int op = u16(b, off + 6);
        if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4) {
            counters.arpNotIpv4++;
            return;
        }
        if (off + 28 > len || (op != 1 && op != 2)) {
            counters.arpMalformed++;
            return;
        }
        long sha = mac(b, off + 8);
        int spa = s32(b, off + 14);
        int tpa = s32(b, off + 24);
        if (sha == 0 || (sha & 0x0100_0000_0000L) != 0) {
            counters.arpMalformed++; // a zero or group sender MAC is never a host
            return;
        }
        // gratuitous: an announcement of one's own address (sender = target address), request or reply
        boolean gratuitous = spa != 0 && spa == tpa;
        tracker.arpBinding(spa, sha, gratuitous, f.timestampNanos);
    }

    // ------------------------------------------------------------------------------------------------ UDP

    void udp(DecodedPacket p, CapturedPacket f) {
        int off = p.payloadOffset, end = Math.min(f.captureLength, off + p.payloadCaptured);
        if (off < 0 || end <= off) return;
        byte[] b = f.data;
        long ns = f.timestampNanos;
        if ((p.srcPort == BOOTPC && p.dstPort == BOOTPS) || (p.srcPort == BOOTPS && p.dstPort == BOOTPC)) {
            dhcp(b, off, end, ns);
        } else if (p.srcPort == NBNS || p.dstPort == NBNS) {
            nbns(b, off, end, ns);
        } else {
            String source = p.srcPort == DNS ? "dns-ptr" : (p.srcPort == LLMNR ? "llmnr" : "mdns");
            dns(b, off, end, ns, source);
        }
    }

    private void dhcp(byte[] b, int off, int end, long ns) {
        counters.dhcpMessages++;
        if (end - off < 240 || s32(b, off + 236) != 0x63825363 || (b[off + 1] & 255) != 1 || (b[off + 2] & 255) != 6) {
            counters.dhcpMalformed++;
            return;
        }
        int op = b[off] & 255;
        int ciaddr = s32(b, off + 12), yiaddr = s32(b, off + 16);
        long chaddr = mac(b, off + 28);
        if (chaddr == 0 || (chaddr & 0x0100_0000_0000L) != 0) {
            counters.dhcpMalformed++;
            return;
        }
        int type = -1;
        String hostname = null, params = null, vendor = null, fqdn = null;
        int i = off + 240;
        int options = 0;
        while (i < end) {
            int code = b[i] & 255;
            if (code == 255) break;
            if (code == 0) {
                i++;
                continue;
            }
            if (i + 2 > end || ++options > 255) {
                counters.dhcpMalformed++;
                return;
            }
            int l = b[i + 1] & 255;
            int v = i + 2;
            if (v + l > end) {
                counters.dhcpMalformed++;
                return;
            }
            switch (code) {
                case 53 -> type = l >= 1 ? b[v] & 255 : -1;
                case 12 -> hostname = text(b, v, l);
                case 55 -> {
                    StringBuilder s = new StringBuilder();
                    for (int k = 0; k < l; k++) {
                        if (k > 0) s.append(',');
                        s.append(b[v + k] & 255);
                    }
                    params = s.toString();
                }
                case 60 -> vendor = text(b, v, l);
                case 81 -> fqdn = l > 3 ? fqdnName(b, v + 3, l - 3, (b[v] & 0x04) != 0) : null;
                default -> { }
            }
            i = v + l;
        }
        if (op == 1) {
            if (hostname == null) hostname = fqdn;
            if (hostname != null) hostname = clean(hostname);
            tracker.dhcpClient(chaddr, ciaddr, hostname, params, vendor, ns);
        } else if (op == 2 && type == 5) {
            tracker.dhcpLease(chaddr, yiaddr, ns);
        }
    }

    /** Option 81's name: wire format when the E bit is set, else ASCII (deprecated but common). */
    private String fqdnName(byte[] b, int v, int l, boolean wire) {
        if (!wire) return text(b, v, l);
        nameLen = 0;
        int end = v + l;
        int i = v;
        while (i < end) {
            int n = b[i] & 255;
            if (n == 0 || n > 63 || i + 1 + n > end) break;
            if (!appendLabel(b, i + 1, n)) return null;
            i += 1 + n;
        }
        return nameLen == 0 ? null : new String(nameBuf, 0, nameLen, StandardCharsets.US_ASCII);
    }

    // --- DNS-format answers

    private void dns(byte[] b, int off, int end, long ns, String source) {
        if (end - off < 12) {
            counters.nameMalformed++;
            return;
        }
        int flags = u16(b, off + 2);
        if ((flags & 0x8000) == 0) return; // queries say nothing about who holds a name
        counters.nameMessages++;
        int qd = u16(b, off + 4), an = u16(b, off + 6), ns1 = u16(b, off + 8), ar = u16(b, off + 10);
        int i = off + 12;
        for (int k = 0; k < qd; k++) {
            i = skipName(b, i, end);
            if (i < 0 || i + 4 > end) {
                counters.nameMalformed++;
                return;
            }
            i += 4;
        }
        int records = Math.min(an + ns1 + ar, 64);
        for (int k = 0; k < records; k++) {
            int nameStart = i;
            i = skipName(b, i, end);
            if (i < 0 || i + 10 > end) {
                if (k < an) counters.nameMalformed++;
                return;
            }
            int type = u16(b, i), rdlen = u16(b, i + 8);
            int rd = i + 10;
            if (rd + rdlen > end) {
                counters.nameMalformed++;
                return;
            }
            if (type == 12) {
                // PTR: owner d.c.b.a.in-addr.arpa names the address, rdata is the host name
                if (!readName(b, off, nameStart, end)) {
                    counters.nameMalformed++; // a compression loop or a name running off the message
                    return;
                }
                int addr = reverseV4(nameLen);
                if (addr != 0) {
                    if (!readName(b, off, rd, end)) {
                        counters.nameMalformed++;
                        return;
                    }
                    tracker.addressName(Addresses.ipv4Text(addr), clean(new String(nameBuf, 0, nameLen,
                            StandardCharsets.US_ASCII)), source, ns);
                }
            } else if (type == 1 && rdlen == 4 && !"dns-ptr".equals(source)) {
                // mDNS / LLMNR: a host answering for its own name with its address
                if (!readName(b, off, nameStart, end)) {
                    counters.nameMalformed++;
                    return;
                }
                tracker.addressName(Addresses.ipv4Text(s32(b, rd)), clean(new String(nameBuf, 0, nameLen,
                        StandardCharsets.US_ASCII)), source, ns);
            }
            i = rd + rdlen;
        }
    }

    /** The owner name held in nameBuf as "d.c.b.a.in-addr.arpa": the IPv4 address, or 0. */
    private int reverseV4(int len) {
        String suffix = ".in-addr.arpa";
        if (len <= suffix.length()) return 0;
        for (int k = 0; k < suffix.length(); k++) {
            if (Character.toLowerCase(nameBuf[len - suffix.length() + k]) != suffix.charAt(k)) return 0;
        }
        int[] parts = new int[4];
        int n = 0, v = -1;
        for (int k = 0; k < len - suffix.length(); k++) {
            byte c = nameBuf[k];
            if (c == '.') {
                if (v < 0 || n >= 3) return 0;
                parts[n++] = v;
                v = -1;
            } else if (c >= '0' && c <= '9') {
                v = (v < 0 ? 0 : v * 10) + (c - '0');
                if (v > 255) return 0;
            } else {
                return 0;
            }
        }
        if (v < 0 || n != 3) return 0;
        parts[3] = v;
        return parts[3] << 24 | parts[2] << 16 | parts[1] << 8 | parts[0];
    }

    /** Skips a (possibly compressed) name; the offset after it, or -1. */
    private static int skipName(byte[] b, int i, int end) {
        for (int labels = 0; labels < 128; labels++) {
            if (i >= end) return -1;
            int n = b[i] & 255;
            if (n == 0) return i + 1;
            if ((n & 0xC0) == 0xC0) return i + 2 <= end ? i + 2 : -1;
            if ((n & 0xC0) != 0) return -1;
            i += 1 + n;
        }
        return -1;
    }

    /** Reads the name at {@code i} (following compression pointers, bounded) into nameBuf as dotted text. */
    private boolean readName(byte[] b, int msg, int i, int end) {
        nameLen = 0;
        for (int jumps = 0, labels = 0; labels < 128; labels++) {
            if (i >= end) return false;
            int n = b[i] & 255;
            if (n == 0) return nameLen > 0;
            if ((n & 0xC0) == 0xC0) {
                if (i + 1 >= end || ++jumps > 16) return false;
                i = msg + (((n & 0x3F) << 8) | (b[i + 1] & 255));
                continue;
            }
            if ((n & 0xC0) != 0 || i + 1 + n > end) return false;
            if (!appendLabel(b, i + 1, n)) return false;
            i += 1 + n;
        }
        return false;
    }

    private boolean appendLabel(byte[] b, int from, int n) {
        if (nameLen + n + 1 > MAX_NAME) return false;
        if (nameLen > 0) nameBuf[nameLen++] = '.';
        for (int k = 0; k < n; k++) {
            byte c = b[from + k];
            nameBuf[nameLen++] = (c >= 0x21 && c < 0x7F) ? c : (byte) '?';
        }
        return true;
    }

    // --- NetBIOS name service (RFC 1002): registrations and positive answers carry name and address

    private void nbns(byte[] b, int off, int end, long ns) {
        if (end - off < 12) {
            counters.nameMalformed++;
            return;
        }
        counters.nameMessages++;
        int flags = u16(b, off + 2);
        int opcode = (flags >>> 11) & 0xF;
        boolean response = (flags & 0x8000) != 0;
        int qd = u16(b, off + 4), an = u16(b, off + 6), ar = u16(b, off + 10);
        boolean registration = !response && (opcode == 5 || opcode == 8) && ar > 0;
        if (!(response && an > 0 && (flags & 0xF) == 0) && !registration) return;
        int i = off + 12;
        String name = null;
        if (registration && qd > 0) {
            name = netbiosName(b, i, end);
            i = skipName(b, i, end);
            if (i < 0 || i + 4 > end) {
                counters.nameMalformed++;
                return;
            }
            i += 4;
        }
        int ownerAt = i;
        i = skipName(b, i, end);
        if (i < 0 || i + 10 > end) {
            counters.nameMalformed++;
            return;
        }
        int type = u16(b, i), rdlen = u16(b, i + 8), rd = i + 10;
        if (type != 0x20 || rdlen < 6 || rd + 6 > end) return;
        if (name == null) name = netbiosName(b, ownerAt, end);
        int addr = s32(b, rd + 2);
        if (name != null && addr != 0) tracker.addressName(Addresses.ipv4Text(addr), name, "netbios", ns);
    }

    /** First-level decoding of a NetBIOS name (32 letters A-P → 16 bytes), workstation/server suffixes only. */
    private String netbiosName(byte[] b, int i, int end) {
        if (i + 34 > end || (b[i] & 255) != 32) return null;
        byte[] raw = new byte[16];
        for (int k = 0; k < 16; k++) {
            int hi = b[i + 1 + 2 * k] - 'A', lo = b[i + 2 + 2 * k] - 'A';
            if (hi < 0 || hi > 15 || lo < 0 || lo > 15) return null;
            raw[k] = (byte) (hi << 4 | lo);
        }
        int suffix = raw[15] & 255;
        if (suffix != 0x00 && suffix != 0x20) return null;
        int n = 15;
        while (n > 0 && raw[n - 1] == ' ') n--;
        if (n == 0 || raw[0] == '*') return null;
        for (int k = 0; k < n; k++) if (raw[k] < 0x21 || raw[k] >= 0x7F) return null;
        return new String(raw, 0, n, StandardCharsets.US_ASCII).toLowerCase();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A host name as stored: lower case, without the trailing dot or the mDNS ".local" suffix. */
    static String clean(String s) {
        String t = s.trim().toLowerCase();
        if (t.endsWith(".")) t = t.substring(0, t.length() - 1);
        if (t.endsWith(".local")) t = t.substring(0, t.length() - 6);
        return t.isEmpty() ? null : t;
    }

    private static String text(byte[] b, int v, int l) {
        int n = Math.min(l, 255);
        while (n > 0 && b[v + n - 1] == 0) n--;
        if (n == 0) return null;
        char[] c = new char[n];
        for (int k = 0; k < n; k++) {
            int x = b[v + k] & 255;
            c[k] = x >= 0x20 && x < 0x7F ? (char) x : '?';
        }
        return new String(c);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 255) << 8 | (b[i + 1] & 255);
    }

    private static int s32(byte[] b, int i) {
        return (b[i] & 255) << 24 | (b[i + 1] & 255) << 16 | (b[i + 2] & 255) << 8 | (b[i + 3] & 255);
    }

    private static long mac(byte[] b, int i) {
        long v = 0;
        for (int k = 0; k < 6; k++) v = v << 8 | (b[i + k] & 255);
        return v;
    }
}
