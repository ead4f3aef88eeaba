package dev.vigie.protocols;

import dev.vigie.features.IpText;

/**
 * DHCP (BOOTP with the magic cookie) over UDP 67/68: message types seen, and from the first message carrying them,
 * the client hardware address, requested address (option 50), host name (option 12, else the option 81 FQDN),
 * vendor class (60) and parameter request list (55, in wire order: an OS fingerprint). Client messages win over
 * server ones for the client fields. Option overload (52) is not followed.
 */
final class DhcpParser extends ProtocolParser {
    static final int COOKIE_OFFSET = 236;
    static final int MAGIC = 0x63825363;
    private static final String[] TYPES = {null, "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE",
        "INFORM", "FORCERENEW", "LEASEQUERY", "LEASEUNASSIGNED", "LEASEUNKNOWN", "LEASEACTIVE", "BULKLEASEQUERY",
        "LEASEQUERYDONE", "ACTIVELEASEQUERY", "LEASEQUERYSTATUS", "TLS"};

    final BoundedList messageTypes = new BoundedList();
    String clientMac;
    String requestedAddr;
    String hostname;
    String vendorClass;
    String paramList;
    int messages;
    private boolean clientFieldsFromClient;

    @Override
    AppProto proto() {
        return AppProto.DHCP;
    }

    @Override
    void onDatagram(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len) {
        if (len < COOKIE_OFFSET + 4 || (int) DnsParser.u32(b, off + COOKIE_OFFSET) != MAGIC) {
            parseError(ctx);
            return;
        }
        messages++;
        int op = b[off] & 0xFF;
        boolean fromClient = op == 1;
        // a later client message may replace what a server message told us, never the reverse
        boolean take = !clientFieldsFromClient && (fromClient || clientMac == null);
        if (take && fromClient) {
            clientFieldsFromClient = true;
        }
        if (take) {
            int htype = b[off + 1] & 0xFF;
            int hlen = b[off + 2] & 0xFF;
            if (htype == 1 && hlen == 6) {
                long mac = 0;
                for (int i = 0; i < 6; i++) {
                    mac = (mac << 8) | (b[off + 28 + i] & 0xFF);
                }
                clientMac = IpText.mac(mac);
            }
        }
        int p = off + COOKIE_OFFSET + 4;
        int end = off + len;
        String fqdn = null;
        String host = null;
        while (p < end) {
            int code = b[p] & 0xFF;
            if (code == 0) {
                p++;
                continue;
            }
            if (code == 255) {
                break;
            }
            if (p + 2 > end) {
                parseError(ctx);
                break;
            }
            int l = b[p + 1] & 0xFF;
            int v = p + 2;
            if (v + l > end) {
                parseError(ctx);
                break;
            }
            switch (code) {
                case 53 -> {
                    if (l >= 1) {
                        int t = b[v] & 0xFF;
                        String name = t < TYPES.length ? TYPES[t] : Integer.toString(t);
                        if (!messageTypes.addDistinct(name)) {
                            truncated(ctx);
                        }
                    }
                }
                case 50 -> {
                    if (take && l == 4) {
                        requestedAddr = IpText.format(4, 0, DnsParser.u32(b, v));
                    }
                }
                case 12 -> {
                    if (take && l > 0) {
                        host = Text.value(ctx.sb, b, v, l);
                    }
                }
                case 81 -> {
                    if (take && l > 3) {
                        fqdn = fqdn(ctx, b, v, l);
                    }
                }
                case 60 -> {
                    if (take && l > 0) {
                        vendorClass = Text.value(ctx.sb, b, v, l);
                    }
                }
                case 55 -> {
                    if (take && l > 0) {
                        StringBuilder sb = ctx.sb;
                        sb.setLength(0);
                        for (int i = 0; i < l && sb.length() < Text.MAX_LIST; i++) {
                            if (i > 0) {
                                sb.append(',');
                            }
                            sb.append(b[v + i] & 0xFF);
                        }
                        paramList = sb.toString();
                    }
                }
                default -> { }
            }
            p = v + l;
        }
        if (take && (host != null || fqdn != null)) {
            hostname = host != null ? host : fqdn;
        }
    }

    /** Option 81: flags, two obsolete rcodes, then the name in ASCII or (flag E) DNS wire format. */
    private static String fqdn(ParseContext ctx, byte[] b, int v, int l) {
        int flags = b[v] & 0xFF;
        int p = v + 3;
        int end = v + l;
        if ((flags & 0x04) == 0) {
            return Text.value(ctx.sb, b, p, end - p);
        }
        StringBuilder sb = ctx.sb;
        sb.setLength(0);
        while (p < end) {
            int n = b[p] & 0xFF;
            if (n == 0 || n > 63 || p + 1 + n > end) {
                break;
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            Text.append(sb, b, p + 1, n, Text.MAX_VALUE, false);
            p += 1 + n;
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    static boolean looksLikeDhcp(byte[] b, int off, int len) {
        int op = len > 0 ? b[off] & 0xFF : 0;
        return len >= COOKIE_OFFSET + 4 && (op == 1 || op == 2)
                && (int) DnsParser.u32(b, off + COOKIE_OFFSET) == MAGIC;
    }
}
