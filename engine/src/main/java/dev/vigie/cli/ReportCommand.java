package dev.vigie.cli;

import dev.vigie.io.AtomicFile;
import dev.vigie.report.WeeklyReport;
import dev.vigie.sql.AnalystViews;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigie report}: the weekly SOC report, one self-contained HTML file. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the SOC report of an output directory as one self-contained HTML file (inline SVG charts, "
                + "no script, no network): alerts over time and by rule and severity, top hosts, new and changed assets, "
                + "patient-data events (masked), model scores against thresholds, sensor health.",
                "The data are the views of vigie sql (docs/sql.md) over the files found under OUT_DIR."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the report was written", "2:usage error (a bad --from/--to)", "3:no flow or alert in OUT_DIR",
                "66:OUT_DIR does not exist", "74:the report cannot be written or the files read"})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OUT_DIR", description = "Directory of vigie outputs (searched recursively).")
    Path dir;

    @Option(names = "--from", paramLabel = "TIME",
            description = "Start of the period, included: a date (2026-11-23, midnight UTC) or a time with offset. Default: the first record.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the period, excluded. Default: just after the last record.")
    String to;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "HTML", description = "The report file.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Connection conn = SqlCommand.open()) {
            AnalystViews.Discovery found = AnalystViews.discover(conn, List.of(dir));
            AnalystViews.create(conn, found, StandardPipeline.schema());
            Instant lo = instant(conn, "--from", from);
            Instant hi = instant(conn, "--to", to);
            if (lo != null && hi != null && !lo.isBefore(hi)) throw new UserError(2, "--from must be before --to");
            WeeklyReport.Period period = WeeklyReport.period(conn, lo, hi);
            if (period == null) throw new UserError(3, dir + ": no flow or alert file found (run vigie extract / detect first)");
            List<String> sources = new ArrayList<>();
            found.files().forEach((view, files) -> {
                if (!files.isEmpty()) sources.add(files.size() + " " + view + " file" + (files.size() == 1 ? "" : "s"));
            });
            String v = VigieCommand.class.getPackage().getImplementationVersion();
            String html = WeeklyReport.render(conn, period, v == null ? "dev" : v, sources);
            AtomicFile.write(output, html.getBytes(StandardCharsets.UTF_8));
            spec.commandLine().getOut().println("report       " + output + " (" + Files.size(output) / 1024 + " KiB, "
                    + period.from() + " to " + period.to() + ")");
            return 0;
        } catch (IOException e) {
            throw ExitCodes.io(e);
        } catch (SQLException e) {
            throw new UserError(ExitCodes.IO, "cannot read the outputs: " + ExitCodes.oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** Parsed by DuckDB, as analysts would write it in a query; dates are midnight UTC (the session time zone). */
    private static Instant instant(Connection conn, String option, String text) {
        if (text == null) return null;
        try (PreparedStatement ps = conn.prepareStatement("SELECT epoch_us(CAST(? AS TIMESTAMPTZ))")) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Instant.EPOCH.plusNanos(rs.getLong(1) * 1000);
            }
        } catch (SQLException e) {
            throw new UserError(2, option + ": not a date or time: " + ExitCodes.oneLine(text));
        }
    }
}
