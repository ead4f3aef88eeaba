package dev.vigie.protocols;

/**
 * JA3 (Salesforce): MD5 of "version,ciphers,extensions,groups,point formats", decimal values joined by '-', GREASE
 * left out of ciphers, extensions and groups. The version is the ClientHello's legacy version field.
 */
final class Ja3 {
    private Ja3() {}

    /** The JA3 string itself (what gets hashed). */
    static String text(AsciiBuilder sb, ClientHello h) {
        return write(sb, h).toString();
    }

    static String hash(ParseContext ctx, ClientHello h) {
        return write(ctx.ascii, h).digestHex(ctx.md5, 32);
    }

    private static AsciiBuilder write(AsciiBuilder sb, ClientHello h) {
        sb.clear().decimal(h.legacyVersion).append(',');
        join(sb, h.ciphers, h.cipherCount, true);
        sb.append(',');
        join(sb, h.extensions, h.extensionCount, true);
        sb.append(',');
        join(sb, h.groups, h.groupCount, true);
        sb.append(',');
        join(sb, h.pointFormats, h.pointFormatCount, false);
        return sb;
    }

    private static void join(AsciiBuilder sb, int[] values, int n, boolean skipGrease) {
        boolean first = true;
        for (int i = 0; i < n; i++) {
            if (skipGrease && TlsVersions.isGrease(values[i])) {
                continue;
            }
            if (!first) {
                sb.append('-');
            }
            sb.decimal(values[i]);
            first = false;
        }
    }
}
