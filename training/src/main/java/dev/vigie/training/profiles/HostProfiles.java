package dev.vigie.training.profiles;

import dev.vigie.training.data.ParquetFlows;
import dev.vigie.training.data.TrainingInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Builds the per-host behavioural profiles as Parquet tables, in DuckDB straight from the flow files:
 * <ul>
 * <li>{@code hosts.parquet}: per originating host, flows, active hours, first and last seen, and the p50/p90/p99/
 * max of flows opened, bytes sent and bytes received per active hour;</li>
 * <li>{@code peers.parquet}: (host, peer) pairs with flows and bytes sent;</li>
 * <li>{@code ports.parquet}: (host, proto, port) the host opened flows to;</li>
 * <li>{@code served.parquet}: (host, proto, port) the host answered on (sent data or completed a handshake).</li>
 * </ul>
 * One thread and a total order on every table make the files byte-identical for the same input.
 */
public final class HostProfiles {
    public static final String HOSTS = "hosts.parquet";
    public static final String PEERS = "peers.parquet";
    public static final String PORTS = "ports.parquet";
    public static final String SERVED = "served.parquet";

    private HostProfiles() {}

    public static void build(List<Path> flowFiles, Path outDir) throws TrainingInputException {
        String src = ParquetFlows.source(flowFiles);
        try {
            Files.createDirectories(outDir);
        } catch (java.io.IOException e) {
            throw new TrainingInputException("cannot create " + outDir + ": " + e.getMessage(), e);
        }
        try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = conn.createStatement()) {
            st.execute("SET threads = 1");
            st.execute("CREATE TEMP VIEW f AS SELECT orig_h, resp_h, proto, orig_p, resp_p, ts_start, "
                    + "coalesce(orig_bytes, 0) AS ob, coalesce(resp_bytes, 0) AS rb, "
                    + "(coalesce(resp_bytes, 0) > 0 OR conn_state IN ('S1', 'SF', 'S2', 'S3', 'RSTO', 'RSTR')) AS answered "
                    + "FROM " + src);
            st.execute("CREATE TEMP TABLE hourly AS SELECT orig_h AS host, date_trunc('hour', ts_start) AS hour, "
                    + "count(*) AS conns, sum(ob) AS bytes_out, sum(rb) AS bytes_in FROM f GROUP BY ALL");
            copy(st, "SELECT host, sum(conns)::BIGINT AS flows, count(*)::BIGINT AS active_hours, "
                    + "min(hour) AS first_hour, max(hour) AS last_hour, "
                    + quantiles("conns") + ", " + quantiles("bytes_out") + ", " + quantiles("bytes_in")
                    + " FROM hourly GROUP BY host ORDER BY host", outDir.resolve(HOSTS));
            // Without a handshake, which end of a UDP exchange sent first is chance (a DHCP server's unicast offer
            // precedes the client's renewals): UDP flows teach both ends their peer and the other end's port.
            st.execute("CREATE TEMP VIEW talks AS SELECT orig_h AS host, resp_h AS peer, proto, resp_p AS port, ob FROM f "
                    + "UNION ALL SELECT resp_h, orig_h, proto, orig_p, rb FROM f WHERE proto = 'udp'");
            copy(st, "SELECT host, peer, count(*)::BIGINT AS flows, sum(ob)::BIGINT AS bytes_out "
                    + "FROM talks GROUP BY ALL ORDER BY host, peer", outDir.resolve(PEERS));
            copy(st, "SELECT host, proto, port, count(*)::BIGINT AS flows "
                    + "FROM talks GROUP BY ALL ORDER BY host, proto, port", outDir.resolve(PORTS));
            // served = the responder answered (data, or a completed handshake): a port that only sent RST to a
            // scanner was never a service of that host
            copy(st, "SELECT resp_h AS host, proto, resp_p AS port, count(*)::BIGINT AS flows "
                    + "FROM f WHERE answered GROUP BY ALL ORDER BY host, proto, port", outDir.resolve(SERVED));
        } catch (SQLException e) {
            throw new TrainingInputException("cannot build host profiles: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static String quantiles(String c) {
        StringBuilder sb = new StringBuilder();
        for (int p : new int[] {50, 90, 99}) {
            sb.append("quantile_cont(").append(c).append(", ").append(p / 100.0).append(")::DOUBLE AS ")
                    .append(c).append("_p").append(p).append(", ");
        }
        return sb.append("max(").append(c).append(")::DOUBLE AS ").append(c).append("_max").toString();
    }

    private static void copy(Statement st, String query, Path out) throws SQLException {
        st.execute("COPY (" + query + ") TO " + ParquetFlows.literal(out) + " (FORMAT parquet, COMPRESSION zstd)");
    }
}
