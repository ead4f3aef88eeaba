package dev.vigie.sensor;

import dev.vigie.alerts.Alert;
import dev.vigie.alerts.AlertSink;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The end-of-run table of what the sensor raised: one line per rule or model, with its severity, how many alerts,
 * the host pairs involved (first few) and a one-line explanation taken from the first alert. Bounded: at most
 * {@value #MAX_HOSTS} host pairs are kept per line.
 */
public final class AlertTable implements AlertSink {
    static final int MAX_HOSTS = 4;

    /** One line of the table. */
    public record Line(String ruleId, int sid, int severity, String signature, long count, List<String> hosts,
                long hostPairs, String explanation) {}

    private static final class Entry {
        String ruleId;
        int sid;
        int severity;
        String signature;
        long count;
        final Set<String> hosts = new LinkedHashSet<>();
        long hostPairs;
        String explanation;
    }

    private final Map<String, Entry> byRule = new LinkedHashMap<>();

    @Override
    public void accept(Alert a) {
        Entry e = byRule.computeIfAbsent(a.ruleId(), k -> {
            Entry n = new Entry();
            n.ruleId = a.ruleId();
            n.sid = a.signatureId();
            n.severity = a.severity();
            n.signature = a.signature();
            n.explanation = explain(a);
            return n;
        });
        long c = count(a);
        e.count += c;
        String pair = a.destIp() == null || a.destIp().isEmpty() ? a.srcIp() : a.srcIp() + " -> " + a.destIp();
        if (e.hosts.size() < MAX_HOSTS) {
            if (e.hosts.add(pair)) {
                e.hostPairs++;
            }
        } else if (!e.hosts.contains(pair)) {
            e.hostPairs++; // approximate past the first few: counts distinct pairs only while they are kept
        }
    }

    /** Alerts an aggregated alert stands for (its evidence's aggregate count), 1 otherwise. */
    static long count(Alert a) {
        Object agg = a.evidence() == null ? null : a.evidence().get("aggregate");
        if (agg instanceof Map<?, ?> m && m.get("count") instanceof Number n) {
            return Math.max(0, n.longValue() - 1); // a follow-up counts the alerts it hid after the first
        }
        return 1;
    }

    /** A one-line reason: the model's top features, a rule's key evidence, or its signature. */
    static String explain(Alert a) {
        Map<String, Object> ev = a.evidence();
        if (ev != null && ev.get("explanation") instanceof List<?> l && !l.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                if (o instanceof Map<?, ?> f && parts.size() < 2) {
                    parts.add(String.format(Locale.ROOT, "%s=%s (usual %s-%s)", f.get("feature"), f.get("value"),
                            f.get("usual_min"), f.get("usual_max")));
                }
            }
            return ev.get("model_kind") + " score " + ev.get("score") + ": " + String.join(", ", parts);
        }
        if (ev != null && ev.get("finding") != null) {
            return ev.get("finding") + (ev.get("service") != null ? " " + ev.get("service") : "");
        }
        return a.signature();
    }

    public List<Line> lines() {
        List<Line> out = new ArrayList<>();
        for (Entry e : byRule.values()) {
            out.add(new Line(e.ruleId, e.sid, e.severity, e.signature, e.count, List.copyOf(e.hosts), e.hostPairs,
                    e.explanation));
        }
        out.sort(Comparator.comparingInt(Line::severity).thenComparing(Comparator.comparingLong(Line::count).reversed()));
        return out;
    }

    public long total() {
        long t = 0;
        for (Entry e : byRule.values()) {
            t += e.count;
        }
        return t;
    }

    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%-32s %-4s %6s  %-44s %s%n", "rule or model", "sev", "count", "hosts", "explanation");
        for (Line l : lines()) {
            String hosts = String.join(", ", l.hosts()) + (l.hostPairs() > l.hosts().size()
                    ? " +" + (l.hostPairs() - l.hosts().size()) : "");
            out.printf(Locale.ROOT, "%-32s %-4s %6d  %-44s %s%n", l.ruleId(), severityName(l.severity()), l.count(),
                    clip(hosts, 44), clip(l.explanation(), 100));
        }
    }

    static String severityName(int s) {
        return switch (s) {
            case 1 -> "high";
            case 2 -> "med";
            case 3 -> "low";
            default -> "info";
        };
    }

    static String clip(String s, int n) {
        if (s == null) {
            return "";
        }
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
