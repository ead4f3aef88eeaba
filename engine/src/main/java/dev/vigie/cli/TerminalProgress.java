package dev.vigie.cli;

import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.ProgressListener;
import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, redrawn at most 5 times a second, only when stderr is a terminal (so logs
 * and CI output stay clean): percentage of input bytes, packets, packets/s, live and finished flows.
 */
final class TerminalProgress implements ProgressListener {
    private final PrintStream err;
    private final boolean enabled;
    private long lastDrawNanos;
    private boolean drawn;

    TerminalProgress(PrintStream err, boolean quiet) {
        this.err = err;
        this.enabled = !quiet && System.console() != null;
    }

    @Override
    public void update(ExtractionCounters c, long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDrawNanos < 200_000_000L) {
            return;
        }
        lastDrawNanos = now;
        StringBuilder sb = new StringBuilder("\r");
        if (total > 0) {
            int pct = (int) Math.min(100, done * 100 / total);
            int width = 24;
            int fill = pct * width / 100;
            sb.append('[').append("#".repeat(fill)).append(" ".repeat(width - fill)).append("] ")
                    .append(String.format("%3d%% ", pct));
        }
        sb.append(String.format("%s packets, %s pkt/s, %s live flows, %s records",
                Format.count(c.capture.packets), Format.count((long) c.packetsPerSecond()),
                Format.count(c.flows.liveFlows), Format.count(c.flows.flowsCreated)));
        err.print(sb);
        err.flush();
        drawn = true;
    }

    void finish() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
