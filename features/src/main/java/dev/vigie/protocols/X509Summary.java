package dev.vigie.protocols;

/**
 * The few fields of an X.509 certificate the flow record keeps (subject, issuer, validity), read by a minimal DER
 * walker that checks every length against its parent and never throws: a TLS server certificate is
 * attacker-supplied. Names are written as OpenSSL's RFC 2253 form (what Zeek logs): last RDN first, {@code ,}
 * between RDNs, {@code +} inside one, short names for the usual attributes (emailAddress included) and the dotted
 * OID otherwise, RFC 2253 escapes, and non-string values as {@code #} + hex.
 */
final class X509Summary {
    String subject;
    String issuer;
    /** Validity bounds in nanoseconds since the epoch; {@link Long#MIN_VALUE} when absent or unreadable. */
    long notBeforeNs = Long.MIN_VALUE;
    long notAfterNs = Long.MIN_VALUE;

    private static final int SEQUENCE = 0x30, SET = 0x31, INTEGER = 0x02, OID = 0x06, UTC_TIME = 0x17,
            GENERALIZED_TIME = 0x18, CONTEXT_0 = 0xA0;
    private static final int MAX_RDNS = 32;

    // Cursor of the last TLV read: tag, content start and end. -1 tag: malformed.
    private int tag;
    private int start;
    private int end;

    /** Parses {@code der[off, off+len)}; false when the structure is broken before subject and validity were read. */
    static boolean parse(X509Summary out, StringBuilder sb, byte[] der, int off, int len) {
        return out.read(sb, der, off, off + len);
    }

    private boolean read(StringBuilder sb, byte[] b, int off, int limit) {
        if (!tlv(b, off, limit) || tag != SEQUENCE) {
            return false;
        }
        if (!tlv(b, start, end) || tag != SEQUENCE) {          // tbsCertificate
            return false;
        }
        int p = start;
        int tbsEnd = end;
        if (!tlv(b, p, tbsEnd)) {
            return false;
        }
        if (tag == CONTEXT_0) {                                   // [0] version
            p = end;
            if (!tlv(b, p, tbsEnd)) {
                return false;
            }
        }
        if (tag != INTEGER) {                                     // serialNumber
            return false;
        }
        p = end;
        if (!tlv(b, p, tbsEnd) || tag != SEQUENCE) {              // signature AlgorithmIdentifier
            return false;
        }
        p = end;
        if (!tlv(b, p, tbsEnd) || tag != SEQUENCE) {              // issuer
            return false;
        }
        int issuerStart = start;
        int issuerEnd = end;
        p = end;
        if (!tlv(b, p, tbsEnd) || tag != SEQUENCE) {              // validity
            return false;
        }
        int validityEnd = end;
        int q = start;
        if (tlv(b, q, validityEnd)) {
            notBeforeNs = time(b, tag, start, end);
            q = end;
            if (tlv(b, q, validityEnd)) {
                notAfterNs = time(b, tag, start, end);
            }
        }
        p = validityEnd;
        issuer = name(sb, b, issuerStart, issuerEnd);
        if (!tlv(b, p, tbsEnd) || tag != SEQUENCE) {              // subject
            return issuer != null;
        }
        subject = name(sb, b, start, end);
        return subject != null && issuer != null;
    }

    /** Reads the TLV at {@code p}, which must fit before {@code limit}; sets {@link #tag}, {@link #start}, {@link #end}. */
    private boolean tlv(byte[] b, int p, int limit) {
        tag = -1;
        if (p < 0 || p + 2 > limit) {
            return false;
        }
        int t = b[p] & 0xFF;
        if ((t & 0x1F) == 0x1F) {
            return false;                                         // high tag numbers: nothing we read uses them
        }
        int l = b[p + 1] & 0xFF;
        int q = p + 2;
        long length;
        if (l < 0x80) {
            length = l;
        } else {
            int n = l & 0x7F;
            if (n == 0 || n > 4 || q + n > limit) {
                return false;                                     // indefinite or absurd lengths are not DER
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (b[q + i] & 0xFF);
            }
            q += n;
        }
        if (length > limit - q) {
            return false;
        }
        tag = t;
        start = q;
        end = q + (int) length;
        return true;
    }

    // RDN positions of the name being written: RFC 2253 writes them last to first
    private final int[] rdnStart = new int[MAX_RDNS];
    private final int[] rdnEnd = new int[MAX_RDNS];

    private String name(StringBuilder sb, byte[] b, int from, int to) {
        int n = 0;
        int p = from;
        while (p < to) {
            if (!tlv(b, p, to) || tag != SET) {
                return null;
            }
            if (n == MAX_RDNS) {
                break;
            }
            rdnStart[n] = start;
            rdnEnd[n] = end;
            n++;
            p = end;
        }
        sb.setLength(0);
        for (int r = n - 1; r >= 0; r--) {
            if (r != n - 1) {
                sb.append(',');
            }
            int a = rdnStart[r];
            boolean firstAttribute = true;
            while (a < rdnEnd[r]) {
                if (!tlv(b, a, rdnEnd[r]) || tag != SEQUENCE) {
                    return null;
                }
                int next = end;
                int attrEnd = end;
                if (!tlv(b, start, attrEnd) || tag != OID) {
                    return null;
                }
                int oidStart = start;
                int oidEnd = end;
                if (!tlv(b, oidEnd, attrEnd)) {
                    return null;
                }
                if (!firstAttribute) {
                    sb.append('+');
                }
                firstAttribute = false;
                attributeType(sb, b, oidStart, oidEnd);
                sb.append('=');
                attributeValue(sb, b, tag, start, end, oidEnd);
                a = next;
                if (sb.length() > Text.MAX_VALUE) {
                    sb.setLength(Text.MAX_VALUE);
                    return sb.toString();
                }
            }
        }
        return sb.toString();
    }

    // X.520 attribute types 2.5.4.n are 55 04 n; the others are matched on their whole encoding
    private static final String[] X520 = new String[128];
    private static final byte[][] OTHER_OIDS = {
        {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x09, 0x01},        // 1.2.840.113549.1.9.1
        {0x09, (byte) 0x92, 0x26, (byte) 0x89, (byte) 0x93, (byte) 0xF2, 0x2C, 0x64, 0x01, 0x19}, // 0.9.2342.19200300.100.1.25
        {0x09, (byte) 0x92, 0x26, (byte) 0x89, (byte) 0x93, (byte) 0xF2, 0x2C, 0x64, 0x01, 0x01}, // 0.9.2342.19200300.100.1.1
        {0x2B, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x3C, 0x02, 0x01, 0x03},          // 1.3.6.1.4.1.311.60.2.1.3
        {0x2B, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x3C, 0x02, 0x01, 0x02},
        {0x2B, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x3C, 0x02, 0x01, 0x01},
    };
    private static final String[] OTHER_NAMES = {"emailAddress", "DC", "UID", "jurisdictionC", "jurisdictionST",
        "jurisdictionL"};

    static {
        X520[3] = "CN";
        X520[4] = "SN";
        X520[5] = "serialNumber";
        X520[6] = "C";
        X520[7] = "L";
        X520[8] = "ST";
        X520[9] = "street";
        X520[10] = "O";
        X520[11] = "OU";
        X520[12] = "title";
        X520[15] = "businessCategory";
        X520[17] = "postalCode";
        X520[42] = "GN";
        X520[97] = "organizationIdentifier";
    }

    /** The usual short name of the attribute type whose OID content is {@code b[from, to)}, else its dotted form. */
    private static void attributeType(StringBuilder sb, byte[] b, int from, int to) {
        int n = to - from;
        if (n == 3 && b[from] == 0x55 && b[from + 1] == 0x04 && b[from + 2] >= 0 && X520[b[from + 2]] != null) {
            sb.append(X520[b[from + 2]]);
            return;
        }
        for (int k = 0; k < OTHER_OIDS.length; k++) {
            if (java.util.Arrays.equals(b, from, to, OTHER_OIDS[k], 0, OTHER_OIDS[k].length)) {
                sb.append(OTHER_NAMES[k]);
                return;
            }
        }
        oid(sb, b, from, to);
    }

    /** Dotted form of the OID content {@code b[from, to)}. */
    static void oid(StringBuilder sb, byte[] b, int from, int to) {
        long v = 0;
        boolean first = true;
        int digits = 0;
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            v = (v << 7) | (c & 0x7F);
            if (++digits > 8) {                                   // arcs past 2^56: give up on this OID
                sb.append("?");
                return;
            }
            if ((c & 0x80) == 0) {
                if (first) {
                    long x = v < 40 ? 0 : v < 80 ? 1 : 2;
                    sb.append(x).append('.').append(v - 40 * x);
                    first = false;
                } else {
                    sb.append('.').append(v);
                }
                v = 0;
                digits = 0;
            }
        }
    }

    /** Writes the value whose content is {@code b[from, to)} and whose TLV starts at {@code tlvStart}. */
    private static void attributeValue(StringBuilder sb, byte[] b, int t, int from, int to, int tlvStart) {
        int mark = sb.length();
        switch (t) {
            case 0x0C -> utf8(sb, b, from, to);                                   // UTF8String
            case 0x13, 0x16, 0x1A, 0x12, 0x14 -> latin1(sb, b, from, to);         // Printable, IA5, Visible, Numeric, T61
            case 0x1E -> bmp(sb, b, from, to);                                    // BMPString
            default -> {
                sb.append('#');                                   // the whole value TLV in hex, as RFC 2253 says
                Text.hex(sb, b, tlvStart, Math.min(to - tlvStart, Text.MAX_VALUE / 2));
                return;
            }
        }
        escape2253(sb, mark);
    }

    private static void utf8(StringBuilder sb, byte[] b, int from, int to) {
        Text.append(sb, b, from, to - from, Text.MAX_VALUE * 2, false);
    }

    private static void latin1(StringBuilder sb, byte[] b, int from, int to) {
        for (int i = from; i < to && sb.length() < Text.MAX_VALUE * 2; i++) {
            char c = (char) (b[i] & 0xFF);
            if (c < 0x20 || c >= 0x7F && c < 0xA0) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
    }

    private static void bmp(StringBuilder sb, byte[] b, int from, int to) {
        for (int i = from; i + 1 < to && sb.length() < Text.MAX_VALUE * 2; i += 2) {
            char c = (char) (((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF));
            if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
                sb.append(String.format("\\x%02x", c & 0xFF));
            } else {
                sb.append(c);
            }
        }
    }

    /** RFC 2253 section 2.4 escapes for the value written since {@code mark}. */
    private static void escape2253(StringBuilder sb, int mark) {
        for (int i = mark; i < sb.length(); i++) {
            char c = sb.charAt(i);
            boolean special = c == ',' || c == '+' || c == '"' || c == '\\' && !isHexEscape(sb, i)
                    || c == '<' || c == '>' || c == ';'
                    || c == '#' && i == mark || c == ' ' && (i == mark || i == sb.length() - 1);
            if (special) {
                sb.insert(i, '\\');
                i++;
            }
        }
    }

    /** True when the backslash at {@code i} starts one of our own \xNN escapes. */
    private static boolean isHexEscape(StringBuilder sb, int i) {
        return i + 3 < sb.length() && sb.charAt(i + 1) == 'x' && Character.digit(sb.charAt(i + 2), 16) >= 0
                && Character.digit(sb.charAt(i + 3), 16) >= 0;
    }

    /** UTCTime (YYMMDDHHMMSSZ, years 50-99 are 19xx) or GeneralizedTime (YYYYMMDDHHMMSS[.f]Z) as epoch nanos. */
    static long time(byte[] b, int t, int from, int to) {
        int p = from;
        int year;
        if (t == UTC_TIME) {
            int yy = digits(b, p, to, 2);
            if (yy < 0) {
                return Long.MIN_VALUE;
            }
            year = yy < 50 ? 2000 + yy : 1900 + yy;
            p += 2;
        } else if (t == GENERALIZED_TIME) {
            year = digits(b, p, to, 4);
            p += 4;
        } else {
            return Long.MIN_VALUE;
        }
        int month = digits(b, p, to, 2);
        int day = digits(b, p + 2, to, 2);
        int hour = digits(b, p + 4, to, 2);
        int minute = digits(b, p + 6, to, 2);
        int second = digits(b, p + 8, to, 2);
        if (second < 0) {
            second = 0;                                           // BER allows UTCTime without seconds
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second > 60) {
            return Long.MIN_VALUE;
        }
        long days = daysFromCivil(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000_000_000L + second * 1_000_000_000L;
    }

    private static int digits(byte[] b, int p, int to, int n) {
        if (p + n > to) {
            return -1;
        }
        int v = 0;
        for (int i = p; i < p + n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}
