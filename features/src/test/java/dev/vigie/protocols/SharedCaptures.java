package dev.vigie.protocols;

import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.PacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;

/**
 * The shared captures (system property {@code vigie.shared}) run through the real extractor with a protocol
 * analyzer, and tshark's reference fields (src/test/resources/protocols/*.tsv, made by tshark-expected.sh).
 */
final class SharedCaptures {
    private SharedCaptures() {}

    /** The captures folder, or null when this checkout has no shared folder. */
    static Path dir() {
        String shared = System.getProperty("vigie.shared");
        if (shared == null) {
            return null;
        }
        Path d = Path.of(shared, "captures");
        return Files.isDirectory(d) ? d : null;
    }

    /** What one extraction produced. */
    record Extraction(List<Map<String, Object>> rows, ProtocolCounters counters, ExtractionCounters extraction) {}

    private static final Map<Path, Extraction> CACHE = new HashMap<>();

    static synchronized Extraction extract(Path file) {
        return CACHE.computeIfAbsent(file, SharedCaptures::run);
    }

    private static Extraction run(Path file) {
        ProtocolAnalyzer analyzer = new ProtocolAnalyzer();
        FlowExtractor extractor = FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, List.of(analyzer));
        ExtractionCounters counters = new ExtractionCounters();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (RootAllocator allocator = new RootAllocator();
             PacketSource source = CaptureFiles.open(file, 0, counters.capture)) {
            extractor.run(source, counters, allocator, root -> rows.addAll(Harness.rowsOf(root)), List.of(),
                    ProgressListener.NONE);
        }
        return new Extraction(rows, analyzer.counters(), counters);
    }

    /** What tshark-expected.sh joins several values of one field with. */
    static final char SEPARATOR = 0x1F;

    /** One line of a tshark reference file. */
    record Expected(String capture, int frame, String src, int sport, String dst, int dport, String transport,
                    String[] fields) {
        String field(int i) {
            return i < fields.length ? fields[i] : "";
        }

        /** The first of several values (joined by 0x1F), or "". */
        String first(int i) {
            String v = field(i);
            int sep = v.indexOf(SEPARATOR);
            return sep < 0 ? v : v.substring(0, sep);
        }

        List<String> all(int i) {
            String v = field(i);
            return v.isEmpty() ? List.of() : List.of(v.split(String.valueOf(SEPARATOR), -1));
        }

        /** All values joined by {@code with}. */
        String joined(int i, String with) {
            return String.join(with, all(i));
        }

        String key() {
            return SharedCaptures.key(transport, src, sport, dst, dport);
        }
    }

    static List<Expected> expected(String name) throws IOException {
        Path p = Path.of("src/test/resources/protocols", name);
        List<Expected> out = new ArrayList<>();
        for (String line : Files.readAllLines(p)) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            String[] fields = new String[f.length - 7];
            System.arraycopy(f, 7, fields, 0, fields.length);
            out.add(new Expected(f[0], Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), f[4],
                    Integer.parseInt(f[5]), f[6], fields));
        }
        return out;
    }

    /** A direction-free flow key: transport and the two endpoints in a fixed order. */
    static String key(String transport, String a, int ap, String b, int bp) {
        String x = a + "/" + ap;
        String y = b + "/" + bp;
        return transport + " " + (x.compareTo(y) < 0 ? x + " " + y : y + " " + x);
    }

    static String key(Map<String, Object> row) {
        return key((String) row.get("proto"), (String) row.get("orig_h"), (Integer) row.get("orig_p"),
                (String) row.get("resp_h"), (Integer) row.get("resp_p"));
    }

    /** The first record (by start time) of every flow key. */
    static Map<String, Map<String, Object>> firstByKey(List<Map<String, Object>> rows) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> r : rows) {
            out.merge(key(r), r, (a, b) -> ((Long) a.get("ts_start")) <= ((Long) b.get("ts_start")) ? a : b);
        }
        return out;
    }
}
