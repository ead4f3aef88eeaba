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
        int laps = 4;
        final List<byte[]> data = new ArrayList<>();
        final List<long[]> meta = new ArrayList<>();   // timestamp, link type, original length
        private final CapturedPacket frame = new CapturedPacket();
        private int next;
        private int lap;
        long span;

        @Override
        public CapturedPacket next() {
            if (next == data.size()) {
                if (++lap == laps) {
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

    private static final long MAX_GAP_NS = 600_000_000_000L;

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
            long previous = Long.MIN_VALUE;
            long ts = clock;
            try (PacketSource src = CaptureFiles.open(f, 0, new CaptureCounters())) {
                CapturedPacket p;
                while ((p = src.next()) != null) {
                    // keep the file's gaps, but none longer than ten minutes (past every idle timeout): some traces
                    // span years, and the replay must stay in this century
                    if (previous != Long.MIN_VALUE) {
                        ts += Math.min(MAX_GAP_NS, Math.max(0, p.timestampNanos - previous));
                    }
                    previous = p.timestampNanos;
                    r.data.add(Arrays.copyOf(p.data, p.captureLength));
                    r.meta.add(new long[] {ts, p.linkType, p.originalLength});
                }
            }
            clock = ts + 1_000_000_000L;
        }
        r.span = clock - 1_600_000_000_000_000_000L + 600_000_000_000L;   // past every idle timeout
        return r;
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

    private static FlowExtractor without() {
        return FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, List.of());
    }

    private static FlowExtractor with(ProtocolAnalyzer a) {
        return FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, List.of(a));
    }

    /**
     * One mode in this JVM: prints "BEST <cpu ns> <packets> <rows>" for the best of {@code rounds} runs. Separate
     * JVMs per mode, because in one JVM the runs with protocols change what the JIT compiles for the runs without
     * (the row writer's loops and the analyzer call sites become polymorphic), which makes both slower.
     *
     * @param args with|without, all|benign, rounds
     */
    public static void main(String[] args) throws IOException {
        Path dir = SharedCaptures.dir();
        Replay replay = load(dir, args[1].equals("all") ? null : args[1]);
        replay.laps = Integer.getInteger("vigie.laps", args[1].equals("all") ? 4 : 16);   // similar run lengths
        ProtocolAnalyzer analyzer = new ProtocolAnalyzer();   // one for the whole process, as a sensor has
        long best = Long.MAX_VALUE;
        long[] r = null;
        for (int round = 0; round < Integer.parseInt(args[2]); round++) {
            r = run(replay, args[0].equals("with") ? with(analyzer) : without());
            best = Math.min(best, r[0]);
        }
        System.out.println("BEST " + best + " " + r[1] + " " + r[2]);
    }

    /** Best CPU time, packets, rows of one mode, in a fresh JVM. */
    private static long[] fork(String mode, String mix) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx2g", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Dvigie.shared=" + System.getProperty("vigie.shared"), "-cp", System.getProperty("java.class.path"),
                ProtocolBenchTest.class.getName(), mode, mix, "25").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        String line = out.lines().filter(l -> l.startsWith("BEST ")).findFirst().orElseThrow(() -> new AssertionError(out));
        String[] f = line.split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
    }

    private static double overhead(String mix, String title) throws IOException, InterruptedException {
        long without = Long.MAX_VALUE;
        long with = Long.MAX_VALUE;
        long[] r = null;
        for (int i = 0; i < 2; i++) {                         // alternate JVMs: the machine's load drifts
            without = Math.min(without, fork("without", mix)[0]);
            r = fork("with", mix);
            with = Math.min(with, r[0]);
        }
        double overhead = (double) (with - without) / without;
        System.out.printf("%s: %d IP packets, %d flow records (%.1f packets per record)%n", title, r[1], r[2],
                (double) r[1] / r[2]);
        System.out.printf("  without protocols %.2f M packets/s, with %.2f M packets/s: overhead %.1f %%%n",
                r[1] * 1e3 / without, r[1] * 1e3 / with, overhead * 100);
        return overhead;
    }

    @Test
    void extractThroughputWithAndWithoutProtocols() throws Exception {
        Assumptions.assumeTrue(SharedCaptures.dir() != null, "no shared captures");
        System.out.println();
        double all = overhead("all", "all shared captures, played 4 times (scans, floods and DoS included)");
        double benign = overhead("benign", "benign captures, played 16 times (web, TLS, SMB, SSH, streaming)");
        assertTrue(all <= 0.30, "protocol metadata costs " + Math.round(all * 100) + "% of extract throughput");
        // TLS- and HTTP-heavy traffic: most flows are parsed; a guard against regressions rather than the budget
        assertTrue(benign <= 0.50, "protocol metadata costs " + Math.round(benign * 100) + "% on the benign mix");
    }
}
