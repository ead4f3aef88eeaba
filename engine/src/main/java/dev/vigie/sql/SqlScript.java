package dev.vigie.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements at top-level semicolons. Quotes, quoted identifiers and comments are skipped so
 * that {@code ';'} inside them does not cut a statement; DuckDB's JDBC driver would only return the last result of
 * a multi-statement string, and each result must be printed.
 */
public final class SqlScript {
    private SqlScript() {}

    /** Top-level semicolon positions, and whether the text ends inside a quote or a block comment. */
    private record Scan(List<Integer> semicolons, boolean open) {}

    /** The statements of {@code text}, trimmed, without their semicolons; blank and comment-only ones dropped. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int semi : scan(text).semicolons()) {
            add(out, text.substring(start, semi));
            start = semi + 1;
        }
        add(out, text.substring(start));
        return out;
    }

    /** Whether {@code text} ends with a terminated statement: the prompt's cue to run what was typed. */
    public static boolean complete(String text) {
        Scan s = scan(text);
        if (s.open() || s.semicolons().isEmpty()) return false;
        int last = s.semicolons().get(s.semicolons().size() - 1);
        List<String> after = new ArrayList<>();
        add(after, text.substring(last + 1));
        return after.isEmpty();
    }

    private static Scan scan(String text) {
        List<Integer> semis = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int close = closing(text, i, c);
                if (close < 0) return new Scan(semis, true);
                i = close + 1;
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) return new Scan(semis, true);
                i = end + 2;
            } else {
                if (c == ';') semis.add(i);
                i++;
            }
        }
        return new Scan(semis, false);
    }

    /** Index of the closing quote (a doubled quote is an escape), or -1 when unclosed. */
    private static int closing(String text, int open, char q) {
        int i = open + 1;
        while (i < text.length()) {
            if (text.charAt(i) == q) {
                if (i + 1 < text.length() && text.charAt(i + 1) == q) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return -1;
    }

    private static void add(List<String> out, String stmt) {
        String s = stmt.strip();
        if (!s.isEmpty() && !onlyComments(s)) out.add(s);
    }

    private static boolean onlyComments(String s) {
        String rest = s;
        while (true) {
            rest = rest.stripLeading();
            if (rest.startsWith("--")) {
                int eol = rest.indexOf('\n');
                if (eol < 0) return true;
                rest = rest.substring(eol + 1);
            } else if (rest.startsWith("/*")) {
                int end = rest.indexOf("*/");
                if (end < 0) return true;
                rest = rest.substring(end + 2);
            } else {
                return rest.isEmpty();
            }
        }
    }
}
