package dev.vigie.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.vector.types.pojo.ArrowType;
import dev.vigie.features.FlowRow;
import dev.vigie.schema.TableSchema;
import dev.vigie.sensor.ScoreTable;

/**
 * The analyst views ({@code flows}, {@code alerts}, {@code assets}, {@code scores}, {@code patient_events}) over
 * the vigie output files found under some directories. Shared by {@code vigie sql}, the notebook test and the
 * report, so that a query behaves the same everywhere. A view whose files are absent is still created, empty,
 * with the columns its producer will write: queries written today keep working, and return rows once the data
 * exists (assets, scores and patient events have no producer yet; their columns here are the contract).
 */
public final class AnalystViews {
    /** One view: how many files back it (0 = created empty from the expected columns). */
    public record View(String name, List<Path> files) {
        public boolean empty() {
            return files.isEmpty();
        }
    }

    /** What discovery found: files per view, and the files that matched no view. */
    public record Discovery(Map<String, List<Path>> files, List<Path> ignored) {}

    public static final List<String> NAMES = List.of("flows", "alerts", "assets", "scores", "patient_events", "health");

    // EVE layout of docs/schema/alerts.md. Typed explicitly rather than auto-detected: evidence shapes differ per
    // rule kind, and an empty alerts file must give the same columns as a full one.
    static final Map<String, String> ALERT_RAW = columns(
            "timestamp VARCHAR", "flow_id BIGINT", "event_type VARCHAR", "src_ip VARCHAR", "src_port INTEGER",
            "dest_ip VARCHAR", "dest_port INTEGER", "proto VARCHAR", "community_id VARCHAR", "app_proto VARCHAR",
            "alert STRUCT(action VARCHAR, gid INTEGER, signature_id BIGINT, rev INTEGER, signature VARCHAR,"
                    + " category VARCHAR, severity INTEGER, metadata JSON)",
            "vigie STRUCT(rule_id VARCHAR, evidence JSON)");
    static final String ALERT_COLUMNS = ALERT_RAW.entrySet().stream()
            .map(e -> e.getKey() + ": " + literal(e.getValue()))
            .collect(Collectors.joining(", ", "{", "}"));

    // Flat columns put first in the alerts view, so that analysts need not spell alert.signature every time.
    static final String ALERT_FLAT = "try_strptime(timestamp, '%Y-%m-%dT%H:%M:%S.%f%z') AS ts,"
            + " alert.signature_id AS sid, alert.signature AS signature, alert.category AS category,"
            + " alert.severity AS severity, vigie.rule_id AS rule_id, vigie.evidence AS evidence,"
            + " alert.metadata AS metadata";

    static final Map<String, String> ASSET_COLUMNS = columns(
            "asset_id VARCHAR", "mac VARCHAR", "ip VARCHAR", "hostname VARCHAR", "vendor VARCHAR",
            "device_class VARCHAR", "first_seen TIMESTAMPTZ", "last_seen TIMESTAMPTZ", "flows BIGINT",
            "status VARCHAR", "changes VARCHAR");
    static final Map<String, String> SCORE_COLUMNS = columns(
            "ts TIMESTAMPTZ", "flow_id BIGINT", "orig_h VARCHAR", "resp_h VARCHAR", "resp_p INTEGER",
            "model_group VARCHAR", "model VARCHAR", "model_version VARCHAR", "score DOUBLE", "threshold DOUBLE",
            "raw_threshold DOUBLE");
    static final Map<String, String> PATIENT_COLUMNS = columns(
            "ts TIMESTAMPTZ", "flow_id BIGINT", "orig_h VARCHAR", "resp_h VARCHAR", "resp_p INTEGER",
            "protocol VARCHAR", "phi_kind VARCHAR", "masked_value VARCHAR", "occurrences BIGINT");

    static final Map<String, String> HEALTH_COLUMNS = columns(
            "ts TIMESTAMPTZ", "wall_ts TIMESTAMPTZ", "interval_s DOUBLE", "packets BIGINT", "bytes BIGINT", "kernel_drops BIGINT",
            "interface_drops BIGINT", "malformed BIGINT", "capture_errors BIGINT", "flow_records BIGINT",
            "evictions BIGINT", "batches BIGINT", "rows_scored BIGINT", "scoring_ms DOUBLE", "alerts BIGINT",
            "bundle VARCHAR");

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnalystViews() {}

    /**
     * Finds vigie outputs under {@code roots} (files or directories, walked recursively; hidden files, which
     * include {@link dev.vigie.io.AtomicFile}'s temporaries, are skipped). Parquet files are told apart by their
     * columns, JSON-lines files by their first record being an EVE alert.
     */
    public static Discovery discover(Connection conn, List<Path> roots) throws IOException, SQLException {
        Map<String, List<Path>> found = new LinkedHashMap<>();
        for (String n : NAMES) found.put(n, new ArrayList<>());
        List<Path> ignored = new ArrayList<>();
        for (Path file : candidates(roots)) {
            String kind = kindOf(conn, file);
            if (kind == null) ignored.add(file);
            else found.get(kind).add(file);
        }
        return new Discovery(found, ignored);
    }

    /** Creates (or replaces) every view; returns them in {@link #NAMES} order. */
    public static List<View> create(Connection conn, Discovery found, TableSchema<FlowRow> flowSchema)
            throws SQLException {
        List<View> views = new ArrayList<>();
        try (Statement st = conn.createStatement()) {
            for (String name : NAMES) {
                st.execute(createStatement(name, found, flowSchema));
                views.add(new View(name, found.files().get(name)));
            }
        }
        return views;
    }

    /** The views as a SQL script (absolute paths), for the duckdb CLI ({@code duckdb -init}) or a notebook. */
    public static String script(Discovery found, TableSchema<FlowRow> flowSchema) {
        StringBuilder sb = new StringBuilder();
        for (String name : NAMES) sb.append(createStatement(name, found, flowSchema)).append(";\n");
        return sb.toString();
    }

    private static String createStatement(String name, Discovery found, TableSchema<FlowRow> flowSchema) {
        List<Path> files = found.files().get(name).stream().map(p -> p.toAbsolutePath().normalize()).toList();
        return "CREATE OR REPLACE VIEW " + name + " AS " + definition(name, files, flowSchema);
    }

    static String definition(String name, List<Path> files, TableSchema<FlowRow> flowSchema) {
        String list = files.stream().map(p -> literal(p.toString())).collect(Collectors.joining(", ", "[", "]"));
        String parquet = "SELECT * FROM read_parquet(" + list + ", union_by_name = true)";
        return switch (name) {
            case "flows" -> files.isEmpty() ? emptySelect(flowColumns(flowSchema)) : parquet;
            case "alerts" -> "SELECT " + ALERT_FLAT + ", r.* FROM "
                    + (files.isEmpty() ? "(" + emptySelect(ALERT_RAW) + ") r"
                        : "read_json(" + list + ", format = 'newline_delimited', columns = " + ALERT_COLUMNS + ") r");
            // an inventory file from an older build (or a hand-made one) may lack contract columns: they read as null
            case "assets" -> files.isEmpty() ? emptySelect(ASSET_COLUMNS)
                    : "SELECT * FROM (" + emptySelect(ASSET_COLUMNS) + ") UNION ALL BY NAME SELECT * FROM (" + parquet + ")";
            // files hold one row per flow (every model's score in its own column); the view, one per flow and model
            case "scores" -> files.isEmpty() ? emptySelect(SCORE_COLUMNS) : ScoreTable.longView(parquet);
            case "patient_events" -> files.isEmpty() ? emptySelect(PATIENT_COLUMNS) : parquet;
            case "health" -> files.isEmpty() ? emptySelect(HEALTH_COLUMNS) : parquet;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static List<Path> candidates(List<Path> roots) throws IOException {
        Set<Path> seen = new HashSet<>();
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) throw new java.nio.file.NoSuchFileException(root.toString());
            List<Path> files;
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    files = walk.filter(Files::isRegularFile)
                            .filter(p -> !hidden(root, p))
                            .filter(p -> name(p).endsWith(".parquet") || name(p).endsWith(".jsonl"))
                            .sorted()
                            .toList();
                }
            } else {
                files = List.of(root);
            }
            for (Path f : files) {
                if (seen.add(f.toAbsolutePath().normalize())) out.add(f);
            }
        }
        return out;
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) return true;
        }
        return false;
    }

    private static String name(Path p) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String kindOf(Connection conn, Path file) throws IOException, SQLException {
        if (name(file).endsWith(".parquet")) {
            Set<String> cols = new HashSet<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM parquet_schema(?)")) {
                ps.setString(1, file.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) cols.add(rs.getString(1));
                }
            } catch (SQLException e) {
                return null; // not readable as Parquet: reported as ignored, not fatal
            }
            if (cols.contains("flow_id") && cols.contains("community_id")) return "flows";
            // a score file of a build before 2026-12-08 (one row per flow and model, a 'model' column) is ignored
            if (cols.contains("score") && cols.contains("model_version") && !cols.contains("model")) return "scores";
            if (cols.contains("phi_kind")) return "patient_events";
            if (cols.contains("kernel_drops") && cols.contains("rows_scored")) return "health";
            if (cols.contains("asset_id") || cols.contains("mac")) return "assets";
            return null;
        }
        if (name(file).endsWith(".jsonl")) {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) continue;
                    JsonNode n = JSON.readTree(line);
                    return n != null && "alert".equals(n.path("event_type").asText()) ? "alerts" : null;
                }
                // an empty alert file is a run without alerts: keep it, it says the run happened
                return "alerts";
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    private static Map<String, String> flowColumns(TableSchema<FlowRow> schema) {
        Map<String, String> cols = new LinkedHashMap<>();
        for (var c : schema.columns()) cols.put(c.name(), duckType(c.type()));
        return cols;
    }

    static String duckType(ArrowType t) {
        if (t instanceof ArrowType.Int i) {
            return switch (i.getBitWidth()) {
                case 8 -> "TINYINT";
                case 16 -> "SMALLINT";
                case 32 -> "INTEGER";
                default -> "BIGINT";
            };
        }
        if (t instanceof ArrowType.FloatingPoint f) {
            return f.getPrecision() == org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE ? "FLOAT" : "DOUBLE";
        }
        if (t instanceof ArrowType.Bool) return "BOOLEAN";
        if (t instanceof ArrowType.Timestamp ts) return ts.getTimezone() == null ? "TIMESTAMP" : "TIMESTAMPTZ";
        return "VARCHAR";
    }

    private static String emptySelect(Map<String, String> columns) {
        return columns.entrySet().stream()
                .map(e -> "CAST(NULL AS " + e.getValue() + ") AS " + e.getKey())
                .collect(Collectors.joining(", ", "SELECT ", " WHERE false"));
    }

    private static Map<String, String> columns(String... defs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String d : defs) {
            int sp = d.indexOf(' ');
            m.put(d.substring(0, sp), d.substring(sp + 1));
        }
        return m;
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
