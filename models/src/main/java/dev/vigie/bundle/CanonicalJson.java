package dev.vigie.bundle;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical JSON form that bundle signatures cover: RFC 8785 (JSON Canonicalization Scheme), restricted to
 * I-JSON as RFC 8785 requires.
 * <ul>
 *   <li>UTF-8, no byte-order mark, no whitespace between tokens;</li>
 *   <li>object members sorted by their names compared as UTF-16 code units (what {@link String#compareTo} does),
 *       recursively; array order kept;</li>
 *   <li>strings: only {@code "} and {@code \} and the control characters below U+0020 are escaped, using
 *       {@code \b \t \n \f \r} where they exist and {@code \}{@code u00xx} with lower-case hex otherwise;
 *       everything else, including non-ASCII and {@code /}, is written as is; lone surrogates are refused;</li>
 *   <li>numbers are IEEE-754 doubles written as ECMAScript's {@code Number.prototype.toString} does (shortest
 *       digits that read back to the same double; {@code 1.0} is {@code 1}, {@code 1e21} is {@code 1e+21},
 *       {@code -0} is {@code 0}); integers beyond ±(2^53−1), NaN and infinities are refused.</li>
 * </ul>
 * We implement it here rather than rely on Jackson's writer because Jackson escapes with upper-case hex and writes
 * doubles with {@link Double#toString}, which is neither ECMAScript's form nor (before Java 19) always shortest:
 * a signer in another language must be able to produce the same bytes.
 */
public final class CanonicalJson {
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    private static final BigInteger MAX_SAFE = BigInteger.valueOf(MAX_SAFE_INTEGER);
    /** Manifests are a few levels deep; the cap only stops hostile nesting from exhausting the stack. */
    private static final int MAX_DEPTH = 64;
    private static final RoundingMode[] MODES = {RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING};

    private CanonicalJson() {
    }

    /** Thrown for values RFC 8785 cannot represent. */
    public static final class NotCanonicalizable extends Exception {
        NotCanonicalizable(String message) {
            super(message);
        }
    }

    public static byte[] toBytes(JsonNode node) throws NotCanonicalizable {
        StringBuilder sb = new StringBuilder(1024);
        write(node, sb, 0);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder sb, int depth) throws NotCanonicalizable {
        if (depth > MAX_DEPTH) {
            throw new NotCanonicalizable("nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                Iterator<String> it = node.fieldNames();
                while (it.hasNext()) {
                    names.add(it.next());
                }
                Collections.sort(names);
                sb.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    writeString(names.get(i), sb);
                    sb.append(':');
                    write(node.get(names.get(i)), sb, depth + 1);
                }
                sb.append('}');
            }
            case ARRAY -> {
                sb.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(node.get(i), sb, depth + 1);
                }
                sb.append(']');
            }
            case STRING -> writeString(node.textValue(), sb);
            case NUMBER -> writeNumber(node, sb);
            case BOOLEAN -> sb.append(node.booleanValue() ? "true" : "false");
            case NULL -> sb.append("null");
            default -> throw new NotCanonicalizable("not a JSON value: " + node.getNodeType());
        }
    }

    private static void writeNumber(JsonNode node, StringBuilder sb) throws NotCanonicalizable {
        if (node.isIntegralNumber()) {
            BigInteger v = node.bigIntegerValue();
            if (v.abs().compareTo(MAX_SAFE) > 0) {
                throw new NotCanonicalizable("integer " + v + " is beyond ±(2^53-1)");
            }
            sb.append(v);
        } else {
            sb.append(number(node.doubleValue()));
        }
    }

    /** ECMAScript Number::toString for a finite double (ECMA-262, Number.prototype.toString with radix 10). */
    static String number(double d) throws NotCanonicalizable {
        if (!Double.isFinite(d)) {
            throw new NotCanonicalizable("number " + d + " is not finite");
        }
        if (d == 0) {
            return "0";
        }
        String sign = d < 0 ? "-" : "";
        BigDecimal shortest = shortest(Math.abs(d));
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale();
        String body;
        if (k <= n && n <= 21) {
            body = digits + "0".repeat(n - k);
        } else if (0 < n && n <= 21) {
            body = digits.substring(0, n) + "." + digits.substring(n);
        } else if (-6 < n && n <= 0) {
            body = "0." + "0".repeat(-n) + digits;
        } else {
            int e = n - 1;
            String exp = (e >= 0 ? "+" : "-") + Math.abs(e);
            body = k == 1 ? digits + "e" + exp : digits.charAt(0) + "." + digits.substring(1) + "e" + exp;
        }
        return sign + body;
    }

    /**
     * The fewest significant digits that read back as {@code a}, and among those the closest to {@code a} (ties
     * to even). Rounding the exact binary value half-even gives the closest candidate; floor and ceiling are tried
     * too because next to a power of two the round-trip interval is lopsided.
     */
    private static BigDecimal shortest(double a) {
        BigDecimal exact = new BigDecimal(a);
        for (int p = 1; p <= 17; p++) {
            BigDecimal best = null;
            for (RoundingMode mode : MODES) {
                BigDecimal c = exact.round(new MathContext(p, mode));
                if (c.doubleValue() == a
                        && (best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                    best = c;
                }
            }
            if (best != null) {
                // Without trailing zeros the unscaled value's digit count is the k of ECMA-262.
                return best.stripTrailingZeros();
            }
        }
        throw new AssertionError("17 significant digits always identify a double: " + a);
    }

    private static void writeString(String s, StringBuilder sb) throws NotCanonicalizable {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new NotCanonicalizable("lone surrogate in string");
                }
                sb.append(c).append(s.charAt(++i));
                continue;
            }
            if (Character.isLowSurrogate(c)) {
                throw new NotCanonicalizable("lone surrogate in string");
            }
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
