package dev.vigie.protocols;

/**
 * JA3 (Salesforce): MD5 of "version,ciphers,extensions,groups,point formats", decimal values joined by '-', GREASE
 * left out of ciphers, extensions and groups. The version is the ClientHello's legacy version field.
 */
final class Ja3 {
    private Ja3() {}

    /** The JA3 string itself (what gets hashed). */
    static String text(AsciiBuilder line, ClientHello h) {
        return write(line, h).toString();
    }

    static String hash(ParseContext ctx, ClientHello h) {
        return write(ctx.ascii, h).digestHex(ctx.md5, 32);
    }

    private static AsciiBuilder write(AsciiBuilder line, ClientHello h) {
        line.clear().decimal(h.legacyVersion).append(',');
        join(line, h.ciphers, h.cipherCount, true);
        line.append(',');
        join(line, h.extensions, h.extensionCount, true);
        line.append(',');
        join(line, h.groups, h.groupCount, true);
        line.append(',');
        join(line, h.pointFormats, h.pointFormatCount, false);
        return line;
    }

    private static void join(AsciiBuilder line, int[] values, int n, boolean skipGrease) {
        boolean first = true;
        for (int i = 0; i < n; i++) {
            if (skipGrease && TlsVersions.isGrease(values[i])) {
                continue;
            }
            if (!first) {
                line.append('-');
            }
            line.decimal(values[i]);
            first = false;
        }
    }
}
