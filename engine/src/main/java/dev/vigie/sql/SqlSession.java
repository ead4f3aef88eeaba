package dev.vigie.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A DuckDB connection with the analyst views, running statements and printing their results: the engine of
 * {@code vigie sql}, both for {@code -c} and for the prompt.
 */
public final class SqlSession {
    private final Connection conn;
    private final List<AnalystViews.View> views;
    private final PrintWriter out;
    private final PrintWriter err;
    private ResultPrinter printer;
    private ResultPrinter.Format format;
    private final List<String> history = new ArrayList<>();

    public SqlSession(Connection conn, List<AnalystViews.View> views, ResultPrinter.Format format,
                      PrintWriter out, PrintWriter err) {
        this.conn = conn;
        this.views = views;
        this.out = out;
        this.err = err;
        this.format = format;
        this.printer = new ResultPrinter(format, out);
    }

    /**
     * Runs every statement of {@code sql}, printing each result. Stops at the first failing statement and prints
     * DuckDB's message as one line; returns whether all succeeded.
     */
    public boolean run(String sql) {
        for (String stmt : SqlScript.split(sql)) {
            if (format == ResultPrinter.Format.JSON && asJson(stmt)) continue;
            try (Statement st = conn.createStatement()) {
                if (st.execute(stmt)) {
                    try (ResultSet rs = st.getResultSet()) {
                        printer.print(rs);
                    }
                }
            } catch (SQLException e) {
                err.println("error: " + oneLine(e.getMessage()));
                err.flush();
                return false;
            }
        }
        out.flush();
        return true;
    }

    /**
     * The prompt: reads lines until one ends a statement with {@code ;}, runs it, and keeps going after errors.
     * Dot commands work on a line of their own. {@code prompt} is false when input is not a terminal (no prompts
     * are then printed, so that piped output stays clean).
     */
    public void interact(BufferedReader in, boolean prompt) throws IOException {
        interact(p -> {
            if (prompt) {
                out.print(p);
                out.flush();
            }
            return in.readLine();
        }, prompt);
    }

    /** Where the prompt's lines come from: a terminal line editor or plain input. */
    @FunctionalInterface
    public interface LineSource {
        /** The next line, after showing {@code prompt} when there is a terminal; null at the end of input. */
        String readLine(String prompt) throws IOException;
    }

    /** The prompt over any line source (see {@link #interact(BufferedReader, boolean)}). */
    public void interact(LineSource in, boolean prompt) throws IOException {
        if (prompt) {
            out.println("vigie sql: DuckDB over vigie outputs. End statements with ';'. .help for help, .quit to leave.");
            out.flush();
        }
        StringBuilder pending = new StringBuilder();
        while (true) {
            String line = in.readLine(pending.length() == 0 ? "vigie> " : "   ...> ");
            if (line == null) {
                if (!SqlScript.split(pending.toString()).isEmpty()) submit(pending.toString());
                break;
            }
            if (pending.length() == 0 && line.strip().startsWith(".")) {
                if (!dot(line.strip())) break;
                continue;
            }
            if (pending.length() == 0 && line.strip().matches("!\\d+")) {
                int n = Integer.parseInt(line.strip().substring(1));
                if (n < 1 || n > history.size()) {
                    err.println("error: no history entry " + n + " (.history lists them)");
                    err.flush();
                } else {
                    out.println(history.get(n - 1));
                    submit(history.get(n - 1));
                }
                continue;
            }
            pending.append(line).append('\n');
            if (SqlScript.complete(pending.toString())) {
                submit(pending.toString());
                pending.setLength(0);
            }
        }
        out.flush();
    }

    private void submit(String text) {
        history.add(text.strip());
        run(text);
    }

    /**
     * JSON through DuckDB's own {@code to_json}, so that structs, lists and JSON columns come out as nested JSON
     * rather than as Java's rendering of them. Only a query can be wrapped this way; false lets the caller run
     * anything else (DESCRIBE, SET, a query DuckDB refuses to nest) through the generic printer.
     */
    private boolean asJson(String stmt) {
        String wrapped = "SELECT to_json(vigie_row)::VARCHAR FROM (" + stmt + "\n) vigie_row";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(wrapped)) {
            StringBuilder all = new StringBuilder();
            while (rs.next()) all.append(rs.getString(1)).append('\n');
            out.print(all);
            out.flush();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Handles a dot command; false means leave the prompt. */
    private boolean dot(String line) {
        String[] words = line.split("\\s+");
        switch (words[0]) {
            case ".quit", ".exit" -> {
                return false;
            }
            case ".help" -> out.println("""
                    SQL statements end with ';' and may span lines. DuckDB SQL: https://duckdb.org/docs/sql/introduction
                    .views                 the views and the files behind them
                    .schema VIEW           the columns of a view
                    .format table|csv|json how results are printed
                    .history               statements run so far; !N runs number N again
                    .quit                  leave (also end of input, Ctrl-D)""");
            case ".views" -> printViews(out, views);
            case ".schema" -> {
                if (words.length < 2) err.println("error: .schema needs a view name");
                else run("DESCRIBE " + words[1]);
            }
            case ".format" -> {
                try {
                    format = ResultPrinter.Format.valueOf(
                            words.length < 2 ? "" : words[1].toUpperCase(java.util.Locale.ROOT));
                    printer = new ResultPrinter(format, out);
                } catch (IllegalArgumentException e) {
                    err.println("error: .format table, csv or json");
                }
            }
            case ".history" -> {
                for (int i = 0; i < history.size(); i++) {
                    out.printf("%4d  %s%n", i + 1, history.get(i).replace("\n", "\n      "));
                }
            }
            default -> err.println("error: unknown command " + words[0] + " (.help lists them)");
        }
        out.flush();
        err.flush();
        return true;
    }

    public List<String> history() {
        return List.copyOf(history);
    }

    /** One line per view: name, number of files (or that it is empty because none were found). */
    public static void printViews(PrintWriter w, List<AnalystViews.View> views) {
        for (AnalystViews.View v : views) {
            w.printf("%-15s %s%n", v.name(), v.empty() ? "no files: empty, with the expected columns"
                    : v.files().size() + (v.files().size() == 1 ? " file" : " files"));
        }
        w.flush();
    }

    /** DuckDB messages span lines (a caret under the error); a terminal or a log line wants one. */
    static String oneLine(String message) {
        if (message == null) return "unknown error";
        StringBuilder sb = new StringBuilder();
        for (String part : message.split("\\R")) {
            String p = part.strip();
            if (p.isEmpty() || p.startsWith("^")) continue;
            if (sb.length() > 0) sb.append(' ');
            sb.append(p);
        }
        return sb.toString();
    }
}
