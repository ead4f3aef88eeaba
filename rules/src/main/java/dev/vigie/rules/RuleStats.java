package dev.vigie.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-rule counters, Agrona style: everything that can go wrong is counted, nothing is logged per flow.
 *
 * @param errors       condition evaluations that failed (a null where a value was needed); counted as no match
 * @param keys         keys held now (aggregate, detector and suppression state)
 * @param evictions    keys dropped to stay within the key cap
 * @param stateBytes   estimate of the memory held by this rule's state
 * @param sampleHosts  up to 5 source addresses seen in alerts
 */
public record RuleStats(String ruleId, int sid, String name, String severity, long matches, long alerts,
                        long suppressed, long errors, long keys, long evictions, long stateBytes,
                        List<String> sampleHosts) {

    /** Mutable counters behind a RuleStats. */
    static final class Counters {
        long matches;
        long alerts;
        long suppressed;
        long errors;
        final List<String> hosts = new ArrayList<>();

        void host(String h) {
            if (h != null && hosts.size() < 5 && !hosts.contains(h)) hosts.add(h);
        }
    }
}
