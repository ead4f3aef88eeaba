package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.capture.CaptureCounters;
import dev.vigie.capture.CaptureFault;
import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.CapturedPacket;
import dev.vigie.capture.PacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.features.FeatureAnalyzer;
import dev.vigie.features.FlowSchema;
import dev.vigie.flow.FlowConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Extract throughput with and without the protocol analyzer, on every shared capture replayed back to back from
 * memory (so that disk and decompression are not what we measure). Excluded from normal runs; run with
 * {@code ./mvnw -o -pl features test -Dtest=ProtocolBenchTest -Dsurefire.excludedGroups=none}.
 */
@Tag("bench")
class ProtocolBenchTest {

    /**
     * Frames of many files as one stream: each file's timestamps shifted to start a second after the last one, the
     * whole set played {@link #LAPS} times (each lap later than the last), so that a run measures steady-state
     * throughput rather than the setup of the flow table and the Arrow vectors.
     */
    private static final class Replay implements PacketSource {
        static final int LAPS = 4;
        final List<byte[]> data = new ArrayList<>();
        final List<long[]> meta = new ArrayList<>();   // timestamp, link type, original length
        private final CapturedPacket frame = new CapturedPacket();
        private int next;
        private int lap;
        long span;

        @Override
        public CapturedPacket next() {
            if (next == data.size()) {
                if (++lap == LAPS) {
                    return null;
                }
                next = 0;
            }
            byte[] d = data.get(next);
            long[] m = meta.get(next++);
            frame.data = d;
            frame.captureLength = d.length;
            frame.timestampNanos = m[0] + lap * span;
            frame.linkType = (int) m[1];
            frame.originalLength = (int) m[2];
            return frame;
        }

        Replay rewind() {
            next = 0;
            lap = 0;
            return this;
        }

        @Override
        public String name() {
            return "replay";
        }

        @Override
        public CaptureFault fault() {
            return null;
        }

        @Override
        public long bytesConsumed() {
            return 0;
        }

        @Override
        public long bytesTotal() {
            return -1;
        }

        @Override
        public void close() {}
    }

    private static Replay load(Path dir) throws IOException {
        return load(dir, p -> true);
    }

    private static Replay load(Path dir, java.util.function.Predicate<Path> keep) throws IOException {
        Replay r = new Replay();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(pcap|pcapng|cap|pcap\\.gz)$"))
                    .filter(keep).sorted().toList();
        }
        long clock = 1_600_000_000_000_000_000L;
        for (Path f : files) {
            long first = Long.MIN_VALUE;
            long last = clock;
            try (PacketSource src = CaptureFiles.open(f, 0, new CaptureCounters())) {
                CapturedPacket p;
                while ((p = src.next()) != null) {
                    if (first == Long.MIN_VALUE) {
                        first = p.timestampNanos;
                    }
                    long ts = clock + Math.max(0, p.timestampNanos - first);
                    last = Math.max(last, ts);
                    r.data.add(Arrays.copyOf(p.data, p.captureLength));
                    r.meta.add(new long[] {ts, p.linkType, p.originalLength});
                }
            }
            clock = last + 1_000_000_000L;
        }
        r.span = clock - 1_600_000_000_000_000_000L + 600_000_000_000L;   // past every idle timeout
        return r;
    }

    private static long[] run(Replay replay, List<FeatureAnalyzer> analyzers) {
        return run(replay, FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, analyzers));
    }

    private static long[] run(Replay replay, FlowExtractor extractor) {
        ExtractionCounters counters = new ExtractionCounters();
        long[] rows = new long[1];
        long start;
        try (RootAllocator allocator = new RootAllocator()) {
            start = cpuNanos();
            extractor.run(replay.rewind(), counters, allocator, batch -> rows[0] += batch.getRowCount(), List.of(),
                    ProgressListener.NONE);
        }
        return new long[] {cpuNanos() - start, counters.flows.packets, rows[0]};
    }

    /**
     * CPU time of this thread: the machine running the tests is shared, and wall time moved by tens of percent from
     * run to run with other jobs; CPU time of the one packet thread is what extraction costs.
     */
    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Captures of one INDEX.tsv class (null: all). */
    private static Replay load(Path dir, String onlyClass) throws IOException {
        if (onlyClass == null) {
            return load(dir);
        }
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (String line : Files.readAllLines(dir.resolve("INDEX.tsv"))) {
            String[] f = line.split("\t");
            if (f.length > 11 && f[11].equals(onlyClass)) {
                keep.add(f[0]);
            }
        }
        return load(dir, p -> keep.contains(dir.relativize(p).toString()));
    }

    private record Result(String mix, long packets, long rows, double medianOverhead) {}

    /**
     * Pairs of runs, one with {@code candidate} and one with {@code baseline}, in alternating order; the overhead is
     * the median of the pairs' ratios. The test machine is shared: a pair sees the same load, a minimum over separate
     * runs does not.
     */
    private static Result measure(String mix, Replay replay, int pairs,
                                  java.util.function.Supplier<FlowExtractor> candidate,
                                  java.util.function.Supplier<FlowExtractor> baseline) {
        double[] ratios = new double[pairs];
        long bestWith = Long.MAX_VALUE;
        long bestWithout = Long.MAX_VALUE;
        long packets = 0;
        long rows = 0;
        for (int i = -3; i < pairs; i++) {                   // three warm-up pairs
            boolean withFirst = (i & 1) == 0;
            long[] a = run(replay, withFirst ? candidate.get() : baseline.get());
            long[] b = run(replay, withFirst ? baseline.get() : candidate.get());
            long[] with = withFirst ? a : b;
            long[] without = withFirst ? b : a;
            assertEquals(without[2], with[2], "same flow records");
            packets = with[1];
            rows = with[2];
            if (i >= 0) {
                ratios[i] = (double) with[0] / without[0];
                bestWith = Math.min(bestWith, with[0]);
                bestWithout = Math.min(bestWithout, without[0]);
            }
        }
        Arrays.sort(ratios);
        double median = ratios[pairs / 2] - 1;
        System.out.printf("%s: %d IP packets, %d flow records (%.1f packets per record), captures played %d times%n",
                mix, packets, rows, (double) packets / rows, Replay.LAPS);
        System.out.printf("  baseline %.2f M packets/s, candidate %.2f M packets/s (best runs: %.1f and %.1f ms of CPU)%n",
                packets * 1e3 / bestWithout, packets * 1e3 / bestWith, bestWithout / 1e6, bestWith / 1e6);
        System.out.printf("  overhead %.1f %% (median of %d pairs; quartiles %.1f %% .. %.1f %%)%n", median * 100, pairs,
                (ratios[pairs / 4] - 1) * 100, (ratios[3 * pairs / 4] - 1) * 100);
        return new Result(mix, packets, rows, median);
    }

    private static FlowExtractor without() {
        return FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, List.of());
    }

    private static FlowExtractor with(ProtocolAnalyzer a) {
        return FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, List.of(a));
    }

    private static FlowExtractor parsingOnly(ProtocolAnalyzer a) {
        return new FlowExtractor(FlowConfig.DEFAULTS, FlowSchema.base(), List.of(a), FlowExtractor.DEFAULT_BATCH_ROWS);
    }

    private static FlowExtractor columnsOnly() {
        return new FlowExtractor(FlowConfig.DEFAULTS, FlowSchema.with(new ProtocolAnalyzer().columns()), List.of(),
                FlowExtractor.DEFAULT_BATCH_ROWS);
    }

    @Test
    void extractThroughputWithAndWithoutProtocols() throws IOException {
        Path dir = SharedCaptures.dir();
        Assumptions.assumeTrue(dir != null, "no shared captures");
        String profile = System.getProperty("vigie.benchProfile");    // with, without or columns: one mode, for a profiler
        if (profile != null) {
            Replay replay = load(dir, System.getProperty("vigie.benchClass"));
            ProtocolAnalyzer reused = new ProtocolAnalyzer();
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 30; round++) {
                if (profile.equals("time-with") || profile.equals("time-without")) {
                    best = Math.min(best, run(replay, profile.equals("time-with") ? with(reused) : without())[0]);
                    continue;
                }
                if (profile.equals("parse")) {
                    run(replay, parsingOnly(reused));
                } else if (profile.equals("columns")) {
                    run(replay, new FlowExtractor(FlowConfig.DEFAULTS, FlowSchema.with(new ProtocolAnalyzer().columns()),
                            List.of(), FlowExtractor.DEFAULT_BATCH_ROWS));
                } else {
                    run(replay, profile.equals("with") ? List.of(new ProtocolAnalyzer()) : List.of());
                }
            }
            System.out.printf("BEST %s %s %.1f ms%n", profile, System.getProperty("vigie.benchClass"), best / 1e6);
            return;
        }
        ProtocolAnalyzer analyzer = new ProtocolAnalyzer();   // one per run of the test, as a sensor has one
        Replay benignReplay = load(dir, "benign");
        System.out.println();
        Result benign = measure("benign captures (enterprise-like traffic), all protocol metadata", benignReplay, 11,
                () -> with(analyzer), ProtocolBenchTest::without);
        if (Boolean.getBoolean("vigie.benchSplit")) {
            measure("  same, parsing only (no protocol columns)", benignReplay, 11, () -> parsingOnly(analyzer),
                    ProtocolBenchTest::without);
            measure("  same, protocol columns only (no parsing)", benignReplay, 11, ProtocolBenchTest::columnsOnly,
                    ProtocolBenchTest::without);
        }
        Replay all = load(dir);
        measure("all shared captures (scans, floods and DoS included), all protocol metadata", all, 11,
                () -> with(analyzer), ProtocolBenchTest::without);
        if (Boolean.getBoolean("vigie.benchSplit")) {
            measure("  same, parsing only (no protocol columns)", all, 11, () -> parsingOnly(analyzer),
                    ProtocolBenchTest::without);
            measure("  same, protocol columns only (no parsing)", all, 11, ProtocolBenchTest::columnsOnly,
                    ProtocolBenchTest::without);
        }
        System.out.println("  protocol counters " + analyzer.counters() + ", candidates " + analyzer.counters().candidates
                + ", buffers allocated " + analyzer.counters().bufferAllocations);
        assertTrue(benign.medianOverhead() <= 0.30,
                "protocol metadata costs " + Math.round(benign.medianOverhead() * 100) + "% of extract throughput");
    }
}
