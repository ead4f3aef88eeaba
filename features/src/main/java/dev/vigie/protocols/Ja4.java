package dev.vigie.protocols;

import java.util.Arrays;

/**
 * JA4 (FoxIO, BSD-3): {@code t13d1516h2_8daaf6152771_e5627efa2ab1}. Transport, version (highest supported_versions
 * entry, else the legacy version), SNI present (d) or not (i), cipher and extension counts (two digits, capped at
 * 99, GREASE ignored, SNI and ALPN counted), first and last character of the first ALPN value (00 when none; the
 * hex form's first and last digit when either end byte is not alphanumeric); then the first 12 hex digits of
 * SHA-256 over the sorted 4-hex-digit cipher list, and over the sorted extension list without SNI (0000) and ALPN
 * (0010) followed by '_' and the signature algorithms in wire order (no '_' when there are none). An empty list
 * hashes to twelve zeros. Only JA4 itself: the other JA4+ fingerprints carry FoxIO's own licence.
 */
final class Ja4 {
    private static final String EMPTY = "000000000000";

    private Ja4() {}

    static String fingerprint(ParseContext ctx, ClientHello h, char transport) {
        AsciiBuilder list = ctx.ascii;
        int[] tmp = ctx.sortScratch;

        int ciphers = copyNonGrease(h.ciphers, h.cipherCount, tmp, false);
        Arrays.sort(tmp, 0, ciphers);
        hexList(list.clear(), tmp, ciphers);
        String cipherHash = ciphers == 0 ? EMPTY : list.digestHex(ctx.sha256, 12);

        int extensionsAll = 0;
        for (int i = 0; i < h.extensionCount; i++) {
            if (!TlsVersions.isGrease(h.extensions[i])) {
                extensionsAll++;
            }
        }
        int exts = copyNonGrease(h.extensions, h.extensionCount, tmp, true);
        Arrays.sort(tmp, 0, exts);
        hexList(list.clear(), tmp, exts);
        int sigs = copyNonGrease(h.sigAlgs, h.sigAlgCount, tmp, false);
        if (sigs > 0) {
            list.append('_');
            hexList(list, tmp, sigs);   // wire order: copyNonGrease keeps it
        }
        String extensionHash = exts == 0 ? EMPTY : list.digestHex(ctx.sha256, 12);

        StringBuilder sb = ctx.sb;
        sb.setLength(0);
        sb.append(transport).append(TlsVersions.ja4(h.maxVersion())).append(h.sniPresent ? 'd' : 'i');
        twoDigits(sb, ciphers);
        twoDigits(sb, extensionsAll);
        alpn(sb, h);
        sb.append('_').append(cipherHash).append('_').append(extensionHash);
        return sb.toString();
    }

    private static int copyNonGrease(int[] from, int n, int[] to, boolean dropSniAlpn) {
        int k = 0;
        for (int i = 0; i < n && k < to.length; i++) {
            int v = from[i];
            if (TlsVersions.isGrease(v) || dropSniAlpn && (v == 0x0000 || v == 0x0010)) {
                continue;
            }
            to[k++] = v;
        }
        return k;
    }

    private static void hexList(AsciiBuilder list, int[] v, int n) {
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                list.append(',');
            }
            list.hex4(v[i]);
        }
    }

    private static void twoDigits(StringBuilder sb, int n) {
        int v = Math.min(n, 99);
        sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static void alpn(StringBuilder sb, ClientHello h) {
        if (h.alpnLen <= 0 || h.alpnBuf == null) {
            sb.append("00");
            return;
        }
        byte[] b = h.alpnBuf;
        int first = b[h.alpnOff] & 0xFF;
        int last = b[h.alpnOff + h.alpnLen - 1] & 0xFF;
        if (alphanumeric(first) && alphanumeric(last)) {
            sb.append((char) first).append((char) last);
        } else {
            sb.append(Character.forDigit(first >>> 4, 16)).append(Character.forDigit(last & 15, 16));
        }
    }

    private static boolean alphanumeric(int c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }
}
