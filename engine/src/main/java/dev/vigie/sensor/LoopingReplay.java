package dev.vigie.sensor;

import dev.vigie.capture.CaptureCounters;
import dev.vigie.capture.CaptureFault;
import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.CapturedPacket;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.capture.PacketSource;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Capture files replayed in laps for soak benchmarks: each lap re-reads the files from disk (nothing held in
 * memory) and shifts capture time past the previous lap plus {@value #GAP_NANOS} ns, longer than every idle
 * timeout, so a lap's flows are new flows rather than the previous lap's continued. Stops after {@code laps}
 * laps or when {@code wallNanos} has passed, whichever comes first.
 */
public final class LoopingReplay implements PacketSource {
    static final long GAP_NANOS = 600_000_000_000L;

    private final List<Path> files;
    private final CaptureCounters counters;
    private final int laps;
    private final long deadline;
    private MergedPacketSource current;
    private int lap;
    private long offset;
    private long firstTs = Long.MIN_VALUE;
    private long lastTs;
    private long consumedBefore;
    /**
     * Per lap started: wall time, packets read before it, and the JIT compiler's accumulated time in ms (a lap
     * boundary is rare: a list is fine).
     */
    private final List<long[]> lapStarts = new ArrayList<>();

    public LoopingReplay(List<Path> files, CaptureCounters counters, int laps, long wallNanos) {
        this.files = List.copyOf(files);
        this.counters = counters;
        this.laps = laps;
        this.deadline = wallNanos > 0 ? System.nanoTime() + wallNanos : Long.MAX_VALUE;
        this.current = CaptureFiles.openAll(this.files, counters);
        lapStarts.add(new long[] {System.nanoTime(), counters.packets, compilerMillis()});
    }

    /** Time the JIT compiler threads have spent so far (ms), or 0 where the JVM does not tell. */
    private static long compilerMillis() {
        CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
    }

    @Override
    public CapturedPacket next() {
        while (true) {
            CapturedPacket p = current.next();
            if (p != null) {
                long ts = p.timestampNanos;
                if (lap == 0) {
                    if (firstTs == Long.MIN_VALUE) {
                        firstTs = ts;
                    }
                    lastTs = Math.max(lastTs, ts);
                }
                p.timestampNanos = ts + offset;
                return p;
            }
            if (current.fault() != null || lap + 1 >= laps || System.nanoTime() >= deadline || firstTs == Long.MIN_VALUE) {
                return null;
            }
            consumedBefore += current.bytesConsumed();
            current.close();
            lap++;
            offset += lastTs - firstTs + GAP_NANOS;
            lapStarts.add(new long[] {System.nanoTime(), counters.packets, compilerMillis()});
            current = CaptureFiles.openAll(files, counters);
        }
    }

    /**
     * Packets per second of each lap that ended, in order (wall time from the lap's first packet read to the next
     * lap's; a lap's flows end during the next lap, so each lap pays for about one lap of flow records).
     */
    public double[] lapRates() {
        double[] r = new double[lapStarts.size() - 1];
        for (int i = 0; i < r.length; i++) {
            long[] a = lapStarts.get(i), b = lapStarts.get(i + 1);
            r[i] = (b[1] - a[1]) / ((b[0] - a[0]) / 1e9);
        }
        return r;
    }

    /**
     * Share of the wall time of laps {@code from}.. (0-based, the laps {@link #lapRates} covers) during which the
     * JIT compiler was busy, 0..1 per compiler thread: on one core that much of the core went to compiling, not to
     * packets, so a figure meant as steady state should be read where it is near 0. The JVM books a compilation's
     * time when it ends, whole, so over laps shorter than a compilation (a small capture) the share can exceed the
     * compiler threads' count; over the benchmark's laps of seconds it is what the bench prints.
     */
    public double compilerShare(int from) {
        int last = lapStarts.size() - 1;
        if (from < 0 || from >= last) {
            return 0;
        }
        long[] a = lapStarts.get(from), b = lapStarts.get(last);
        return (b[2] - a[2]) / ((b[0] - a[0]) / 1e6);
    }

    /** Laps started so far (1 during the first). */
    public int laps() {
        return lap + 1;
    }

    @Override
    public String name() {
        return "replay of " + files;
    }

    @Override
    public CaptureFault fault() {
        return current.fault();
    }

    @Override
    public long bytesConsumed() {
        return consumedBefore + current.bytesConsumed();
    }

    @Override
    public long bytesTotal() {
        return -1;
    }

    @Override
    public void close() {
        current.close();
    }
}
