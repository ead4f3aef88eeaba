package dev.vigie.protocols;

/** TLS protocol version codes: GREASE, Zeek-style names, and JA4's two-character form. */
final class TlsVersions {
    private TlsVersions() {}

    /** RFC 8701 GREASE: 0x0a0a, 0x1a1a, ... 0xfafa. Fingerprints and counts ignore them. */
    static boolean isGrease(int v) {
        return (v & 0x0F0F) == 0x0A0A && (v >>> 8) == (v & 0xFF);
    }

    /** Zeek's spelling: SSLv3, TLSv10, TLSv11, TLSv12, TLSv13, DTLSv12...; unknown codes as hex. */
    static String name(int v) {
        return switch (v) {
            case 0x0002 -> "SSLv2";
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv10";
            case 0x0302 -> "TLSv11";
            case 0x0303 -> "TLSv12";
            case 0x0304 -> "TLSv13";
            case 0xFEFF -> "DTLSv10";
            case 0xFEFD -> "DTLSv12";
            case 0xFEFC -> "DTLSv13";
            default -> (v >>> 8) == 0x7F ? "TLSv13-draft" + (v & 0xFF) : "unknown-" + hex(v);
        };
    }

    static String ja4(int v) {
        return switch (v) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002 -> "s2";
            case 0xFEFF -> "d1";
            case 0xFEFD -> "d2";
            case 0xFEFC -> "d3";
            default -> "00";
        };
    }

    static String hex(int v) {
        StringBuilder sb = new StringBuilder(6).append("0x");
        Text.hex4(sb, v);
        return sb.toString();
    }
}
