package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigie.sql.AnalystViews;
import dev.vigie.sql.ResultPrinter;
import dev.vigie.sql.SqlSession;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigie sql} over outputs of extract and detect on the lab capture, produced once for the class. */
class SqlCommandTest {
    @TempDir
    static Path out;

    /** Runs extract and detect on datasets/lab/mixed.pcap into {@code dir} (the demo outputs of docs/sql.md). */
    /**
     * The README's main job, {@code vigie demo}, on the lab capture; its sensor outputs laid out flat in {@code dir}:
     * flows.parquet, alerts.jsonl, scores/ and health/ (real model scores and sensor health).
     */
    static void demoOutputs(Path dir) {
        Path lab = Path.of("..", "datasets", "lab");
        Path demo = dir.resolveSibling(dir.getFileName() + "-demo");
        CliRun run = CliRun.of("demo", "--lab", lab.toString(), "-o", demo.toString());
        assertEquals(0, run.exit(), run.toString());
        Path sensor = demo.resolve("sensor");
        try {
            java.nio.file.Files.copy(only(sensor.resolve("flows"), ".parquet"), dir.resolve("flows.parquet"));
            java.nio.file.Files.copy(only(sensor.resolve("alerts"), ".jsonl"), dir.resolve("alerts.jsonl"));
            java.nio.file.Files.createDirectories(dir.resolve("scores"));
            java.nio.file.Files.copy(only(sensor.resolve("scores"), ".parquet"), dir.resolve("scores/scores-demo.parquet"));
            java.nio.file.Files.createDirectories(dir.resolve("health"));
            java.nio.file.Files.copy(only(sensor.resolve("health"), ".parquet"), dir.resolve("health/health-demo.parquet"));
            java.nio.file.Files.createDirectories(dir.resolve("assets"));
            java.nio.file.Files.copy(sensor.resolve("assets/assets.parquet"), dir.resolve("assets/assets.parquet"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path only(Path dir, String ext) throws java.io.IOException {
        try (var s = java.nio.file.Files.list(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(ext)).toList();
            assertEquals(1, files.size(), dir + ": " + files);
            return files.get(0);
        }
    }

    @BeforeAll
    static void produce() {
        demoOutputs(out);
    }

    @Test
    void countsFlowsAndSaysWhichViewsExist() {
        CliRun r = CliRun.of("sql", out.toString(), "-c", "SELECT count(*) AS n FROM flows WHERE pkts > 0");
        assertEquals(0, r.exit(), r.toString());
        String[] lines = r.out().split("\n");
        assertEquals("n", lines[0].strip());
        assertTrue(Long.parseLong(lines[2].strip()) > 1000, r.toString());
        assertEquals("(1 row)", lines[3]);
        assertTrue(r.err().contains("flows           1 file"), r.err());
        assertTrue(r.err().contains("alerts          1 file"), r.err());
        assertTrue(r.err().contains("assets          1 file"), "the sensor's inventory: " + r.err());
    }

    @Test
    void alertViewHasFlatColumnsMatchingTheFile() throws Exception {
        long lines = Files.readAllLines(out.resolve("alerts.jsonl")).stream().filter(l -> !l.isBlank()).count();
        CliRun r = CliRun.of("sql", out.toString(), "-q", "-f", "csv", "-c",
                "SELECT count(*) AS n, count(DISTINCT rule_id) AS rules, min(severity) AS sev,"
                        + " count(*) FILTER (WHERE ts IS NULL OR signature IS NULL OR sid IS NULL) AS broken FROM alerts");
        assertEquals(0, r.exit(), r.toString());
        String[] row = r.out().split("\r\n")[1].split(",");
        assertEquals(lines, Long.parseLong(row[0]));
        assertTrue(lines > 0, "the lab capture raises alerts");
        assertEquals("0", row[3], "every alert has ts, signature and sid");
    }

    @Test
    void scoreViewUnfoldsTheSensorsRowsIntoTheColumnsOfTheEmptyView(@TempDir Path empty) {
        String describe = "SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE scores)";
        CliRun full = CliRun.of("sql", out.toString(), "-q", "-f", "csv", "-c", describe);
        CliRun none = CliRun.of("sql", empty.toString(), "-q", "-f", "csv", "-c", describe);
        assertEquals(0, full.exit(), full.toString());
        assertEquals(0, none.exit(), none.toString());
        assertEquals(none.out(), full.out(), "the view over the sensor's files has the columns of the empty one");
        // each flow's row of the file: one row per model kind and combined, the largest of them
        CliRun r = CliRun.of("sql", out.toString(), "-q", "-f", "csv", "-c",
                "SELECT count(*) = 3 * count(DISTINCT flow_id), count(DISTINCT model),"
                        + " count(*) FILTER (WHERE model = 'combined' AND score <> (SELECT max(o.score) FROM scores o"
                        + " WHERE o.flow_id = s.flow_id AND o.model <> 'combined')),"
                        + " count(*) FILTER (WHERE (model = 'combined') <> (raw_threshold IS NULL)), min(threshold), max(threshold)"
                        + " FROM scores s");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("true,3,0,0,1.0,1.0", r.out().split("\r\n")[1], r.out());
    }

    @Test
    void alertsJoinTheirFlows() {
        CliRun r = CliRun.of("sql", out.toString(), "-q", "-f", "csv", "-c",
                "SELECT count(*) FROM alerts a LEFT JOIN flows f USING (community_id)"
                        + " WHERE a.community_id IS NOT NULL AND f.flow_id IS NULL");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("0", r.out().split("\r\n")[1], "every alert about a flow finds it in the flow file of the same capture");
        CliRun assets = CliRun.of("sql", out.toString(), "-q", "-f", "csv", "-c",
                "SELECT count(*) FROM alerts WHERE community_id IS NULL AND rule_id NOT LIKE 'vigie.asset.%' AND rule_id NOT LIKE 'vigie.profile.%'");
        assertEquals("0", assets.out().split("\r\n")[1], "only the inventory's and the hourly profiles' alerts have no flow");
    }

    @Test
    void csvQuotesAndJsonNests() throws Exception {
        CliRun csv = CliRun.of("sql", out.toString(), "-q", "--format", "csv", "-c",
                "SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z");
        assertEquals("x,y,z\r\n\"a,b\",\"say \"\"hi\"\"\",\r\n", csv.out());

        CliRun json = CliRun.of("sql", out.toString(), "-q", "-f", "json", "-c",
                "SELECT sid, evidence, alert FROM alerts ORDER BY ts LIMIT 2");
        assertEquals(0, json.exit(), json.toString());
        String[] lines = json.out().split("\n");
        assertEquals(2, lines.length, json.out());
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertTrue(first.get("sid").isNumber());
        assertTrue(first.get("evidence").isObject() && first.get("evidence").size() > 0, "evidence is nested JSON, not a string");
        assertTrue(first.get("alert").get("signature").isTextual());
    }

    @Test
    void severalStatementsAndSemicolonsInLiterals() {
        CliRun r = CliRun.of("sql", out.toString(), "-q", "-f", "csv", "-c",
                "SELECT 'a;b' AS s; -- a comment; with a semicolon\nSELECT 2 AS t;");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("s\r\na;b\r\nt\r\n2\r\n", r.out());
    }

    @Test
    void sqlErrorIsOneLineAndExitOne() {
        CliRun r = CliRun.of("sql", out.toString(), "-q", "-c", "SELECT 1 AS ok; SELECT nope FROM flows; SELECT 3");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.errLines().length, r.toString());
        assertTrue(r.errLines()[0].startsWith("error: Binder Error:"), r.err());
        assertTrue(r.errLines()[0].contains("nope"), r.err());
        assertTrue(r.out().contains("ok"), "statements before the error ran");
        assertTrue(!r.out().contains("3"), "statements after it did not");
    }

    @Test
    void badFormatAndMissingDir() {
        CliRun f = CliRun.of("sql", out.toString(), "-f", "xml", "-c", "SELECT 1");
        assertEquals(2, f.exit(), f.toString());
        CliRun m = CliRun.of("sql", out.resolve("nowhere").toString(), "-c", "SELECT 1");
        assertEquals(ExitCodes.NO_INPUT, m.exit(), m.toString());
        assertEquals(1, m.errLines().length, m.toString());
    }

    @Test
    void emptyDirectoryGivesEmptyViewsWithTheirColumns(@TempDir Path empty) {
        CliRun r = CliRun.of("sql", empty.toString(), "-f", "csv", "-c",
                "SELECT (SELECT count(*) FROM flows) + (SELECT count(*) FROM alerts) + (SELECT count(*) FROM assets)"
                        + " + (SELECT count(*) FROM scores) + (SELECT count(*) FROM patient_events) AS n;"
                        + " SELECT max(orig_bytes), max(severity), max(score - threshold), max(last_seen),"
                        + " max(masked_value) FROM flows, alerts, scores, assets, patient_events");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("n\r\n0\r\n"), r.out());
        assertTrue(r.err().contains("flows           no files"), r.err());
    }

    @Test
    void findsAssetsIgnoresOtherAndHiddenFiles(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        try (Connection conn = SqlCommand.open(); Statement st = conn.createStatement()) {
            st.execute("COPY (SELECT '02:77:0a:00:00:01' AS mac, 'ws01' AS hostname) TO '"
                    + dir.resolve("sub/assets.parquet") + "' (FORMAT parquet)");
        }
        Files.copy(out.resolve("flows.parquet"), dir.resolve(".flows.parquet.tmp-1.parquet"));
        try (Connection conn = SqlCommand.open(); Statement st = conn.createStatement()) {
            st.execute("COPY (SELECT 1 AS x) TO '" + dir.resolve("other.parquet") + "' (FORMAT parquet)");
        }
        Files.writeString(dir.resolve("notes.jsonl"), "{\"event_type\":\"dns\"}\n");
        CliRun r = CliRun.of("sql", dir.toString(), "-f", "csv", "-c",
                "SELECT hostname, (SELECT count(*) FROM flows) AS flows FROM assets");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("hostname,flows\r\nws01,0\r\n", r.out());
        assertTrue(r.err().contains("assets          1 file"), r.err());
        assertTrue(r.err().contains("2 other"), r.err());
    }

    /** A score file of a build before 2026-12-08 (one row per flow and model) is left out and counted, not mixed in. */
    @Test
    void anOldLongLayoutScoreFileIsIgnoredBesideTheSensorsFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("scores"));
        Files.copy(out.resolve("scores/scores-demo.parquet"), dir.resolve("scores/new.parquet"));
        try (Connection conn = SqlCommand.open(); Statement st = conn.createStatement()) {
            st.execute("COPY (SELECT now() AS ts, 1::BIGINT AS flow_id, 'kmeans' AS model, 'lab v1' AS model_version,"
                    + " 0.5 AS score, 1.0 AS threshold) TO '" + dir.resolve("scores/old.parquet") + "' (FORMAT parquet)");
        }
        CliRun r = CliRun.of("sql", dir.toString(), "-q", "-f", "csv", "-c",
                "SELECT count(*) = 3 * count(DISTINCT flow_id), count(*) FILTER (WHERE model_version = 'lab v1') FROM scores");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("true,0", r.out().split("\r\n")[1], r.out());
        CliRun views = CliRun.of("sql", dir.toString(), "-c", "SELECT 1");
        assertTrue(views.err().contains("scores          1 file"), views.err());
        assertTrue(views.err().contains("1 other"), views.err());
    }

    @Test
    void alertsToleratesUnknownFieldsAndBadTimestamps(@TempDir Path dir) throws Exception {
        // a newer detect may add fields; a hand-edited line may break the timestamp: the view must still load
        String first = Files.readAllLines(out.resolve("alerts.jsonl")).get(0);
        Files.writeString(dir.resolve("a.jsonl"), first.replace("\"event_type\":\"alert\"",
                "\"event_type\":\"alert\",\"added_later\":{\"x\":1}") + "\n"
                + "{\"timestamp\":\"yesterday\",\"event_type\":\"alert\"}\n");
        CliRun r = CliRun.of("sql", dir.toString(), "-q", "-f", "csv", "-c",
                "SELECT count(*) AS n, count(ts) AS with_ts, count(rule_id) AS with_rule FROM alerts");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("n,with_ts,with_rule\r\n2,1,1\r\n", r.out());
    }

    @Test
    void printViewsGivesAScriptDuckDbRuns() throws Exception {
        CliRun r = CliRun.of("sql", out.toString(), "--print-views");
        assertEquals(0, r.exit(), r.toString());
        try (Connection conn = SqlCommand.open(); Statement st = conn.createStatement()) {
            for (String stmt : dev.vigie.sql.SqlScript.split(r.out())) st.execute(stmt);
            try (var rs = st.executeQuery("SELECT (SELECT count(*) FROM flows) > 0, (SELECT count(*) FROM scores)")) {
                rs.next();
                assertTrue(rs.getBoolean(1));
                assertTrue(rs.getLong(2) > 0, "the demo's sensor scored every flow");
            }
        }
    }

    @Test
    void promptRunsMultiLineStatementsKeepsHistoryAndSurvivesErrors() throws Exception {
        try (Connection conn = SqlCommand.open()) {
            List<AnalystViews.View> views = AnalystViews.create(conn,
                    AnalystViews.discover(conn, List.of(out)), StandardPipeline.schema());
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            SqlSession s = new SqlSession(conn, views, ResultPrinter.Format.CSV, new PrintWriter(o), new PrintWriter(e));
            s.interact(new BufferedReader(new StringReader(String.join("\n",
                    "SELECT 40 + 2", "  AS answer;", "SELECT nope;", ".views", "!1", ".format json",
                    "SELECT 'x;y' AS s;", ".history", ".bogus", ".quit", "SELECT 'never run';"))), false);
            assertEquals(List.of("SELECT 40 + 2\n  AS answer;", "SELECT nope;", "SELECT 40 + 2\n  AS answer;",
                    "SELECT 'x;y' AS s;"), s.history());
            String text = o.toString();
            assertTrue(text.startsWith("answer\r\n42\r\n"), text);
            assertTrue(text.contains("flows           1 file"), text);
            assertTrue(text.contains("{\"s\":\"x;y\"}"), text);
            assertTrue(!text.contains("never run"), text);
            String[] errs = e.toString().split("\n");
            assertEquals(2, errs.length, e.toString());
            assertTrue(errs[0].startsWith("error: "), errs[0]);
            assertTrue(errs[1].contains("unknown command .bogus"), errs[1]);
        }
    }

    @Test
    void terminalPromptEditsLinesAndKeepsItsHistoryFileAcrossSessions(@TempDir Path home) throws Exception {
        Path historyFile = home.resolve(".vigie").resolve("sql_history");
        try (Connection conn = SqlCommand.open()) {
            List<AnalystViews.View> views = AnalystViews.create(conn,
                    AnalystViews.discover(conn, List.of(out)), StandardPipeline.schema());
            for (String[] session : new String[][] {{"SELECT 40 + 2", "  AS answer;", ".quit"}, {"SELECT 7 AS seven;", ".quit"}}) {
                StringWriter o = new StringWriter();
                java.io.ByteArrayInputStream keys = new java.io.ByteArrayInputStream(
                        (String.join("\n", session) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                java.io.ByteArrayOutputStream screen = new java.io.ByteArrayOutputStream();
                org.jline.terminal.Terminal t = new org.jline.terminal.impl.DumbTerminal(keys, screen);
                SqlSession s = new SqlSession(conn, views, ResultPrinter.Format.CSV, new PrintWriter(o), new PrintWriter(new StringWriter()));
                try (dev.vigie.sql.TerminalLines lines = new dev.vigie.sql.TerminalLines(t, historyFile)) {
                    s.interact(lines, true);
                }
                assertTrue(o.toString().contains(session.length == 3 ? "42" : "7"), o + " SCREEN " + screen.toString(java.nio.charset.StandardCharsets.UTF_8));
                assertTrue(screen.toString(java.nio.charset.StandardCharsets.UTF_8).contains("vigie> "), "the prompt is drawn");
            }
            List<String> kept = Files.readAllLines(historyFile).stream().map(l -> l.substring(l.indexOf(':') + 1)).toList();
            assertEquals(List.of("SELECT 40 + 2", "AS answer;", ".quit", "SELECT 7 AS seven;", ".quit"), kept,
                    "both sessions' lines, in order, in the history file");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(historyFile)), "the analyst's own file");
        }
    }
}
