package dev.vigie.rules.lists;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The named lists rules look up: every {@code *.txt} and {@code *.lst} file of a directory, named by its file stem
 * ("tor-exit.lst" is "tor-exit"). Lists are immutable; a reload builds new ones and swaps them in with one
 * volatile write, so a lookup never sees a half-loaded list. {@link #reloadIfChanged} compares file sizes and
 * modification times: cheap enough to call between batches.
 */
public final class ListRegistry {

    /** What happened at a (re)load. */
    public record LoadReport(List<NamedList> loaded, List<String> problems) {}

    private final Path directory;
    private final boolean anyName;
    private volatile Map<String, NamedList> lists;
    private Map<Path, String> stamps = Map.of();
    private long reloads;
    private long reloadFailures;

    private ListRegistry(Path directory, Map<String, NamedList> lists) {
        this(directory, lists, false);
    }

    private ListRegistry(Path directory, Map<String, NamedList> lists, boolean anyName) {
        this.directory = directory;
        this.lists = lists;
        this.anyName = anyName;
    }

    public static ListRegistry empty() {
        return new ListRegistry(null, Map.of());
    }

    /**
     * No lists, but every name counts as known: for checking rule files without the site's lists at hand
     * ({@code vigie rules check}). Lookups all miss.
     */
    public static ListRegistry anyName() {
        return new ListRegistry(null, Map.of(), true);
    }

    /** Lists given in code (tests, built-in defaults). */
    public static ListRegistry of(NamedList... named) {
        Map<String, NamedList> m = new TreeMap<>();
        for (NamedList n : named) m.put(n.name(), n);
        return new ListRegistry(null, Collections.unmodifiableMap(m));
    }

    /** Loads every list of {@code directory}; a missing or unreadable directory is an IOException. */
    public static ListRegistry load(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new java.nio.file.NoSuchFileException(directory.toString(), null, "not a directory");
        }
        ListRegistry r = new ListRegistry(directory, Map.of());
        r.reload();
        return r;
    }

    public NamedList get(String name) {
        return lists.get(name);
    }

    public boolean has(String name) {
        return anyName || lists.containsKey(name);
    }

    public Map<String, NamedList> lists() {
        return lists;
    }

    public long reloads() {
        return reloads;
    }

    public long reloadFailures() {
        return reloadFailures;
    }

    /** Reloads when a file was added, removed or changed since the last load; returns the report or null. */
    public synchronized LoadReport reloadIfChanged() {
        if (directory == null) return null;
        try {
            if (scan().equals(stamps)) return null;
            return reload();
        } catch (IOException e) {
            reloadFailures++;
            return new LoadReport(List.of(), List.of(directory + ": " + e.getMessage()));
        }
    }

    /** Reads every list again. A file that cannot be read keeps its previous version. */
    public synchronized LoadReport reload() throws IOException {
        Map<Path, String> newStamps = scan();
        Map<String, NamedList> next = new TreeMap<>();
        List<NamedList> loaded = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path p : newStamps.keySet()) {
            String name = stem(p);
            if (next.containsKey(name)) {
                problems.add(p + ": another file already defines list '" + name + "', ignored");
                continue;
            }
            try (InputStream in = Files.newInputStream(p)) {
                NamedList l = NamedList.read(name, p.toString(), in);
                next.put(name, l);
                loaded.add(l);
                if (l.rejected() > 0) {
                    problems.add(p + ": " + l.rejected() + " line(s) are neither address, CIDR block nor name, e.g. "
                            + l.rejectedSamples());
                }
            } catch (IOException e) {
                NamedList previous = lists.get(name);
                if (previous != null) next.put(name, previous);
                problems.add(p + ": " + e.getMessage());
                reloadFailures++;
            }
        }
        lists = Collections.unmodifiableMap(next);
        stamps = newStamps;
        reloads++;
        return new LoadReport(List.copyOf(loaded), List.copyOf(problems));
    }

    private Map<Path, String> scan() throws IOException {
        Map<Path, String> m = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (f.startsWith(".") || !(f.endsWith(".txt") || f.endsWith(".lst"))) continue;
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue;
                }
                if (!a.isRegularFile()) continue;
                m.put(p, a.size() + "@" + a.lastModifiedTime().toMillis() + "#" + a.fileKey());
            }
        }
        return m;
    }

    static String stem(Path p) {
        String f = p.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
