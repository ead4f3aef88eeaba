package dev.vigie.training.profiles;

import static dev.vigie.training.profiles.ProfileScorer.CONNS_HIGH;
import static dev.vigie.training.profiles.ProfileScorer.NEW_PEER;
import static dev.vigie.training.profiles.ProfileScorer.NEW_SERVED_PORT;
import static dev.vigie.training.profiles.ProfileScorer.UNUSUAL_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each per-flow and hourly finding, on profiles built by {@link HostProfiles} from a small flow file. */
class ProfileScorerTest {
    @TempDir
    static Path dir;
    static ProfileScorer scorer;

    static final String A = "10.0.0.1";      // 120 flows: to B on tcp/80 and to C on tcp/443
    static final String B = "10.0.0.2";      // serves tcp/80; never opens a flow
    static final String C = "10.0.0.3";      // serves tcp/443
    static final String E = "10.0.0.5";      // 10 flows: too few for the per-host rules
    static final String X = "192.0.2.9";     // unknown

    @BeforeAll
    static void build() throws Exception {
        Path flows = dir.resolve("flows.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM ("
                    + row(A, B, 80, 60) + " UNION ALL " + row(A, C, 443, 60) + " UNION ALL " + row(E, B, 80, 10)
                    + ")) TO '" + flows + "' (FORMAT parquet)");
        }
        HostProfiles.build(List.of(flows), dir.resolve("profiles"));
        scorer = ProfileScorer.load(dir.resolve("profiles"), ProfileRules.DEFAULTS);
    }

    /** n answered TCP flows, one a minute from 2026-01-01 00:00. */
    private static String row(String orig, String resp, int port, int n) {
        return "SELECT '" + orig + "' AS orig_h, '" + resp + "' AS resp_h, 'tcp' AS proto, 40000 + i::INTEGER AS orig_p, "
                + port + " AS resp_p, TIMESTAMPTZ '2026-01-01 00:00:00+00' + i * INTERVAL 1 MINUTE AS ts_start, "
                + "100::BIGINT AS orig_bytes, 1000::BIGINT AS resp_bytes, 'SF' AS conn_state FROM range(" + n + ") t(i)";
    }

    @Test
    void perFlowFindings() {
        assertEquals(0, scorer.checkFlow(A, B, "tcp", 80));
        assertEquals(0, scorer.checkFlow(A, C, "tcp", 443));
        assertEquals(NEW_PEER, scorer.checkFlow(A, "10.0.0.4", "tcp", 80));
        assertEquals(NEW_SERVED_PORT, scorer.checkFlow(A, B, "tcp", 443), "A used 443 (to C), but B never served it");
        assertEquals(UNUSUAL_PORT | NEW_SERVED_PORT, scorer.checkFlow(A, B, "tcp", 22));
        assertEquals(UNUSUAL_PORT, scorer.checkFlow(A, B, "tcp", 22, false, false), "a port B did not answer on");
        assertEquals(0, scorer.checkFlow(A, "10.0.0.4", "tcp", 22, true, true), "an announced channel");
        assertEquals(UNUSUAL_PORT | NEW_SERVED_PORT, scorer.checkFlow(A, B, "sctp", 80), "a protocol no profile has");
        assertEquals(0, scorer.checkFlow(E, "10.0.0.4", "tcp", 22, false, false), "too few flows to judge E");
        assertEquals(0, scorer.checkFlow(X, B, "tcp", 80));
        assertEquals(NEW_SERVED_PORT, scorer.checkFlow(X, B, "tcp", 8080));
        assertEquals(0, scorer.checkFlow(X, "10.0.0.4", "tcp", 8080), "neither end known");
    }

    @Test
    void hostLookupGivesTheSameFindingsAndTheProfile() {
        for (String o : new String[] {A, B, E, X}) {
            for (String r : new String[] {A, B, C, X}) {
                for (int port : new int[] {22, 80, 443}) {
                    for (boolean answered : new boolean[] {true, false}) {
                        assertEquals(scorer.checkFlow(o, r, "tcp", port, answered, false),
                                scorer.checkFlow(scorer.host(o), r, "tcp", port, answered, false), o + " " + r + " " + port);
                    }
                }
            }
        }
        assertEquals(120, scorer.host(A).profile().flows());
        assertEquals(120, scorer.profile(A).flows());
        assertNull(scorer.host(B), "B served, but opened no flow: no profile");
        assertEquals(NEW_SERVED_PORT, scorer.checkFlow(X, B, "tcp", 22), "while its served ports are known");
        assertNull(scorer.host(X));
        assertNull(scorer.profile(X));
    }

    @Test
    void hourlyFindings() {
        // A opened 120 flows in its one training hour (60 to B, 60 to C)
        assertEquals(0, scorer.checkHour(A, 60, 6000));
        assertEquals(CONNS_HIGH, scorer.checkHour(A, 10_000, 6000));
        assertEquals(0, scorer.checkHour(X, 10_000, 6000), "no profile, no judgement");
        assertEquals(0, scorer.checkHour(E, 10_000, 6000), "too few flows");
    }
}
