package dev.vigie.sensor;

import dev.vigie.alerts.Alert;
import dev.vigie.alerts.AlertSink;
import dev.vigie.alerts.EveJson;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One alert per rule (or model), source and destination per window of capture time, so that a scan is a few
 * alerts, not ten thousand. The first alert of a key passes at once (an analyst should not wait for a window to
 * close); the next ones within its window are counted, not sent; when the window closes (as capture time moves
 * past it, when the key is evicted, or at the end) and more came, one follow-up alert is sent: the last of them,
 * with {@code vigie.evidence.aggregate = {count, suppressed_repeats, first_ts, last_ts, window_s}}.
 * <p>
 * Keys are bounded ({@code maxKeys}, least recent window first); an evicted key sends its follow-up early, so no
 * count is lost, and evictions are counted. Single-threaded: the sensor loop.
 */
public final class AlertAggregator implements AlertSink, AutoCloseable {
    private static final class Window {
        long start;
        long firstTs;
        long lastTs;
        long repeats;
        Alert last;
    }

    private final AlertSink downstream;
    private final long windowNanos;
    private final int maxKeys;
    // insertion order = window start order (a key is re-inserted when its new window opens)
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();
    private long now = Long.MIN_VALUE;
    private long passed;
    private long held;
    private long followUps;
    private long evictions;

    public AlertAggregator(AlertSink downstream, long windowNanos, int maxKeys) {
        if (windowNanos <= 0 || maxKeys < 1) {
            throw new IllegalArgumentException("window and key bound must be positive");
        }
        this.downstream = downstream;
        this.windowNanos = windowNanos;
        this.maxKeys = maxKeys;
    }

    @Override
    public void accept(Alert a) {
        long ts = a.timestampNanos();
        if (ts > now) {
            now = ts;
            expire();
        }
        String key = a.ruleId() + '|' + a.srcIp() + '|' + a.destIp();
        Window w = windows.get(key);
        if (w != null && ts < w.start + windowNanos && ts >= w.start - windowNanos) {
            w.repeats++;
            w.firstTs = Math.min(w.firstTs, ts);
            w.lastTs = Math.max(w.lastTs, ts);
            w.last = a;
            held++;
            return;
        }
        if (w != null) {
            windows.remove(key);
            close(w);
        }
        w = new Window();
        w.start = ts;
        w.firstTs = ts;
        w.lastTs = ts;
        windows.put(key, w);
        if (windows.size() > maxKeys) {
            Iterator<Window> eldest = windows.values().iterator();
            Window e = eldest.next();
            eldest.remove();
            evictions++;
            close(e);
        }
        passed++;
        downstream.accept(a);
    }

    /** Closes the windows that capture time has left behind (oldest first, in window start order). */
    private void expire() {
        Iterator<Window> it = windows.values().iterator();
        while (it.hasNext()) {
            Window w = it.next();
            if (w.start + windowNanos > now) {
                break;
            }
            it.remove();
            close(w);
        }
    }

    private void close(Window w) {
        if (w.repeats == 0) {
            return;
        }
        Alert a = w.last;
        Map<String, Object> evidence = new LinkedHashMap<>(a.evidence() == null ? Map.of() : a.evidence());
        Map<String, Object> agg = new LinkedHashMap<>();
        agg.put("count", w.repeats + 1);
        agg.put("suppressed_repeats", w.repeats);
        agg.put("first_ts", EveJson.timestamp(w.firstTs));
        agg.put("last_ts", EveJson.timestamp(w.lastTs));
        agg.put("window_s", windowNanos / 1_000_000_000L);
        evidence.put("aggregate", agg);
        followUps++;
        downstream.accept(new Alert(a.timestampNanos(), a.flowId(), a.communityId(), a.srcIp(), a.srcPort(),
                a.destIp(), a.destPort(), a.proto(), a.appProto(), a.signatureId(), a.rev(), a.signature(),
                a.category(), a.severity(), a.tacticIds(), a.tacticNames(), a.techniqueIds(), a.techniqueNames(),
                a.tags(), a.ruleId(), evidence));
    }

    /** Alerts sent as they came (first of their window). */
    public long passed() {
        return passed;
    }

    /** Alerts counted into a window instead of being sent. */
    public long held() {
        return held;
    }

    /** Follow-up alerts sent for windows with repeats. */
    public long followUps() {
        return followUps;
    }

    public long evictions() {
        return evictions;
    }

    public int keys() {
        return windows.size();
    }

    /** Sends the follow-ups of every open window. */
    @Override
    public void close() {
        for (Window w : windows.values()) {
            close(w);
        }
        windows.clear();
    }
}
