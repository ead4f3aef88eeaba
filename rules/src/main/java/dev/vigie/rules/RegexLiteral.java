package dev.vigie.rules;

/**
 * The literal text every match of a regular expression must contain, when the expression starts with one: a
 * string without it cannot match, so a condition tests it ({@link String#startsWith} for a pattern anchored with
 * {@code ^}, else {@link String#contains}) before running RE2. Most values a rule tests (SNIs, certificate
 * subjects, user agents) fail there, at the cost of a memory compare instead of RE2's automaton.
 * <p>
 * Conservative by construction: only a pattern that is a concatenation at its top level (no {@code |} outside
 * parentheses and classes) and opens with plain characters or escaped punctuation qualifies; a character
 * followed by a quantifier is left out; a pattern that opens with a group, a class, a flag or {@code \d}-style
 * escape has no literal.
 */
record RegexLiteral(String text, boolean anchored) {

    /** Whether {@code s} can match (false: it cannot; true: RE2 decides). */
    boolean admits(String s) {
        return anchored ? s.startsWith(text) : s.contains(text);
    }

    /** The literal {@code regex} opens with, or null when it has none (or may match without one). */
    static RegexLiteral of(String regex) {
        if (topLevelAlternation(regex)) return null;
        boolean anchored = regex.startsWith("^");
        int i = anchored ? 1 : 0;
        StringBuilder lit = new StringBuilder();
        while (i < regex.length()) {
            char c = regex.charAt(i);
            char literal;
            int width;
            if (c == '\\') {
                if (i + 1 >= regex.length()) break;
                char n = regex.charAt(i + 1);
                if (Character.isLetterOrDigit(n) || n > 0x7E) break;   // \d, \b, \Q, \x41...: not a plain character
                literal = n;
                width = 2;
            } else if (plain(c)) {
                literal = c;
                width = 1;
            } else {
                break;
            }
            int next = i + width;
            if (next < regex.length() && "?*+{".indexOf(regex.charAt(next)) >= 0) break;   // quantified: optional
            lit.append(literal);
            i = next;
        }
        return lit.length() == 0 ? null : new RegexLiteral(lit.toString(), anchored);
    }

    /** Characters that stand for themselves outside a class in RE2 syntax (ASCII only: no case folding doubts). */
    private static boolean plain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || " _-=:,/@#%&~<>'\"!;`".indexOf(c) >= 0;
    }

    /** A {@code |} outside every group and class: the pattern is a choice, and its first part need not occur. */
    private static boolean topLevelAlternation(String regex) {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                if (c == ']') inClass = false;
            } else if (c == '[') {
                inClass = true;
                if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') i++;
                if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') i++;   // a leading ] is a member
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth <= 0) {
                return true;
            }
        }
        return false;
    }
}
