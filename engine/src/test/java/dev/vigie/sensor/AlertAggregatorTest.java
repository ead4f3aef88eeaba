package dev.vigie.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vigie.alerts.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertAggregatorTest {
    static final long S = 1_000_000_000L;

    static Alert alert(String rule, String src, String dst, long ts) {
        return new Alert(ts, ts, "1:x", src, 1, dst, 2, "tcp", null, 9000001, 1, "sig", "cat", 2, List.of(), List.of(),
                List.of(), List.of(), List.of(), rule, Map.of("k", "v"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> agg(Alert a) {
        return (Map<String, Object>) a.evidence().get("aggregate");
    }

    @Test
    void aScanIsOneAlertAndOneFollowUpWithItsCount() {
        List<Alert> out = new ArrayList<>();
        AlertAggregator ag = new AlertAggregator(out::add, 300 * S, 1000);
        for (int i = 0; i < 10_000; i++) {
            ag.accept(alert("vigie.scan.vertical", "10.0.0.1", "10.0.0.2", 1000 * S + i * 1_000_000L));
        }
        assertEquals(1, out.size(), "the first passes at once, the rest wait for the window");
        assertNull(out.get(0).evidence().get("aggregate"));
        ag.close();
        assertEquals(2, out.size());
        Map<String, Object> a = agg(out.get(1));
        assertEquals(10_000L, a.get("count"));
        assertEquals(9_999L, a.get("suppressed_repeats"));
        assertEquals(300L, a.get("window_s"));
        assertEquals("v", out.get(1).evidence().get("k"), "the rule's own evidence is kept");
        assertEquals(9_999L, ag.held());
    }

    @Test
    void keysAreRuleSourceAndDestination() {
        List<Alert> out = new ArrayList<>();
        AlertAggregator ag = new AlertAggregator(out::add, 300 * S, 1000);
        ag.accept(alert("r1", "a", "b", S));
        ag.accept(alert("r2", "a", "b", S));
        ag.accept(alert("r1", "a", "c", S));
        ag.accept(alert("r1", "b", "a", S));
        ag.accept(alert("r1", "a", "b", 2 * S));
        assertEquals(4, out.size());
        ag.close();
        assertEquals(5, out.size());
        assertEquals(2L, agg(out.get(4)).get("count"));
    }

    @Test
    void aWindowClosesWhenCaptureTimeMovesPastIt() {
        List<Alert> out = new ArrayList<>();
        AlertAggregator ag = new AlertAggregator(out::add, 60 * S, 1000);
        ag.accept(alert("r", "a", "b", 0));
        ag.accept(alert("r", "a", "b", 10 * S));
        ag.accept(alert("r", "a", "b", 20 * S));
        assertEquals(1, out.size());
        ag.accept(alert("other", "x", "y", 61 * S)); // time moves on: the first window closes with its count
        assertEquals(3, out.size());
        assertEquals(3L, agg(out.get(1)).get("count"));
        ag.accept(alert("r", "a", "b", 70 * S)); // a new window: passes at once
        assertEquals(4, out.size());
        assertNull(out.get(3).evidence().get("aggregate"));
    }

    @Test
    void evictedKeysSendTheirCountEarlyAndNothingIsLost() {
        List<Alert> out = new ArrayList<>();
        AlertAggregator ag = new AlertAggregator(out::add, 3600 * S, 2);
        ag.accept(alert("r", "a", "b", 0));
        ag.accept(alert("r", "a", "b", 1));
        ag.accept(alert("r", "c", "d", 2));
        ag.accept(alert("r", "e", "f", 3)); // evicts a->b, which had a repeat
        assertEquals(1, ag.evictions());
        assertEquals(4, out.size());
        assertEquals(2L, agg(out.get(2)).get("count"), "the evicted window's follow-up comes before the new alert");
        assertEquals("e", out.get(3).srcIp());
        assertEquals(2, ag.keys());
    }
}
