package dev.vigie.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.alerts.Alert;
import dev.vigie.alerts.EveJson;
import dev.vigie.rules.lists.ListRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleEngineTest {

    private static final String COUNT = "rules:\n" + TestRules.rule("t.count", 1, """
                condition: resp_p == 22
                aggregate: {function: count, by: [orig_h], window: 60s, threshold: 3}
            """);

    @Test
    void singleFlowRuleWritesAnEveAlert() throws Exception {
        RuleSet set = TestRules.compile("rules:\n" + TestRules.rule("t.one", 7, """
                    condition: resp_p == 8080 && cidr_match(resp_h, '10.0.0.0/8') && is_private(orig_h)
                    fields: [history, conn_state]
                    tags: [web]
                """), ListRegistry.empty());
        try (TestRules.Run run = new TestRules.Run(set)) {
            run.flows.session(1_700_000_000.25, "192.168.1.5", 40000, "10.1.2.3", 8080, 100, 200, 1.0);
            run.flows.session(1_700_000_001, "192.168.1.5", 40001, "11.1.2.3", 8080, 100, 200, 1.0);
            run.flows.end();
            assertEquals(1, run.alerts.size());
            Alert a = run.alerts.get(0);
            Map<String, Object> j = EveJson.mapper().readValue(EveJson.line(a), Map.class);
            assertTrue(((String) j.get("timestamp")).matches("2023-11-14T22:13:20\\.2[45]\\d{4}\\+0000"), (String) j.get("timestamp"));
            assertEquals("alert", j.get("event_type"));
            assertEquals("192.168.1.5", j.get("src_ip"));
            assertEquals(40000, j.get("src_port"));
            assertEquals("10.1.2.3", j.get("dest_ip"));
            assertEquals(8080, j.get("dest_port"));
            assertEquals("TCP", j.get("proto"));
            assertTrue(((String) j.get("community_id")).startsWith("1:"));
            Map<String, Object> alert = (Map<String, Object>) j.get("alert");
            assertEquals(7, alert.get("signature_id"));
            assertEquals(1, alert.get("severity"));
            assertEquals("allowed", alert.get("action"));
            Map<String, Object> md = (Map<String, Object>) alert.get("metadata");
            assertEquals(List.of("T1046"), md.get("mitre_technique_id"));
            Map<String, Object> vigie = (Map<String, Object>) j.get("vigie");
            assertEquals("t.one", vigie.get("rule_id"));
            Map<String, Object> ev = (Map<String, Object>) vigie.get("evidence");
            assertEquals("SF", ((Map<String, Object>) ev.get("fields")).get("conn_state"));
            assertEquals(100, ev.get("orig_bytes"));
        }
    }

    @Test
    void countWindowIsCaptureTimeAndSliding() throws Exception {
        RuleSet set = TestRules.compile(COUNT, ListRegistry.empty());
        try (TestRules.Run run = new TestRules.Run(set)) {
            // 3 sessions spread over 150 s: never 3 within 60 s
            for (int i = 0; i < 3; i++) run.flows.session(1000 + i * 75, "10.0.0.1", 40000 + i, "10.0.0.2", 22, 10, 10, 1);
            // then 3 within 20 s: fires once, with evidence
            for (int i = 0; i < 3; i++) run.flows.session(2000 + i * 10, "10.0.0.1", 41000 + i, "10.0.0.2", 22, 10, 10, 1);
            run.flows.end();
            assertEquals(1, run.alerts.size(), run.alerts.toString());
            Map<String, Object> ev = run.alerts.get(0).evidence();
            assertEquals(3, ev.get("count"));
            assertEquals(Map.of("orig_h", "10.0.0.1"), ev.get("by"));
            assertEquals(3, ((List<?>) ev.get("samples")).size());
            assertEquals(60.0, ev.get("window_s"));
        }
    }

    @Test
    void suppressionHoldsBackRepeatsForThePeriod() throws Exception {
        RuleSet set = TestRules.compile("rules:\n" + TestRules.rule("t.sup", 2, """
                    condition: resp_p == 22
                    suppress: {by: [orig_h], for: 10m}
                """), ListRegistry.empty());
        try (TestRules.Run run = new TestRules.Run(set)) {
            run.flows.session(1000, "10.0.0.1", 40000, "10.0.0.2", 22, 10, 10, 1);
            run.flows.session(1100, "10.0.0.1", 40001, "10.0.0.3", 22, 10, 10, 1); // suppressed
            run.flows.session(1100, "10.0.0.9", 40001, "10.0.0.3", 22, 10, 10, 1); // other key
            run.flows.session(1700, "10.0.0.1", 40002, "10.0.0.2", 22, 10, 10, 1); // period over
            run.flows.end();
            assertEquals(3, run.alerts.size());
            RuleStats st = run.engine.stats().get(0);
            assertEquals(1, st.suppressed());
            assertEquals(4, st.matches());
        }
    }

    /**
     * A window keyed by source and a suppression keyed by source and destination: the window that fired starts
     * afresh even though the suppression check looked up another key in between (the engine reuses one lookup key
     * per kind, and a shared one would have removed the wrong window).
     */
    @Test
    void aWindowStartsAfreshAfterFiringWhenItsSuppressionKeyDiffers() throws Exception {
        RuleSet set = TestRules.compile("rules:\n" + TestRules.rule("t.win", 2, """
                    condition: resp_p == 22
                    aggregate: {function: count, by: [orig_h], window: 60s, threshold: 3}
                    suppress: {by: [orig_h, resp_h], for: 10m}
                """), ListRegistry.empty());
        try (TestRules.Run run = new TestRules.Run(set)) {
            for (int i = 0; i < 3; i++) {
                run.flows.session(1000 + i, "10.0.0.1", 40000 + i, "10.0.0.2", 22, 10, 10, 0.5);
            }
            run.flows.session(1010, "10.0.0.1", 40010, "10.0.0.3", 22, 10, 10, 0.5); // one flow of a new window
            run.flows.session(1011, "10.0.0.1", 40011, "10.0.0.3", 22, 10, 10, 0.5);
            run.flows.end();
            assertEquals(1, run.alerts.size(), run.alerts.toString());
            assertEquals("10.0.0.2", run.alerts.get(0).destIp());
            for (int i = 0; i < 2; i++) {
                run.flows.session(1020 + i, "10.0.0.1", 40020 + i, "10.0.0.3", 22, 10, 10, 0.5);
            }
            run.flows.end();
            assertEquals(2, run.alerts.size(), "the fresh window's third flow: " + run.alerts);
            assertEquals("10.0.0.3", run.alerts.get(1).destIp());
        }
    }

    @Test
    void distinctCountsPortsAndReportsValues() throws Exception {
        RuleSet set = TestRules.compile("rules:\n" + TestRules.rule("t.scan", 3, """
                    condition: conn_state == 'REJ'
                    aggregate: {function: distinct, field: resp_p, by: [orig_h, resp_h], window: 60s, threshold: 10}
                """), ListRegistry.empty());
        try (TestRules.Run run = new TestRules.Run(set)) {
            for (int p = 1; p <= 9; p++) run.flows.rejected(100 + p * 0.1, "10.0.0.1", 50000, "10.0.0.2", p);
            for (int p = 1; p <= 9; p++) run.flows.rejected(101 + p * 0.1, "10.0.0.1", 50001, "10.0.0.2", p); // same ports again
            run.flows.rejected(102, "10.0.0.1", 50002, "10.0.0.2", 1000);
            run.flows.end();
            assertEquals(1, run.alerts.size());
            Map<String, Object> ev = run.alerts.get(0).evidence();
            assertEquals(10, ev.get("distinct_count"));
            assertTrue(((List<?>) ev.get("distinct_values")).contains("1000"));
        }
    }

    /** A million distinct sources: state stays under the key cap and every eviction is counted. */
    @Test
    void stateIsBoundedUnderAMillionKeys() throws Exception {
        RuleSet set = TestRules.compile(COUNT.replace("resp_p == 22", "true"), ListRegistry.empty());
        try (TestRules.Run run = new TestRules.Run(set, new RuleEngine.Limits(5_000, Long.MAX_VALUE))) {
            for (int i = 0; i < 1_000_000; i++) {
                String src = "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255);
                run.flows.rejected(1000 + i * 1e-4, src, 40000, "10.200.0.1", 80);
                if ((i & 8191) == 0) run.flows.table.sweep(Math.round((1000 + i * 1e-4 + 400) * 1e9));
            }
            run.flows.end();
            RuleStats st = run.engine.stats().get(0);
            assertTrue(st.keys() <= 5_000, "keys " + st.keys());
            assertEquals(1_000_000 - st.keys(), st.evictions());
            assertTrue(st.stateBytes() < 5_000L * 1024, "bytes " + st.stateBytes());
            assertEquals(0, run.alerts.size());
        }
    }

    @Test
    void beaconDetectorFiresOnRegularCheckInsOnly() throws Exception {
        RuleSet set = TestRules.compile("rules:\n" + TestRules.rule("t.beacon", 4, """
                    detector: {type: beacon, by: [orig_h, resp_h, resp_p], params: {min_connections: 6, min_score: 0.8, target_connections: 10}}
                    suppress: {by: [orig_h, resp_h, resp_p], for: 6h}
                """), ListRegistry.empty());
        try (TestRules.Run run = new TestRules.Run(set)) {
            java.util.Random rnd = new java.util.Random(7);
            for (int i = 0; i < 30; i++) {
                // 60 s beacon with 1 s jitter, same size each time
                run.flows.session(1000 + i * 60 + rnd.nextDouble(), "10.0.0.5", 40000 + i, "203.0.113.9", 443, 310, 1200, 0.5);
                // a person browsing the same kind of destination at random times, random sizes
                run.flows.session(1000 + rnd.nextDouble() * 1800, "10.0.0.6", 40000 + i, "198.51.100.7", 443,
                        100 + rnd.nextInt(5000), 5000, 0.5);
            }
            run.flows.end();
            assertEquals(1, run.alerts.size(), run.alerts.toString());
            Alert a = run.alerts.get(0);
            assertEquals("10.0.0.5", a.srcIp());
            Map<String, Object> ev = a.evidence();
            assertTrue((double) ev.get("score") >= 0.8);
            assertEquals(60.0, (double) ev.get("interval_median_s"), 1.5);
            assertNotNull(ev.get("first_seen"));
        }
    }

    @Test
    void evaluationErrorsAreCountedNotThrown() throws Exception {
        // orig_payload_mean is null for flows without packets from... use a column that is null: orig_mss on UDP-less TCP RST
        RuleSet set = TestRules.compile("rules:\n" + TestRules.rule("t.err", 5, """
                    condition: orig_iat_mean > 1.0
                """), ListRegistry.empty());
        try (TestRules.Run run = new TestRules.Run(set)) {
            run.flows.rejected(10, "10.0.0.1", 1, "10.0.0.2", 2); // one packet from orig: iat mean is null
            run.flows.end();
            RuleStats st = run.engine.stats().get(0);
            assertEquals(1, st.errors());
            assertEquals(0, run.alerts.size());
        }
    }
}
