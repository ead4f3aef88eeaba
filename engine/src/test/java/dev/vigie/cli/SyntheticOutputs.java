package dev.vigie.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Stand-ins derived from the demo flows and datasets/lab/hosts.csv with the columns docs/sql.md promises: assets (with
 * a changed one, which the demo's inventory has not) and patient-data events (no producer yet), and a second week of model scores (the demo's capture spans six minutes,
 * while the drift notebook compares two weeks), so that the notebook and report code paths that need rows run.
 */
final class SyntheticOutputs {
    /** The clear value the patient events pretend to have seen; it must never reach a report. */
    static final String MASKED = "1050*********65";

    private SyntheticOutputs() {}

    static void write(Path dir) throws Exception {
        String flows = lit(dir.resolve("flows.parquet"));
        String hosts = lit(Path.of("..", "datasets", "lab", "hosts.csv").toAbsolutePath());
        try (Connection conn = SqlCommand.open(); Statement st = conn.createStatement()) {
            // two weeks of scores, in the sensor's layout (docs/schema/scores.md): this week's copy of the flows and
            // last week's, shifted, with another distribution; k-means scores lower than the forest, so combined = forest
            String week = " flow_id, orig_h, resp_h, resp_p, 'all' AS model_group, 'lab v3' AS model_version, s AS score,"
                    + " s AS isolation_forest_score, 0.41 AS isolation_forest_raw_threshold, 0.8 * s AS kmeans_score,"
                    + " 2.5 AS kmeans_raw_threshold FROM (SELECT *, ";
            st.execute("COPY (SELECT ts_start AS ts," + week + "(hash(flow_id) % 1000) / 1000.0 AS s FROM read_parquet(" + flows + "))"
                    + " UNION ALL SELECT ts_start - INTERVAL 7 DAY," + week + "power((hash(flow_id) % 1000) / 1000.0, 2) AS s"
                    + " FROM read_parquet(" + flows + ")))"
                    + " TO " + lit(dir.resolve("scores/scores.parquet")) + " (FORMAT parquet)");
            st.execute("COPY (SELECT ts_start AS ts, flow_id, orig_h, resp_h, resp_p, 'ftp' AS protocol,"
                    + " 'nir' AS phi_kind, '" + MASKED + "' AS masked_value, 200::BIGINT AS occurrences"
                    + " FROM read_parquet(" + flows + ") WHERE resp_h LIKE '10.77.200.%' AND orig_bytes > 10000)"
                    + " TO " + lit(dir.resolve("phi/patient_events.parquet")) + " (FORMAT parquet)");
            // every lab host new against an empty reference, ws03 changed (a new address)
            st.execute("COPY (WITH seen AS (SELECT h, min(ts_start) AS first_seen, max(ts_end) AS last_seen, count(*) AS flows"
                    + " FROM (SELECT orig_h AS h, ts_start, ts_end FROM read_parquet(" + flows + ") UNION ALL"
                    + " SELECT resp_h, ts_start, ts_end FROM read_parquet(" + flows + ")) GROUP BY h)"
                    + " SELECT name AS asset_id, mac, ip, name AS hostname, 'lab' AS vendor, split_part(role, ' ', 1) AS device_class,"
                    + " first_seen, last_seen, flows, 'new' AS status, NULL::VARCHAR AS changes FROM read_csv(" + hosts + ") JOIN seen ON seen.h = ip"
                    + " WHERE name <> 'ws03'"
                    + " UNION ALL SELECT 'ws03', '02:77:0a:00:00:03', '10.77.10.154', 'ws03', 'lab', 'workstation',"
                    + " TIMESTAMPTZ '2026-11-28 05:40:00+00', TIMESTAMPTZ '2026-11-28 05:41:00+00', 1, 'changed',"
                    + " 'address: 10.77.10.103 -> +10.77.10.154')"
                    + " TO " + lit(dir.resolve("assets/assets.parquet")) + " (FORMAT parquet)");
        }
    }

    private static String lit(Path p) {
        p.toAbsolutePath().getParent().toFile().mkdirs();
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }
}
