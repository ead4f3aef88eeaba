package dev.vigie.rules;

import dev.cel.runtime.CelEvaluationException;
import dev.vigie.alerts.Alert;
import dev.vigie.alerts.AlertSink;
import dev.vigie.flow.EndReason;
import dev.vigie.flow.Flow;
import dev.vigie.flow.FlowSink;
import dev.vigie.util.SampledTimer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Runs a {@link RuleSet} over flow records as the extractor emits them (in capture-time order of their ends) and
 * sends alerts to an {@link AlertSink}. One thread. Time is capture time throughout: windows, suppression and
 * beacon intervals use the records' timestamps, so a capture replayed a year later gives the same alerts.
 *
 * <p>State is bounded: at most {@link Limits#maxKeysPerRule} keys per rule for aggregates, detectors and
 * suppression each (least recently used key evicted, counted), at most {@link #MAX_DISTINCT_PER_KEY} values per
 * distinct key, 5 sample flows per key. {@link #stats} reports keys, evictions and an estimate of the bytes held.
 */
public final class RuleEngine implements FlowSink, AutoCloseable {
    public static final int MAX_DISTINCT_PER_KEY = 1024;
    /** Distinct values copied into an alert's evidence. */
    static final int EVIDENCE_VALUES = 20;

    /** Caps on rule state and how often lists are checked for changes. */
    public record Limits(int maxKeysPerRule, long listCheckNanos) {
        public static final Limits DEFAULT = new Limits(10_000, 1_000_000_000L);
    }

    private final RuleSet rules;
    private final AlertSink sink;
    private final Limits limits;
    private final FlowValues values;
    private final Slot[] slots;
    private final int appProtoCol;
    private long flows;
    private long alerts;
    private final SampledTimer timer = new SampledTimer();
    private long lastListCheck = System.nanoTime();
    private final long[] keyScratch = new long[2];
    private final StateKey stateProbe = StateKey.probe();
    private final StateKey suppressProbe = StateKey.probe();

    /** Per-rule run state. */
    private static final class Slot {
        final CompiledRule rule;
        final BoundedLru<WindowState> windows;
        final BoundedLru<BeaconDetector.State> beacons;
        final BeaconDetector beacon;
        final BoundedLru<Long> suppressed;
        final RuleStats.Counters counters = new RuleStats.Counters();

        Slot(CompiledRule rule, int maxKeys) {
            this.rule = rule;
            Rule r = rule.rule();
            this.windows = r.aggregate() != null ? new BoundedLru<>(maxKeys) : null;
            this.beacon = r.detector() != null ? new BeaconDetector(r.detector().params()) : null;
            this.beacons = r.detector() != null ? new BoundedLru<>(maxKeys) : null;
            this.suppressed = r.suppress() != null ? new BoundedLru<>(maxKeys) : null;
        }
    }

    public RuleEngine(RuleSet rules, BufferAllocator allocator, AlertSink sink, Limits limits) {
        this.rules = rules;
        this.sink = sink;
        this.limits = limits;
        this.values = new FlowValues(rules.schema(), allocator, rules.columns());
        this.slots = new Slot[rules.active().size()];
        for (int i = 0; i < slots.length; i++) slots[i] = new Slot(rules.active().get(i), limits.maxKeysPerRule());
        this.appProtoCol = values.indexOf("app_proto");
    }

    public RuleSet rules() {
        return rules;
    }

    @Override
    public void flowEnded(Flow flow, EndReason reason) {
        long t0 = timer.start();
        flows++;
        if ((flows & 4095) == 0) maybeReloadLists();
        values.set(flow, reason);
        for (Slot s : slots) {
            try {
                evaluate(s, flow);
            } catch (RuntimeException e) {
                // A rule must never stop extraction: count it against the rule and go on.
                s.counters.errors++;
            }
        }
        timer.stop(t0);
    }

    /** Wall time spent in rules (evaluation, state, alerts), for the overhead report: an estimate (SampledTimer). */
    public long busyNanos() {
        return timer.estimatedNanos();
    }

    private void maybeReloadLists() {
        long now = System.nanoTime();
        if (now - lastListCheck >= limits.listCheckNanos()) {
            lastListCheck = now;
            rules.lists().reloadIfChanged();
        }
    }

    private void evaluate(Slot s, Flow flow) {
        CompiledRule cr = s.rule;
        boolean decided = false;
        if (cr.fast() != null) {
            int r = cr.fast().eval(values);
            if (r == FastCondition.FALSE) return; // false whatever the rest of the condition is
            if (cr.fast().exact()) {
                if (r == FastCondition.ERROR) {
                    s.counters.errors++;
                    return;
                }
                decided = true;
            }
        }
        if (!decided && cr.program() != null) {
            Object r;
            try {
                r = cr.program().eval(values);
            } catch (CelEvaluationException e) {
                s.counters.errors++;
                return;
            }
            if (!Boolean.TRUE.equals(r)) return;
        }
        s.counters.matches++;
        Rule rule = cr.rule();
        long t = flow.startNs();
        if (rule.aggregate() != null) {
            aggregate(s, flow, t);
        } else if (rule.detector() != null) {
            detect(s, flow, t);
        } else if (!suppressed(s, t)) {
            fire(s, flow, t, single(cr));
        }
    }

    private Map<String, Object> single(CompiledRule cr) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("kind", "flow");
        ev.put("ts_end", dev.vigie.alerts.EveJson.timestamp(values.row().flow().lastNs()));
        ev.put("orig_pkts", values.row().orig().packets());
        ev.put("resp_pkts", values.row().resp().packets());
        ev.put("orig_bytes", values.row().orig().payloadBytes());
        ev.put("resp_bytes", values.row().resp().payloadBytes());
        ev.put("conn_state", values.row().flow().connState());
        fields(cr, ev);
        return ev;
    }

    private void fields(CompiledRule cr, Map<String, Object> ev) {
        if (cr.evidenceCols().length == 0) return;
        Map<String, Object> f = new LinkedHashMap<>();
        for (int i = 0; i < cr.evidenceCols().length; i++) {
            Object v = values.get(cr.evidenceCols()[i]);
            f.put(cr.rule().fields().get(i), v == dev.cel.common.values.NullValue.NULL_VALUE ? null
                    : v instanceof java.time.Instant in ? in.toString() : v);
        }
        ev.put("fields", f);
    }

    /**
     * The current flow's key over {@code cols} in {@code probe}: copy it before keeping it. The state keys and the
     * suppression keys have a probe each, since a suppression check runs while the state key is still in use.
     */
    private StateKey key(StateKey probe, int[] cols) {
        return probe.refill(values, cols, keyScratch);
    }

    private Map<String, Object> keyMap(List<String> names, int[] cols) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < cols.length; i++) m.put(names.get(i), values.text(cols[i]));
        return m;
    }

    private Sample sample(Flow flow, String value) {
        return new Sample(flow.flowId(), flow.startNs(), flow.ipVersion(), flow.origHi(), flow.origLo(),
                flow.origPort(), flow.respHi(), flow.respLo(), flow.respPort(), value);
    }

    private void aggregate(Slot s, Flow flow, long t) {
        Rule.Aggregate a = s.rule.rule().aggregate();
        StateKey key = key(stateProbe, s.rule.byCols());
        WindowState w = s.windows.get(key);
        if (w == null) {
            w = a.function() == Rule.Function.DISTINCT ? WindowState.distinct() : WindowState.count();
            s.windows.put(key.copy(), w);
        }
        long windowNs = a.window().toNanos();
        int n;
        String value = null;
        if (a.function() == Rule.Function.SUM) {
            Object v = values.get(s.rule.fieldCol());
            long amount = v instanceof Long l ? l : v instanceof Double d ? (long) (double) d : 0;
            if (amount <= 0) return;
            value = Long.toString(amount);
            n = w.add(t, windowNs, null, a.threshold(), (int) Math.min(amount, Integer.MAX_VALUE));
        } else {
            value = s.rule.fieldCol() >= 0 ? values.text(s.rule.fieldCol()) : null;
            if (a.function() == Rule.Function.DISTINCT && value == null) return;
            n = w.add(t, windowNs, value, a.threshold());
        }
        w.sample(sample(flow, value));
        if (n < a.threshold()) return;
        if (suppressed(s, t)) {
            s.windows.remove(key);                       // as if it had fired: the next alert needs a full threshold
            return;
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("kind", "aggregate");
        ev.put("function", a.function().name().toLowerCase(java.util.Locale.ROOT));
        if (a.field() != null) ev.put("field", a.field());
        ev.put("by", keyMap(a.by(), s.rule.byCols()));
        ev.put(switch (a.function()) { case COUNT -> "count"; case SUM -> "sum"; case DISTINCT -> "distinct_count"; }, n);
        ev.put("threshold", a.threshold());
        ev.put("window_s", a.window().toMillis() / 1000.0);
        ev.put("window_start", dev.vigie.alerts.EveJson.timestamp(Math.max(w.firstNs, w.lastNs - windowNs)));
        ev.put("window_end", dev.vigie.alerts.EveJson.timestamp(w.lastNs));
        if (a.function() == Rule.Function.DISTINCT) ev.put("distinct_values", w.values(windowNs, EVIDENCE_VALUES));
        ev.put("samples", samples(w.samples(w.lastNs - windowNs)));
        fields(s.rule, ev);
        // The key starts afresh: the next alert needs a full threshold again (and suppression may hold it back).
        s.windows.remove(key);
        fire(s, flow, t, ev);
    }

    private void detect(Slot s, Flow flow, long t) {
        if (flow.part() != 0) return; // a long flow's later parts are not new connections
        StateKey key = key(stateProbe, s.rule.byCols());
        BeaconDetector.State st = s.beacons.get(key);
        if (st == null) {
            st = new BeaconDetector.State(s.beacon.capacity);
            s.beacons.put(key.copy(), st);
        }
        BeaconDetector.Score sc = s.beacon.add(st, t, flow.orig().payloadBytes());
        if (sc == null || suppressed(s, t)) return;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("kind", "beacon");
        ev.put("by", keyMap(s.rule.rule().detector().by(), s.rule.byCols()));
        ev.put("connections", sc.connections());
        ev.put("connections_total", st.total);
        ev.put("interval_median_s", round(sc.medianIntervalS()));
        ev.put("interval_mad_s", round(sc.madIntervalS()));
        ev.put("interval_skew", round(sc.intervalSkew()));
        ev.put("timing_score", round(sc.timing()));
        ev.put("size_score", round(sc.size()));
        ev.put("score", round(sc.score()));
        ev.put("first_seen", dev.vigie.alerts.EveJson.timestamp(sc.firstNs()));
        ev.put("last_seen", dev.vigie.alerts.EveJson.timestamp(sc.lastNs()));
        fields(s.rule, ev);
        fire(s, flow, t, ev);
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }

    private static List<Map<String, Object>> samples(List<Sample> samples) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Sample x : samples) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("flow_id", x.flowId());
            m.put("ts", dev.vigie.alerts.EveJson.timestamp(x.tsNanos()));
            m.put("src_ip", x.srcIp());
            m.put("src_port", x.srcPort());
            m.put("dest_ip", x.destIp());
            m.put("dest_port", x.destPort());
            if (x.value() != null) m.put("value", x.value());
            out.add(m);
        }
        return out;
    }

    /**
     * True (counted) when the rule's suppression holds this alert back; otherwise the key's suppression starts now.
     * Checked before the evidence is built: a suppressed match costs a key lookup, not an alert's worth of maps.
     */
    private boolean suppressed(Slot s, long t) {
        if (s.suppressed == null) return false;
        StateKey key = key(suppressProbe, s.rule.suppressCols());
        Long until = s.suppressed.get(key);
        if (until != null && t < until) {
            s.counters.suppressed++;
            return true;
        }
        s.suppressed.put(key.copy(), t + s.rule.rule().suppress().period().toNanos());
        return false;
    }

    /** Sends an alert that {@link #suppressed} let through. */
    private void fire(Slot s, Flow flow, long t, Map<String, Object> evidence) {
        Rule r = s.rule.rule();
        if (s.suppressed != null) {
            evidence.put("suppress_s", r.suppress().period().toMillis() / 1000.0);
        }
        s.counters.alerts++;
        alerts++;
        String src = values.row().origAddress();
        s.counters.host(src);
        Rule.Mitre m = r.mitre();
        String appProto = appProtoCol >= 0 ? values.text(appProtoCol) : null;
        sink.accept(new Alert(t, flow.flowId(), values.row().communityId(), src, flow.origPort(),
                values.row().respAddress(), flow.respPort(), protoName(flow.protocol()), appProto, r.sid(), r.rev(),
                r.name(), r.category(), r.severity(), m.tacticIds(), m.tacticNames(), m.techniqueIds(),
                m.techniqueNames(), r.tags(), r.id(), evidence));
    }

    static String protoName(int p) {
        return switch (p) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 1 -> "icmp";
            case 58 -> "ipv6-icmp";
            default -> Integer.toString(p);
        };
    }

    public long flows() {
        return flows;
    }

    public long alerts() {
        return alerts;
    }

    /** Counters and state size per active rule, in rule order. */
    public List<RuleStats> stats() {
        List<RuleStats> out = new ArrayList<>();
        for (Slot s : slots) {
            long keys = 0;
            long ev = 0;
            long bytes = 0;
            if (s.windows != null) {
                keys += s.windows.size();
                ev += s.windows.evictions;
                for (var e : s.windows.entrySet()) bytes += e.getValue().bytes() + e.getKey().bytes() + 40;
            }
            if (s.beacons != null) {
                keys += s.beacons.size();
                ev += s.beacons.evictions;
                for (var e : s.beacons.entrySet()) bytes += e.getValue().bytesHeld() + e.getKey().bytes() + 40;
            }
            if (s.suppressed != null) {
                keys += s.suppressed.size();
                ev += s.suppressed.evictions;
                for (StateKey k : s.suppressed.keySet()) bytes += k.bytes() + 40 + 16;   // entry and Long
            }
            Rule r = s.rule.rule();
            RuleStats.Counters c = s.counters;
            out.add(new RuleStats(r.id(), r.sid(), r.name(), r.severityName(), c.matches, c.alerts, c.suppressed,
                    c.errors, keys, ev, bytes, List.copyOf(c.hosts)));
        }
        return out;
    }

    /** Bytes held by all rule state (estimate). */
    public long stateBytes() {
        long b = 0;
        for (RuleStats s : stats()) b += s.stateBytes();
        return b;
    }

    @Override
    public void close() {
        values.close();
    }
}
