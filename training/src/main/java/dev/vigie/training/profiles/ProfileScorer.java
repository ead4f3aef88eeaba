package dev.vigie.training.profiles;

import dev.vigie.training.data.ParquetFlows;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Scores flows against the per-host profiles of a bundle with its {@link ProfileRules}. Per-flow rules (new
 * peer, unusual port, new served port) need only the flow; volume rules need the host's totals for the hour,
 * which the caller accumulates (the engine per live hour, evaluation over the whole file) and passes in.
 * Findings are bit flags so that a flow can carry several.
 */
public final class ProfileScorer {
    public static final int NEW_PEER = 1;
    public static final int UNUSUAL_PORT = 2;
    public static final int NEW_SERVED_PORT = 4;
    public static final int VOLUME_HIGH = 8;
    public static final int CONNS_HIGH = 16;

    /** One host's training profile: flows seen and hourly quantiles. */
    public record HostProfile(long flows, double connsP99, double bytesOutP99) {}

    private final ProfileRules rules;
    private final Map<String, HostProfile> hosts;
    private final Set<String> peers;
    private final Set<String> ports;
    private final Set<String> served;
    private final Set<String> servers;

    private ProfileScorer(ProfileRules rules, Map<String, HostProfile> hosts, Set<String> peers, Set<String> ports,
                          Set<String> served, Set<String> servers) {
        this.rules = rules;
        this.hosts = hosts;
        this.peers = peers;
        this.ports = ports;
        this.served = served;
        this.servers = servers;
    }

    /** Loads the four tables of {@link HostProfiles} from {@code dir}. */
    public static ProfileScorer load(Path dir, ProfileRules rules) throws IOException {
        Map<String, HostProfile> hosts = new HashMap<>();
        Set<String> peers = new HashSet<>();
        Set<String> ports = new HashSet<>();
        Set<String> served = new HashSet<>();
        Set<String> servers = new HashSet<>();
        try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT host, flows, conns_p99, bytes_out_p99 FROM read_parquet("
                    + ParquetFlows.literal(dir.resolve(HostProfiles.HOSTS)) + ")")) {
                while (rs.next()) {
                    hosts.put(rs.getString(1), new HostProfile(rs.getLong(2), rs.getDouble(3), rs.getDouble(4)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT host, peer FROM read_parquet("
                    + ParquetFlows.literal(dir.resolve(HostProfiles.PEERS)) + ")")) {
                while (rs.next()) {
                    peers.add(rs.getString(1) + '|' + rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT host, proto, port FROM read_parquet("
                    + ParquetFlows.literal(dir.resolve(HostProfiles.PORTS)) + ")")) {
                while (rs.next()) {
                    ports.add(rs.getString(1) + '|' + rs.getString(2) + '|' + rs.getInt(3));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT host, proto, port, flows FROM read_parquet("
                    + ParquetFlows.literal(dir.resolve(HostProfiles.SERVED)) + ")")) {
                Map<String, Long> servedFlows = new HashMap<>();
                while (rs.next()) {
                    served.add(rs.getString(1) + '|' + rs.getString(2) + '|' + rs.getInt(3));
                    servedFlows.merge(rs.getString(1), rs.getLong(4), Long::sum);
                }
                servedFlows.forEach((h, n) -> {
                    if (n >= rules.minHostFlows()) {
                        servers.add(h);
                    }
                });
            }
        } catch (SQLException e) {
            throw new IOException("cannot read host profiles in " + dir + ": " + e.getMessage(), e);
        }
        return new ProfileScorer(rules, hosts, peers, ports, served, servers);
    }

    public ProfileRules rules() {
        return rules;
    }

    public HostProfile profile(String host) {
        return hosts.get(host);
    }

    /** Per-flow findings for a flow opened by {@code origH} to {@code respH} on {@code proto/respPort}. */
    public int checkFlow(String origH, String respH, String proto, int respPort) {
        return checkFlow(origH, respH, proto, respPort, true, false);
    }

    /**
     * Per-flow findings, knowing more of the flow.
     *
     * @param answered        the responder sent data or completed a handshake: only then did it serve the port
     *                        (a RST to a scanner's SYN is not a new listener)
     * @param expectedChannel the flow is a channel another flow announced (an FTP data connection on an
     *                        ephemeral port): its port and peer are not the host's habits
     */
    public int checkFlow(String origH, String respH, String proto, int respPort, boolean answered,
                         boolean expectedChannel) {
        if (expectedChannel) {
            return 0;
        }
        int f = 0;
        HostProfile p = hosts.get(origH);
        if (p != null && p.flows() >= rules.minHostFlows()) {
            if (rules.newPeer() && !peers.contains(origH + '|' + respH)) {
                f |= NEW_PEER;
            }
            if (rules.unusualPort() && !ports.contains(origH + '|' + proto + '|' + respPort)) {
                f |= UNUSUAL_PORT;
            }
        }
        if (answered && rules.newServedPort() && servers.contains(respH)
                && !served.contains(respH + '|' + proto + '|' + respPort)) {
            f |= NEW_SERVED_PORT;
        }
        return f;
    }

    /** Findings for a host's totals over one hour: flows it opened and bytes it sent. */
    public int checkHour(String host, long conns, long bytesOut) {
        HostProfile p = hosts.get(host);
        if (p == null || p.flows() < rules.minHostFlows()) {
            return 0;
        }
        int f = 0;
        if (bytesOut > rules.minHourBytes() && bytesOut > rules.volumeFactor() * p.bytesOutP99()) {
            f |= VOLUME_HIGH;
        }
        if (conns > rules.minHourConns() && conns > rules.connFactor() * p.connsP99()) {
            f |= CONNS_HIGH;
        }
        return f;
    }

    public static String describe(int findings) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"new_peer", "unusual_port", "new_served_port", "volume_high", "conns_high"};
        for (int i = 0; i < names.length; i++) {
            if ((findings & (1 << i)) != 0) {
                sb.append(sb.length() > 0 ? "," : "").append(names[i]);
            }
        }
        return sb.toString();
    }
}
