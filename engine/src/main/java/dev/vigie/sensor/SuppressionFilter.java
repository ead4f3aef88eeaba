package dev.vigie.sensor;

import dev.vigie.alerts.Alert;
import dev.vigie.alerts.AlertSink;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drops the alerts the SOC has suppressed, counting what each suppression hid, and reloads the file when it changes
 * (its modification time and size are looked at, at most once a second of wall time, so an unchanged file costs a
 * clock read per alert). A file that becomes invalid is reported in one line and the previous entries stay in force:
 * a typo must not silently bring back, or hide, a flood. Expiry is wall-clock time: it is an operational decision.
 */
public final class SuppressionFilter implements AlertSink {
    private final Path file;
    private final AlertSink downstream;
    private final PrintWriter log;
    private List<Suppressions.Entry> entries;
    private final Map<String, Map<String, Long>> hidden = new LinkedHashMap<>(); // entry id -> rule -> count
    private FileTime modified;
    private long size;
    private long nextCheck;
    private Instant now = Instant.now();
    private long reloads;
    private long reloadErrors;
    private long passed;

    /** Loads {@code file}; an invalid file at start is the caller's error to report. */
    public SuppressionFilter(Path file, AlertSink downstream, PrintWriter log) throws Suppressions.InvalidFile {
        this.file = file;
        this.downstream = downstream;
        this.log = log;
        this.entries = Suppressions.load(file);
        stamp();
        this.nextCheck = System.nanoTime() + 1_000_000_000L;
    }

    @Override
    public void accept(Alert a) {
        long t = System.nanoTime();
        if (t >= nextCheck) {
            nextCheck = t + 1_000_000_000L;
            now = Instant.now();
            maybeReload();
        }
        for (Suppressions.Entry e : entries) {
            if (e.active(now) && e.matches(a.ruleId(), a.srcIp(), a.destIp())) {
                hidden.computeIfAbsent(e.id(), k -> new TreeMap<>()).merge(a.ruleId(), 1L, Long::sum);
                return;
            }
        }
        passed++;
        downstream.accept(a);
    }

    private void stamp() {
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (java.io.IOException e) {
            modified = null;
        }
    }

    /** Reloads when the file changed; keeps the entries in force when it became unreadable or invalid. */
    void maybeReload() {
        FileTime m;
        long s;
        try {
            m = Files.getLastModifiedTime(file);
            s = Files.size(file);
        } catch (java.io.IOException e) {
            return; // being replaced: look again next second
        }
        if (m.equals(modified) && s == size) {
            return;
        }
        modified = m;
        size = s;
        try {
            entries = Suppressions.load(file);
            reloads++;
            log.println("suppressions reloaded: " + file + " (" + entries.size() + " entries)");
        } catch (Suppressions.InvalidFile e) {
            reloadErrors++;
            log.println("suppressions not reloaded, the previous " + entries.size() + " entries stay in force: " + e.getMessage());
        }
        log.flush();
    }

    public long hiddenTotal() {
        long n = 0;
        for (Map<String, Long> m : hidden.values()) {
            for (long v : m.values()) {
                n += v;
            }
        }
        return n;
    }

    public long passed() {
        return passed;
    }

    public long reloads() {
        return reloads;
    }

    public long reloadErrors() {
        return reloadErrors;
    }

    public List<Suppressions.Entry> entries() {
        return entries;
    }

    /** One line per suppression: what it hid, by rule, with its reason and expiry. */
    public List<String> summary() {
        List<String> out = new ArrayList<>();
        for (Suppressions.Entry e : entries) {
            Map<String, Long> h = hidden.getOrDefault(e.id(), Map.of());
            long total = h.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder what = new StringBuilder();
            if (e.rule() != null) what.append("rule ").append(e.rule()).append(' ');
            if (e.host() != null) what.append("host ").append(e.host()).append(' ');
            if (e.cidr() != null) what.append("cidr ").append(e.cidr()).append(' ');
            out.add(String.format(Locale.ROOT, "%-14s %6d hidden  %s(%s; %suntil %s)%s", e.id(), total, what,
                    e.reason(), e.who() == null ? "" : "by " + e.who() + ", ", e.expires(),
                    e.active(now) ? "" : " EXPIRED") + (h.isEmpty() ? "" : " " + h));
        }
        return out;
    }
}
