package dev.vigie.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The weekly SOC report as one self-contained HTML page (inline CSS and SVG, no script, no external resource), from
 * a DuckDB connection holding the analyst views of {@link dev.vigie.sql.AnalystViews}. Every figure is a SQL query
 * over those views restricted to [from, to), so an analyst can reproduce any of them with {@code vigie sql}.
 */
public final class WeeklyReport {
    /** The reporting period; {@code from} inclusive, {@code to} exclusive, both UTC instants. */
    public record Period(Instant from, Instant to) {}

    private static final long[] BUCKETS = {60, 300, 900, 3600, 6 * 3600, 86400};
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Connection conn;
    private final StringBuilder html = new StringBuilder();

    private WeeklyReport(Connection conn) {
        this.conn = conn;
    }

    /**
     * The period: the given bounds, or the span of the flows, alerts and health rows for a missing one (the whole data when both
     * are missing). Null when there is neither a bound nor any flow or alert.
     */
    public static Period period(Connection conn, Instant from, Instant to) throws SQLException {
        Instant lo = from;
        Instant hi = to;
        if (lo == null || hi == null) {
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT epoch_us(min(t0)), epoch_us(max(t1)) FROM (SELECT min(ts_start) AS t0, max(ts_start) AS t1 FROM flows"
                            + " UNION ALL SELECT min(ts), max(ts) FROM alerts UNION ALL SELECT min(ts), max(ts) FROM health)")) {
                rs.next();
                long min = rs.getLong(1);
                boolean none = rs.wasNull();
                long max = rs.getLong(2);
                if (none && (lo == null && hi == null)) return null;
                if (lo == null) lo = none ? hi.minusSeconds(7 * 86400) : Instant.EPOCH.plusNanos(min * 1000);
                // exclusive end: one microsecond after the last record, so that it is inside
                if (hi == null) hi = none ? lo.plusSeconds(7 * 86400) : Instant.EPOCH.plusNanos((max + 1) * 1000);
            }
        }
        return new Period(lo, hi);
    }

    /** Renders the report for {@code period} over the views of {@code conn}. */
    public static String render(Connection conn, Period p, String version, List<String> sources) throws SQLException {
        WeeklyReport r = new WeeklyReport(conn);
        r.restrict(p);
        return r.build(p, version, sources);
    }

    private void restrict(Period p) throws SQLException {
        String from = "TIMESTAMPTZ '" + p.from() + "'";
        String to = "TIMESTAMPTZ '" + p.to() + "'";
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP VIEW r_flows AS SELECT * FROM flows WHERE ts_start >= " + from + " AND ts_start < " + to);
            st.execute("CREATE OR REPLACE TEMP VIEW r_alerts AS SELECT * FROM alerts WHERE ts >= " + from + " AND ts < " + to);
            st.execute("CREATE OR REPLACE TEMP VIEW r_scores AS SELECT * FROM scores WHERE ts >= " + from + " AND ts < " + to);
            st.execute("CREATE OR REPLACE TEMP VIEW r_health AS SELECT * FROM health WHERE ts >= " + from + " AND ts < " + to);
            st.execute("CREATE OR REPLACE TEMP VIEW r_patient AS SELECT * FROM patient_events WHERE ts >= " + from + " AND ts < " + to);
            st.execute("CREATE OR REPLACE TEMP VIEW r_period AS SELECT " + from + " AS report_from, " + to + " AS report_to");
        }
    }

    private String build(Period p, String version, List<String> sources) throws SQLException {
        html.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>vigie SOC report</title>
                <style>
                body{font-family:sans-serif;margin:2em auto;max-width:62em;color:#222;padding:0 1em}
                h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
                table{border-collapse:collapse;margin:.6em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
                th{background:#f0f3f6}td.n{text-align:right}.none{color:#777;font-style:italic}
                .kpi{display:inline-block;margin:.3em 1.2em .3em 0}.kpi b{display:block;font-size:1.5em}
                nav a{margin-right:1em}footer{margin-top:3em;color:#777;font-size:.85em}svg.chart{display:block;margin:.6em 0}
                </style></head><body>
                """);
        html.append("<h1>vigie SOC report</h1>\n<p id=\"period\">Period: ").append(DAY_TIME.format(p.from()))
                .append(" to ").append(DAY_TIME.format(p.to())).append(" (end excluded)</p>\n");
        html.append("<nav><a href=\"#summary\">Summary</a><a href=\"#alerts\">Alerts</a><a href=\"#hosts\">Top hosts</a>"
                + "<a href=\"#assets\">Assets</a><a href=\"#patient\">Patient data</a><a href=\"#models\">Model scores</a>"
                + "<a href=\"#health\">Sensor health</a></nav>\n");
        summary();
        alerts(p);
        hosts();
        assets();
        patient();
        models();
        health();
        html.append("<footer>Generated by vigie ").append(Html.esc(version)).append(" from ")
                .append(Html.esc(String.join(", ", sources)))
                .append(". Each figure is a query over the views of <code>vigie sql</code> (docs/sql.md).</footer>\n");
        return html.append("</body></html>\n").toString();
    }

    private void summary() throws SQLException {
        section("summary", "Summary");
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (SELECT count(*) FROM r_flows), (SELECT count(DISTINCT orig_h) FROM r_flows),"
                        + " (SELECT coalesce(sum(orig_bytes + resp_bytes), 0) FROM r_flows),"
                        + " (SELECT count(*) FROM r_alerts), (SELECT count(*) FROM r_alerts WHERE severity = 1),"
                        + " (SELECT count(DISTINCT rule_id) FROM r_alerts)")) {
            rs.next();
            kpi("flow records", rs.getLong(1));
            kpi("hosts originating flows", rs.getLong(2));
            kpi("payload bytes", rs.getLong(3));
            kpi("alerts", rs.getLong(4));
            kpi("high-severity alerts", rs.getLong(5));
            kpi("rules that fired", rs.getLong(6));
        }
    }

    private void alerts(Period p) throws SQLException {
        section("alerts", "Alerts");
        long span = Math.max(1, p.to().getEpochSecond() - p.from().getEpochSecond());
        long bucket = BUCKETS[BUCKETS.length - 1];
        for (long b : BUCKETS) {
            if (span / b <= 72) {
                bucket = b;
                break;
            }
        }
        long first = Math.floorDiv(p.from().getEpochSecond(), bucket);
        long last = Math.floorDiv(p.to().getEpochSecond() - 1, bucket);
        long[] counts = new long[(int) Math.min(2000, last - first + 1)];
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT floor(epoch(ts) / ?)::BIGINT AS b, count(*) FROM r_alerts GROUP BY b")) {
            ps.setLong(1, bucket);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long i = rs.getLong(1) - first;
                    if (i >= 0 && i < counts.length) counts[(int) i] += rs.getLong(2);
                }
            }
        }
        DateTimeFormatter label = DateTimeFormatter.ofPattern(bucket >= 86400 ? "MM-dd" : span > 86400 ? "MM-dd HH:mm" : "HH:mm")
                .withZone(ZoneOffset.UTC);
        List<Svg.Bar> bars = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            bars.add(new Svg.Bar(label.format(Instant.ofEpochSecond((first + i) * bucket)), counts[i]));
        }
        html.append("<h3>Over time (alerts per ").append(human(bucket)).append(")</h3>\n");
        html.append(Svg.columns("chart-alerts-time", "Alerts per " + human(bucket), bars, -1, ""));
        html.append("<h3>By rule</h3>\n");
        html.append(Svg.rows("chart-alerts-rule", "Alerts by rule", bars(
                "SELECT rule_id, count(*) FROM r_alerts GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 15")));
        table("SELECT rule_id AS rule, signature, severity, count(*) AS alerts, count(DISTINCT src_ip) AS sources,"
                + " min(ts) AS first_alert, max(ts) AS last_alert FROM r_alerts GROUP BY ALL ORDER BY severity, alerts DESC",
                "No alert in the period.");
        html.append("<h3>By severity</h3>\n");
        table("SELECT s.severity, s.name, count(a.severity) AS alerts FROM (VALUES (1, 'high'), (2, 'medium'), (3, 'low'),"
                + " (4, 'info')) s(severity, name) LEFT JOIN r_alerts a USING (severity) GROUP BY ALL ORDER BY s.severity",
                "No alert in the period.");
    }

    private void hosts() throws SQLException {
        section("hosts", "Top hosts");
        html.append("<h3>By alerts (as source)</h3>\n");
        table("SELECT src_ip AS host, count(*) AS alerts, count(DISTINCT rule_id) AS rules, min(severity) AS worst_severity,"
                + " string_agg(DISTINCT rule_id, ', ') AS rule_ids FROM r_alerts GROUP BY ALL ORDER BY alerts DESC LIMIT 10",
                "No alert in the period.");
        html.append("<h3>By payload bytes (either side)</h3>\n");
        html.append(Svg.rows("chart-hosts-bytes", "Top hosts by payload bytes", bars(
                "SELECT host, sum(b) FROM (SELECT orig_h AS host, orig_bytes + resp_bytes AS b FROM r_flows"
                        + " UNION ALL SELECT resp_h, orig_bytes + resp_bytes FROM r_flows) GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 10")));
    }

    private void assets() throws SQLException {
        section("assets", "New and changed assets");
        html.append("<h3>New (not in the reference inventory, or first seen in the period without one)</h3>\n");
        table("SELECT asset_id, ip, vendor, hostname, device_class, first_seen FROM assets"
                + " WHERE coalesce(status = 'new', true)"
                + " AND first_seen >= (SELECT report_from FROM r_period) AND first_seen < (SELECT report_to FROM r_period)"
                + " ORDER BY first_seen", "No new asset in the period (or no asset files).");
        html.append("<h3>Changed (against the reference: addresses, names, role, OS, services, scanning)</h3>\n");
        table("SELECT asset_id, ip, hostname, device_class, changes FROM assets"
                + " WHERE status = 'changed' AND last_seen >= (SELECT report_from FROM r_period) ORDER BY asset_id",
                "No changed asset (or no reference inventory).");
    }

    private void patient() throws SQLException {
        section("patient", "Patient-data events");
        html.append("<p>Values are masked at the source; the report keeps at most their first two characters.</p>\n");
        table("SELECT phi_kind AS kind, protocol, count(*) AS events, sum(occurrences) AS occurrences,"
                + " count(DISTINCT orig_h) AS senders, count(DISTINCT resp_h) AS receivers FROM r_patient"
                + " GROUP BY ALL ORDER BY occurrences DESC", "No patient-data event in the period (or no patient-event files).");
        table("SELECT ts, orig_h AS sender, resp_h AS receiver, resp_p AS port, phi_kind AS kind,"
                + " left(masked_value, 2) || repeat('*', greatest(length(masked_value) - 2, 0)) AS value"
                + " FROM r_patient ORDER BY ts DESC LIMIT 20", "");
    }

    private void models() throws SQLException {
        section("models", "Model scores against thresholds");
        table("SELECT model, model_version, count(*) AS scored, count(*) FILTER (WHERE score >= threshold) AS above,"
                + " round(100.0 * above / count(*), 3) AS pct_above, max(threshold) AS threshold FROM r_scores"
                + " GROUP BY ALL ORDER BY model", "No model scores in the period (or no score files).");
        List<String> models = new ArrayList<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT model FROM r_scores ORDER BY 1 LIMIT 6")) {
            while (rs.next()) models.add(rs.getString(1));
        }
        for (int m = 0; m < models.size(); m++) {
            long[] counts = new long[20];
            double threshold = Double.NaN;
            try (PreparedStatement ps = conn.prepareStatement("SELECT least(greatest(floor(score * 20), 0), 19)::INTEGER,"
                    + " count(*), max(threshold) FROM r_scores WHERE model = ? GROUP BY 1")) {
                ps.setString(1, models.get(m));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts[rs.getInt(1)] = rs.getLong(2);
                        threshold = rs.getDouble(3);
                    }
                }
            }
            List<Svg.Bar> bars = new ArrayList<>();
            for (int i = 0; i < 20; i++) bars.add(new Svg.Bar(String.format(Locale.ROOT, "%.2f", i / 20.0), counts[i]));
            int marker = Double.isNaN(threshold) ? -1 : (int) Math.round(Math.min(1, Math.max(0, threshold)) * 20);
            html.append("<h3>").append(Html.esc(models.get(m))).append("</h3>\n");
            html.append(Svg.columns("chart-scores-" + m, "Score distribution of " + models.get(m), bars, marker,
                    String.format(Locale.ROOT, "threshold %.2f", threshold)));
        }
    }

    private void health() throws SQLException {
        section("health", "Sensor health");
        table("SELECT coalesce(sum(pkts), 0) AS packets_in_flows, count(*) AS flow_records,"
                + " count(*) FILTER (WHERE end_reason = 'evicted') AS evictions,"
                + " count(*) FILTER (WHERE end_reason = 'eof') AS cut_at_end_of_input FROM r_flows", "");
        table("SELECT end_reason, count(*) AS flow_records FROM r_flows GROUP BY ALL ORDER BY 2 DESC", "No flow record in the period.");
        table("SELECT count(*) AS intervals, sum(packets) AS packets, sum(kernel_drops) AS kernel_drops,"
                + " sum(interface_drops) AS interface_drops, sum(malformed) AS malformed_packets,"
                + " sum(capture_errors) AS capture_errors, sum(evictions) AS evictions, sum(rows_scored) AS flows_scored,"
                + " round(sum(scoring_ms)) AS scoring_ms, string_agg(DISTINCT bundle, ', ') AS bundles"
                + " FROM r_health HAVING count(*) > 0",
                "No sensor health rows in the period (they come from vigie sense): capture drops are in the summary of "
                + "vigie extract and vigie detect.");
    }

    private List<Svg.Bar> bars(String sql) throws SQLException {
        List<Svg.Bar> bars = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) bars.add(new Svg.Bar(String.valueOf(rs.getString(1)), rs.getDouble(2)));
        }
        return bars;
    }

    /** A query's result as a table; {@code none} (when not empty) instead of an empty table. */
    private void table(String sql, String none) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            StringBuilder t = new StringBuilder("<table>\n<tr>");
            for (int c = 1; c <= n; c++) t.append("<th>").append(Html.esc(md.getColumnLabel(c))).append("</th>");
            t.append("</tr>\n");
            int rows = 0;
            while (rs.next()) {
                t.append("<tr>");
                for (int c = 1; c <= n; c++) {
                    Object v = rs.getObject(c);
                    boolean num = v instanceof Number;
                    String text = v == null ? "" : num ? Svg.num(((Number) v).doubleValue()) : v.toString();
                    t.append(num ? "<td class=\"n\">" : "<td>").append(Html.esc(text)).append("</td>");
                }
                t.append("</tr>\n");
                rows++;
            }
            t.append("</table>\n");
            if (rows == 0 && !none.isEmpty()) html.append("<p class=\"none\">").append(Html.esc(none)).append("</p>\n");
            else if (rows > 0) html.append(t);
        }
    }

    private void section(String id, String title) {
        html.append("<h2 id=\"").append(id).append("\">").append(Html.esc(title)).append("</h2>\n");
    }

    private void kpi(String label, long value) {
        html.append("<span class=\"kpi\"><b>").append(Svg.num(value)).append("</b>").append(Html.esc(label)).append("</span>\n");
    }

    private static String human(long seconds) {
        if (seconds % 86400 == 0) return seconds / 86400 + " day" + (seconds == 86400 ? "" : "s");
        if (seconds % 3600 == 0) return seconds / 3600 + " hour" + (seconds == 3600 ? "" : "s");
        return seconds / 60 + " minute" + (seconds == 60 ? "" : "s");
    }
}
