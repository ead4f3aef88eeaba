package dev.vigie.cli;

import dev.vigie.sql.AnalystViews;
import dev.vigie.sql.ResultPrinter;
import dev.vigie.sql.SqlSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigie sql}: DuckDB over the flow, alert, asset, score and patient-event files of some directories. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Query vigie outputs with DuckDB SQL: views flows, alerts, assets, scores, patient_events "
                + "over the files found under DIR (default: the current directory). See docs/sql.md.",
                "Without -c, an interactive prompt (or statements read from standard input)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every statement succeeded", "1:a statement failed (DuckDB's message on one line)",
                "2:usage error", "66:a DIR does not exist", "74:the files could not be read"})
public final class SqlCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "DIR", description = "Directories (searched recursively) or files.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = {"-c", "--command"}, paramLabel = "SQL",
            description = "Run these statements (separated by ';') and exit.")
    String command;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (aligned), csv (RFC 4180) or json (one object per line). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--history", paramLabel = "FILE",
            description = "History file of the interactive prompt (default: ~/.vigie/sql_history).")
    Path history;

    @Option(names = {"-q", "--quiet"}, description = "Do not print which views were created.")
    boolean quiet;

    @Option(names = "--print-views",
            description = "Print the CREATE VIEW statements (for duckdb -init, or a notebook) and exit.")
    boolean printViews;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResultPrinter.Format fmt;
        try {
            fmt = ResultPrinter.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError(2, "--format must be table, csv or json, not " + format);
        }
        List<Path> roots = dirs.isEmpty() ? List.of(Path.of(".")) : dirs;
        try (Connection conn = open()) {
            AnalystViews.Discovery found = AnalystViews.discover(conn, roots);
            if (printViews) {
                out.print(AnalystViews.script(found, StandardPipeline.schema()));
                out.flush();
                return 0;
            }
            List<AnalystViews.View> views = AnalystViews.create(conn, found, StandardPipeline.schema());
            if (!quiet) {
                // on stderr: stdout carries only results, so that csv and json can be piped
                SqlSession.printViews(err, views);
                if (!found.ignored().isEmpty()) {
                    err.println("(" + found.ignored().size() + " other .parquet/.jsonl file(s) ignored: not vigie outputs)");
                }
                err.flush();
            }
            SqlSession session = new SqlSession(conn, views, fmt, out, err);
            if (command != null) return session.run(command) ? 0 : 1;
            java.io.Console console = System.console();
            if (console != null) {
                // a terminal: line editing and history across sessions; plain reading when JLine cannot drive it
                org.jline.terminal.Terminal terminal = null;
                try {
                    terminal = org.jline.terminal.TerminalBuilder.builder().system(true).providers("jni,exec")
                            .dumb(true).build();
                } catch (IOException | RuntimeException e) {
                    err.println("note: no line editing on this terminal (" + ExitCodes.oneLine(String.valueOf(e.getMessage())) + ")");
                }
                if (terminal != null) {
                    try (dev.vigie.sql.TerminalLines lines = new dev.vigie.sql.TerminalLines(terminal,
                            history != null ? history : dev.vigie.sql.TerminalLines.defaultHistory())) {
                        session.interact(lines, true);
                    }
                    return 0;
                }
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                    console != null ? console.charset() : Charset.defaultCharset()));
            session.interact(in, console != null);
            return 0;
        } catch (IOException e) {
            throw ExitCodes.io(e);
        } catch (SQLException e) {
            throw new UserError(ExitCodes.IO, "cannot read the outputs: " + ExitCodes.oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** An in-memory DuckDB; times print in UTC like every vigie output (SET TimeZone changes it). */
    static Connection open() throws SQLException {
        Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = conn.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
        }
        return conn;
    }
}
