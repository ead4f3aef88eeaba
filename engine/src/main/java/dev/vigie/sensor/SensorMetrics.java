package dev.vigie.sensor;

import dev.vigie.alerts.Alert;
import dev.vigie.alerts.AlertSink;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.flow.EndReason;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The sensor's health counters for Prometheus (docs/sense.md lists every metric). The loop publishes its counters
 * here on each tick (at most every few hundred packets; one writer, atomic slots), so the scrape thread reads a
 * consistent recent view without ever touching the loop's own state. Alerts are counted per rule as they are sent.
 */
public final class SensorMetrics implements Sensor.Tickable {
    /** Counter slots published by the loop. */
    enum Slot {
        PACKETS("vigie_packets_total", "counter", "Frames read from the capture."),
        BYTES("vigie_bytes_total", "counter", "Captured bytes read."),
        KERNEL_DROPS("vigie_kernel_drops_total", "counter", "Frames dropped by the kernel before the sensor read them (live)."),
        INTERFACE_DROPS("vigie_interface_drops_total", "counter", "Frames dropped by the interface or driver (live)."),
        MALFORMED("vigie_malformed_packets_total", "counter", "Frames that could not be decoded."),
        CAPTURE_ERRORS("vigie_capture_errors_total", "counter", "Faults of the capture input."),
        FLOWS("vigie_flow_records_total", "counter", "Flow records emitted."),
        EVICTIONS("vigie_flow_evictions_total", "counter", "Live flows evicted because the flow table was full."),
        BATCHES("vigie_batches_total", "counter", "Micro-batches scored."),
        ROWS_SCORED("vigie_rows_scored_total", "counter", "Flow records scored by the models."),
        ML_ALERTS("vigie_model_alerts_total", "counter", "Alerts raised by the models (before suppression and aggregation)."),
        PROFILE_ALERTS("vigie_profile_alerts_total", "counter", "Alerts raised by the host profiles (before suppression and aggregation)."),
        RULE_ALERTS("vigie_rule_alerts_total", "counter", "Alerts raised by the rules (before suppression and aggregation)."),
        BUNDLE_SWAPS("vigie_bundle_reloads_accepted_total", "counter", "Bundles swapped in by hot reload."),
        BUNDLE_VERSION("vigie_bundle_version", "gauge", "Version of the bundle scoring now.");

        final String name;
        final String type;
        final String help;

        Slot(String name, String type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }
    }

    private final AtomicLongArray slots = new AtomicLongArray(Slot.values().length);
    private final Map<String, LongAdder> alertsByRule = new ConcurrentHashMap<>();
    private final LatencyHistogram scoring = new LatencyHistogram();
    private final LatencyHistogram alertLatency = new LatencyHistogram();
    private final Map<String, LongSupplier> extra = new ConcurrentHashMap<>();
    private volatile String bundle = "";

    /** Per-batch scoring time (recipe, ONNX Runtime, profiles, alerts). */
    public LatencyHistogram scoring() {
        return scoring;
    }

    /** End of a flow (its record emitted) to its model or profile alert. */
    public LatencyHistogram alertLatency() {
        return alertLatency;
    }

    /** Counts alerts per rule; place it where alerts are sent (after suppression and aggregation). */
    public AlertSink counting(AlertSink downstream) {
        return a -> {
            alertsByRule.computeIfAbsent(a.ruleId(), k -> new LongAdder()).increment();
            downstream.accept(a);
        };
    }

    /** A counter owned by another component (suppressed alerts, syslog drops...), read at scrape time. */
    public void register(String name, LongSupplier value) {
        extra.put(name, value);
    }

    /**
     * The content scanner's counters (docs/sense.md), when the pipeline has one. They are single-writer fields of
     * the packet thread read at scrape time: a long read is atomic on the 64-bit JVMs vigie runs on.
     */
    public void registerContentScanner(java.util.List<dev.vigie.features.FeatureAnalyzer> analyzers) {
        for (dev.vigie.features.FeatureAnalyzer a : analyzers) {
            if (a instanceof dev.vigie.dlp.DlpAnalyzer d) {
                dev.vigie.dlp.DlpCounters dc = d.counters();
                register("vigie_dlp_flows_scanned_total", () -> dc.flowsScanned);
                register("vigie_dlp_bytes_scanned_total", () -> dc.bytesScanned);
                register("vigie_dlp_bytes_binary_total", () -> dc.bytesBinary);
                register("vigie_dlp_nir_total", () -> dc.nir);
                register("vigie_dlp_cards_total", () -> dc.cards);
                register("vigie_dlp_ipp_total", () -> dc.ipp);
                register("vigie_dlp_iep_total", () -> dc.iep);
                register("vigie_dlp_gaps_total", () -> dc.gaps);
                register("vigie_dlp_reorder_cap_hit_total", () -> dc.reorderCapHit);
                register("vigie_dlp_caps_hit_total", () -> dc.capReached + dc.inflateRatioCapped
                        + dc.chunkSizeCapped + dc.chunkLineCapped + dc.httpRawCapped);
            }
        }
    }

    @Override
    public void tick(long wallNanos, Sensor.Status s) {
        ExtractionCounters c = s.counters();
        set(Slot.PACKETS, c.capture.packets);
        set(Slot.BYTES, c.capture.capturedBytes);
        set(Slot.KERNEL_DROPS, c.capture.kernelDrops);
        set(Slot.INTERFACE_DROPS, c.capture.interfaceDrops);
        set(Slot.MALFORMED, c.decode.errors.total());
        set(Slot.CAPTURE_ERRORS, c.capture.errors.total());
        set(Slot.FLOWS, c.flows.records.total());
        set(Slot.EVICTIONS, c.flows.records.get(EndReason.EVICTED));
        set(Slot.BATCHES, s.batches());
        set(Slot.ROWS_SCORED, s.rowsScored());
        set(Slot.ML_ALERTS, s.mlAlerts());
        set(Slot.PROFILE_ALERTS, s.profileAlerts());
        set(Slot.RULE_ALERTS, s.ruleAlerts());
        set(Slot.BUNDLE_SWAPS, s.bundleSwaps());
        String b = s.bundle();
        if (!b.equals(bundle)) {
            bundle = b;
            int v = b.indexOf(" v");
            int end = b.indexOf(' ', v + 2);
            try {
                set(Slot.BUNDLE_VERSION, Long.parseLong(b.substring(v + 2, end < 0 ? b.length() : end)));
            } catch (RuntimeException ignored) {
                // a label without a version: leave the gauge
            }
        }
    }

    private void set(Slot slot, long v) {
        slots.lazySet(slot.ordinal(), v);
    }

    long get(Slot slot) {
        return slots.get(slot.ordinal());
    }

    /** The Prometheus text exposition format 0.0.4. */
    public String render() {
        StringBuilder sb = new StringBuilder(4096);
        for (Slot s : Slot.values()) {
            head(sb, s.name, s.type, s.help);
            sb.append(s.name).append(' ').append(get(s)).append('\n');
        }
        head(sb, "vigie_alerts_sent_total", "counter", "Alerts sent to the alert files and syslog, by rule or model.");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(alertsByRule).entrySet()) {
            sb.append("vigie_alerts_sent_total{rule=\"").append(escape(e.getKey())).append("\"} ")
                    .append(e.getValue().sum()).append('\n');
        }
        for (Map.Entry<String, LongSupplier> e : new TreeMap<>(extra).entrySet()) {
            head(sb, e.getKey(), e.getKey().endsWith("_total") ? "counter" : "gauge", "See docs/sense.md.");
            sb.append(e.getKey()).append(' ').append(e.getValue().getAsLong()).append('\n');
        }
        histogram(sb, "vigie_scoring_batch_seconds", "Time to score one micro-batch.", scoring);
        histogram(sb, "vigie_alert_latency_seconds", "From the end of a flow to its model or profile alert.", alertLatency);
        return sb.toString();
    }

    private static void head(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void histogram(StringBuilder sb, String name, String help, LatencyHistogram h) {
        head(sb, name, "histogram", help);
        long cumulative = 0;
        for (int i = 0; i < LatencyHistogram.BOUNDS_MS.length; i++) {
            cumulative += h.bucket(i);
            sb.append(name).append("_bucket{le=\"")
                    .append(String.format(Locale.ROOT, "%s", LatencyHistogram.BOUNDS_MS[i] / 1000.0)).append("\"} ")
                    .append(cumulative).append('\n');
        }
        cumulative += h.bucket(LatencyHistogram.BOUNDS_MS.length);
        sb.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        sb.append(name).append("_sum ").append(String.format(Locale.ROOT, "%.6f", h.sumSeconds())).append('\n');
        sb.append(name).append("_count ").append(cumulative).append('\n');
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
