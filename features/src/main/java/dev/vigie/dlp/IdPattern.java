package dev.vigie.dlp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A site's pattern for a local patient number (IPP) or stay number (IEP/NDA): digits only, a fixed total length, a
 * fixed prefix, optionally a two-digit year right after the prefix and a check digit. Such numbers are bare 8-10
 * digit runs, like timestamps, sizes or phone numbers, so a value that fits the pattern counts only with context
 * (a keyword, a CSV column or an HL7 field, see docs/dlp.md); the pattern alone only narrows the candidates.
 *
 * @param prefix   leading digits every value starts with (may be empty), e.g. the site code {@code 77}
 * @param length   total number of digits, prefix included; 0 disables the detector
 * @param yearLo   with {@code yearHi}: the two digits after the prefix are a year in {@code yearLo..yearHi}
 *                 (00-99); -1 for no year
 * @param yearHi   see {@code yearLo}
 * @param check    the check digit scheme over the whole value
 * @param keywords words (case-insensitive, letters only, at most {@link #MAX_KEYWORD} bytes) that give context
 */
public record IdPattern(String prefix, int length, int yearLo, int yearHi, Check check, List<String> keywords) {
    /** Longest identifier a site can configure: it must fit the scanner's run buffer. */
    public static final int MAX_LENGTH = 20;
    /** Longest keyword, in bytes: the scanner keeps a 16-byte word buffer. */
    public static final int MAX_KEYWORD = 16;

    /** How the last digit(s) check the value. */
    public enum Check {
        /** No check digit: prefix, length and year only. */
        NONE,
        /** The whole value passes the Luhn mod-10 check (the last digit is the check digit). */
        LUHN,
        /** The last two digits are 97 - (N mod 97), N being the digits before them (as the NIR key). */
        MOD97
    }

    /** Lab default IPP: 8 digits starting with 77 ({@code 77[0-9]{6}}, datasets/lab/README.md). */
    public static final IdPattern DEFAULT_IPP = new IdPattern("77", 8, -1, -1, Check.NONE,
            List.of("ipp", "patient", "nip"));
    /**
     * Lab default IEP: 9 digits, 5 then the two-digit admission year then 6 digits ({@code 5(23|24|25)[0-9]{6}});
     * the year window 20-29 covers admissions of the 2020s, a site widens or moves it.
     */
    public static final IdPattern DEFAULT_IEP = new IdPattern("5", 9, 20, 29, Check.NONE,
            List.of("iep", "nda", "sejour", "séjour", "venue"));

    public IdPattern {
        if (prefix == null || !prefix.matches("[0-9]*")) {
            throw new IllegalArgumentException("prefix must be digits, got '" + prefix + "'");
        }
        if (length != 0 && (length < 4 || length > MAX_LENGTH)) {
            throw new IllegalArgumentException("length must be 0 (off) or 4.." + MAX_LENGTH + ", got " + length);
        }
        if (length != 0 && prefix.length() >= length) {
            throw new IllegalArgumentException("prefix '" + prefix + "' leaves no digit in a " + length + "-digit value");
        }
        if (yearLo != -1 || yearHi != -1) {
            if (yearLo < 0 || yearHi > 99 || yearLo > yearHi) {
                throw new IllegalArgumentException("years must be LO-HI within 00-99, got " + yearLo + "-" + yearHi);
            }
            if (length != 0 && prefix.length() + 2 > length) {
                throw new IllegalArgumentException("no room for a two-digit year after prefix '" + prefix + "'");
            }
        }
        if (check == null) {
            throw new IllegalArgumentException("check must be none, luhn or mod97");
        }
        if (check == Check.MOD97 && length != 0 && length - 2 > 18) {
            throw new IllegalArgumentException("mod97 needs at most 18 digits before the key");
        }
        keywords = List.copyOf(keywords);
        for (String k : keywords) {
            if (k.isEmpty() || !k.chars().allMatch(Character::isLetter)
                    || k.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8).length > MAX_KEYWORD) {
                throw new IllegalArgumentException("keyword '" + k + "' must be 1-" + MAX_KEYWORD + " bytes of letters");
            }
        }
    }

    public boolean enabled() {
        return length > 0;
    }

    /** Same pattern, other keywords. */
    public IdPattern withKeywords(List<String> k) {
        return new IdPattern(prefix, length, yearLo, yearHi, check, k);
    }

    /**
     * True when {@code s[off..off+len)} fits the pattern (length, digits, prefix, year, check). No allocation: it
     * runs on every candidate of the right length.
     */
    public boolean matches(byte[] s, int off, int len) {
        if (len != length || length == 0) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            byte b = s[off + i];
            if (b < '0' || b > '9') {
                return false;
            }
        }
        for (int i = 0, n = prefix.length(); i < n; i++) {
            if (s[off + i] != prefix.charAt(i)) {
                return false;
            }
        }
        if (yearLo >= 0) {
            int p = off + prefix.length();
            int y = (s[p] - '0') * 10 + (s[p + 1] - '0');
            if (y < yearLo || y > yearHi) {
                return false;
            }
        }
        return switch (check) {
            case NONE -> true;
            case LUHN -> Detectors.luhn(s, off, len);
            case MOD97 -> {
                long n = 0;
                for (int i = 0; i < len - 2; i++) {
                    n = n * 10 + (s[off + i] - '0');
                }
                int key = (s[off + len - 2] - '0') * 10 + (s[off + len - 1] - '0');
                yield key == 97 - (int) (n % 97);
            }
        };
    }

    /**
     * The keywords as the scanner compares them: lowercase, in UTF-8 and, when different, in ISO-8859-1 (a
     * Windows export of {@code séjour} is one byte shorter than the same word in UTF-8).
     */
    byte[][] keywordBytes() {
        Set<String> seen = new LinkedHashSet<>();
        List<byte[]> out = new ArrayList<>();
        for (String k : keywords) {
            String l = k.toLowerCase(Locale.ROOT);
            for (java.nio.charset.Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1)) {
                if (!cs.newEncoder().canEncode(l)) {
                    continue;
                }
                byte[] b = l.getBytes(cs);
                if (seen.add(new String(b, StandardCharsets.ISO_8859_1))) {
                    out.add(b);
                }
            }
        }
        return out.toArray(new byte[0][]);
    }

    /** Parses a {@code years} value: {@code LO-HI} (two-digit years) or {@code none}. */
    static int[] parseYears(String v) {
        if (v.equalsIgnoreCase("none")) {
            return new int[] {-1, -1};
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,2})-([0-9]{1,2})").matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("years must be LO-HI (two-digit years) or none, got '" + v + "'");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
