package dev.vigie.training.profiles;

import dev.vigie.training.data.ParquetFlows;
import dev.vigie.util.LongSet;
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

    /**
     * A profiled host's habits, found with one lookup: its training profile, the peers it talked to and the
     * (protocol, port) pairs it used.
     */
    public static final class Host {
        private final HostProfile profile;
        private final Set<String> peers;
        private final LongSet ports;

        private Host(HostProfile profile, Set<String> peers, LongSet ports) {
            this.profile = profile;
            this.peers = peers;
            this.ports = ports;
        }

        public HostProfile profile() {
            return profile;
        }
    }

    private final ProfileRules rules;
    // Only profiled hosts, so that the map a scored flow probes first is no larger than it must be; servers (the
    // few addresses that served enough flows) in a map of their own, small enough to stay in cache: most
    // responders are looked up there and not found. Pairs are longs (see key) in LongSets: no boxing per lookup.
    private final Map<String, Host> hosts;
    private final Map<String, LongSet> servers;
    private final Map<String, Integer> protocols;

    private ProfileScorer(ProfileRules rules, Map<String, Host> hosts, Map<String, LongSet> servers,
                          Map<String, Integer> protocols) {
        this.rules = rules;
        this.hosts = hosts;
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
        Map<String, Host> byHost = new HashMap<>();
        hosts.forEach((h, p) -> byHost.put(h, new Host(p, peers.getOrDefault(h, Set.of()), pairs(ports.get(h)))));
        Map<String, LongSet> byServer = new HashMap<>();
        for (String h : servers) {
            byServer.put(h, pairs(served.get(h)));
        }
        return new ProfileScorer(rules, byHost, byServer, protocols);
    }

    public ProfileRules rules() {
        return rules;
    }

    public HostProfile profile(String host) {
        Host h = hosts.get(host);
        return h == null ? null : h.profile;
    }

    /** A profiled host, or null when the address opened no flow in training. */
    public Host host(String address) {
        return hosts.get(address);
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
        return checkFlow(hosts.get(origH), respH, proto, respPort, answered, expectedChannel);
    }

    /** The same with the originator already looked up ({@link #host}; null when unknown). */
    public int checkFlow(Host orig, String respH, String proto, int respPort, boolean answered,
                         boolean expectedChannel) {
        if (expectedChannel) {
            return 0;
        }
        int f = 0;
        long service = lookupKey(proto, respPort);
        HostProfile p = orig == null ? null : orig.profile;
        if (p != null && p.flows() >= rules.minHostFlows()) {
            if (rules.newPeer() && !orig.peers.contains(respH)) {
                f |= NEW_PEER;
            }
            if (rules.unusualPort() && !orig.ports.contains(service)) {
                f |= UNUSUAL_PORT;
            }
        }
        if (answered && rules.newServedPort()) {
            LongSet served = servers.get(respH);
            if (served != null && !served.contains(service)) {
                f |= NEW_SERVED_PORT;
            }
        }
        return f;
    }

    /** The pairs of a set of boxed pairs as read; one shared empty set (never added to) where there are none. */
    private static LongSet pairs(Set<Long> values) {
        if (values == null || values.isEmpty()) {
            return NO_PAIRS;
        }
        LongSet set = new LongSet(values.size());
        for (long v : values) {
            set.add(v);
        }
        return set;
    }

    private static final LongSet NO_PAIRS = new LongSet(1);

    /** Findings for a host's totals over one hour: flows it opened and bytes it sent. */
    public int checkHour(String host, long conns, long bytesOut) {
        HostProfile p = profile(host);
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
