package dev.vigie.dlp;

/**
 * Validation of candidate identifiers, on a compact run (separating spaces already removed). Pure functions, no
 * allocation: they run once per digit run, which is many times per packet on digit-heavy text.
 */
public final class Detectors {
    private Detectors() {}

    /**
     * True when {@code s[0..len)} is a French NIR: 15 characters, sex 1/2/3/4/7/8, year 2 digits, month 01-12,
     * 20-42 or 50-99 (INSEE codes for unknown or provisional months), department 2 digits or Corsica 2A/2B, commune
     * 3 digits, order 3 digits, then the key 97 - (number mod 97) where Corsica 2A counts as 19 and 2B as 18.
     * The INS (identifiant national de sante) is the NIR itself, so the same rule finds both.
     */
    public static boolean nir(byte[] s, int len) {
        if (len != 15) {
            return false;
        }
        int sex = s[0] - '0';
        if (sex != 1 && sex != 2 && sex != 3 && sex != 4 && sex != 7 && sex != 8) {
            return false;
        }
        for (int i = 0; i < 15; i++) {
            if ((i != 6) && !digit(s[i])) {
                return false;
            }
        }
        int month = (s[3] - '0') * 10 + (s[4] - '0');
        if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || (month >= 50 && month <= 99))) {
            return false;
        }
        long n = 0;
        for (int i = 0; i < 13; i++) {
            int d;
            if (i == 5 && (s[6] == 'A' || s[6] == 'B')) {
                if (s[5] != '2') {
                    return false;
                }
                n = n * 100 + (s[6] == 'A' ? 19 : 18);
                i++;
                continue;
            }
            if (!digit(s[i])) {
                return false;
            }
            d = s[i] - '0';
            n = n * 10 + d;
        }
        int key = (s[13] - '0') * 10 + (s[14] - '0');
        return key == 97 - (int) (n % 97);
    }

    /**
     * True when {@code s[0..len)} is a payment card number: 13 to 19 digits, a Visa (4), Mastercard (51-55,
     * 2221-2720), American Express (34, 37) or Discover (6011, 65) prefix, and a valid Luhn check digit. The
     * prefix test keeps most random digit runs with a lucky Luhn digit (1 in 10) out.
     */
    public static boolean card(byte[] s, int len) {
        if (len < 13 || len > 19) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (!digit(s[i])) {
                return false;
            }
        }
        int p2 = (s[0] - '0') * 10 + (s[1] - '0');
        int p4 = p2 * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        boolean brand = s[0] == '4' && (len == 13 || len == 16 || len == 19)
                || (p2 >= 51 && p2 <= 55 || p4 >= 2221 && p4 <= 2720) && len == 16
                || (p2 == 34 || p2 == 37) && len == 15
                || (p4 == 6011 || p2 == 65) && len >= 16;
        return brand && luhn(s, len);
    }

    /** The Luhn mod-10 check over all {@code len} digits (the last one is the check digit). */
    public static boolean luhn(byte[] s, int len) {
        return luhn(s, 0, len);
    }

    /** The Luhn check over {@code s[off..off+len)}. */
    public static boolean luhn(byte[] s, int off, int len) {
        int sum = 0;
        boolean dbl = false;
        for (int i = off + len - 1; i >= off; i--) {
            int d = s[i] - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /**
     * The masked form an analyst may see: a NIR keeps sex, year, month and key ({@code 1 84 12 ** *** *** 42}), a
     * card its last 4 digits ({@code **** 1234}). Enough to tell two values apart at a glance, not to rebuild one.
     */
    public static String mask(IdKind kind, byte[] s, int len) {
        return mask(kind, s, 0, len, 0);
    }

    /**
     * The masked form of {@code s[off..off+len)}. NIR and card as above; an IPP or IEP keeps its first
     * {@code head} digits (the site prefix, and the admission year when the pattern has one: constants of the
     * site, not of the patient) and its last 2 when at least 4 digits stay masked, the rest as {@code *}:
     * {@code 77****15}, {@code 525****11}.
     */
    public static String mask(IdKind kind, byte[] s, int off, int len, int head) {
        if (kind == IdKind.NIR) {
            return (char) s[off] + " " + (char) s[off + 1] + (char) s[off + 2] + " " + (char) s[off + 3]
                    + (char) s[off + 4] + " ** *** *** " + (char) s[off + 13] + (char) s[off + 14];
        }
        if (kind == IdKind.CARD) {
            return "**** " + new String(s, off + len - 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
        }
        int tail = len - head >= 6 ? 2 : 0;
        char[] out = new char[len];
        for (int i = 0; i < len; i++) {
            out[i] = i < head || i >= len - tail ? (char) s[off + i] : '*';
        }
        return new String(out);
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }
}
