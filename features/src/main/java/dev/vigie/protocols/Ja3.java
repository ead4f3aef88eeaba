package dev.vigie.protocols;

/**
 * JA3 (Salesforce): MD5 of "version,ciphers,extensions,groups,point formats", decimal values joined by '-', GREASE
 * left out of ciphers, extensions and groups. The version is the ClientHello's legacy version field.
 */
final class Ja3 {
    private Ja3() {}

    /** The JA3 string itself (what gets hashed). */
    static String text(StringBuilder sb, ClientHello h) {
        sb.setLength(0);
        sb.append(h.legacyVersion).append(',');
        join(sb, h.ciphers, h.cipherCount, true);
        sb.append(',');
        join(sb, h.extensions, h.extensionCount, true);
        sb.append(',');
        join(sb, h.groups, h.groupCount, true);
        sb.append(',');
        join(sb, h.pointFormats, h.pointFormatCount, false);
        return sb.toString();
    }

    static String hash(ParseContext ctx, ClientHello h) {
        return Digests.hex(ctx.md5, text(ctx.sb, h), 32);
    }

    private static void join(StringBuilder sb, int[] values, int n, boolean skipGrease) {
        boolean first = true;
        for (int i = 0; i < n; i++) {
            if (skipGrease && TlsVersions.isGrease(values[i])) {
                continue;
            }
            if (!first) {
                sb.append('-');
            }
            sb.append(values[i]);
            first = false;
        }
    }
}
