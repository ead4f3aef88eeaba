package dev.vigie.sensor;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-host totals for the capture hour in progress (flows opened, payload bytes sent), which the host-profile
 * volume rules compare with the host's baseline quantiles. Hours are counted by the flows' start times; a flow
 * that started in an hour already checked (a long flow ending late) counts in the current one. Only hosts that
 * have a profile are tracked, so the map is bounded by the bundle's profile table.
 */
final class HostHours {
    static final long HOUR_NANOS = 3_600_000_000_000L;

    @FunctionalInterface
    interface HourEnded {
        void ended(long hourStartNanos, String host, long conns, long bytesOut);
    }

    private final Map<String, long[]> totals = new HashMap<>();
    private long hour = Long.MIN_VALUE;

    void add(long tsNanos, String host, long bytesOut, HourEnded ended) {
        long h = Math.floorDiv(tsNanos, HOUR_NANOS);
        if (h > hour) {
            flush(ended);
            hour = h;
        }
        long[] t = totals.computeIfAbsent(host, k -> new long[2]);
        t[0]++;
        t[1] += bytesOut;
    }

    void flush(HourEnded ended) {
        if (hour != Long.MIN_VALUE) {
            for (Map.Entry<String, long[]> e : totals.entrySet()) {
                ended.ended(hour * HOUR_NANOS, e.getKey(), e.getValue()[0], e.getValue()[1]);
            }
        }
        totals.clear();
    }
}
