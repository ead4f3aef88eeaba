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
    // Keyed by host first so that scoring a flow looks up the strings it has and builds none: peers by host,
    // and (protocol, port) pairs as longs (see key) by host, for the ports a host used and those it served.
    private final Map<String, Set<String>> peers;
    private final Map<String, Set<Long>> ports;
    private final Map<String, Set<Long>> served;
    private final Set<String> servers;
    private final Map<String, Integer> protocols;

    private ProfileScorer(ProfileRules rules, Map<String, HostProfile> hosts, Map<String, Set<String>> peers,
                          Map<String, Set<Long>> ports, Map<String, Set<Long>> served, Set<String> servers,
                          Map<String, Integer> protocols) {
        this.rules = rules;
        this.hosts = hosts;
        this.peers = peers;
        this.ports = ports;
        this.served = served;
        this.servers = servers;
        this.protocols = protocols;
    }

    /** A (protocol, port) pair as one long: the protocol's number in {@code protocols} (added if new), the port. */
    private static long key(Map<String, Integer> protocols, String proto, int port) {
        return pack(protocols.computeIfAbsent(proto, k -> protocols.size()), port);
    }

    /** As {@link #key} for a lookup: -1 for a protocol no profile has, which no pair equals. */
    private long lookupKey(String proto, int port) {
        Integer id = protocols.get(proto);
        return id == null ? -1 : pack(id, port);
    }

    private static long pack(int protocolId, int port) {
        return ((long) protocolId << 32) | (port & 0xFFFFFFFFL);
    }

    /** Loads the four tables of {@link HostProfiles} from {@code dir}. */
    public static ProfileScorer load(Path dir, ProfileRules rules) throws IOException {
        Map<String, HostProfile> hosts = new HashMap<>();
        Map<String, Set<String>> peers = new HashMap<>();
        Map<String, Set<Long>> ports = new HashMap<>();
        Map<String, Set<Long>> served = new HashMap<>();
        Set<String> servers = new HashSet<>();
        Map<String, Integer> protocols = new HashMap<>();
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
                    peers.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT host, proto, port FROM read_parquet("
                    + ParquetFlows.literal(dir.resolve(HostProfiles.PORTS)) + ")")) {
                while (rs.next()) {
                    ports.computeIfAbsent(rs.getString(1), k -> new HashSet<>())
                            .add(key(protocols, rs.getString(2), rs.getInt(3)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT host, proto, port, flows FROM read_parquet("
                    + ParquetFlows.literal(dir.resolve(HostProfiles.SERVED)) + ")")) {
                Map<String, Long> servedFlows = new HashMap<>();
                while (rs.next()) {
                    served.computeIfAbsent(rs.getString(1), k -> new HashSet<>())
                            .add(key(protocols, rs.getString(2), rs.getInt(3)));
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
        return new ProfileScorer(rules, hosts, peers, ports, served, servers, protocols);
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
        long service = lookupKey(proto, respPort);
        HostProfile p = hosts.get(origH);
        if (p != null && p.flows() >= rules.minHostFlows()) {
            if (rules.newPeer() && !contains(peers.get(origH), respH)) {
                f |= NEW_PEER;
            }
            if (rules.unusualPort() && !contains(ports.get(origH), service)) {
                f |= UNUSUAL_PORT;
            }
        }
        if (answered && rules.newServedPort() && servers.contains(respH)
                && !contains(served.get(respH), service)) {
            f |= NEW_SERVED_PORT;
        }
        return f;
    }

    private static <T> boolean contains(Set<T> set, T value) {
        return set != null && set.contains(value);
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
