package dev.vigie.cli;

import dev.vigie.training.TrainingListener;
import java.io.PrintStream;

/**
 * Training stages on one stderr line, redrawn at most 5 times a second and only on a terminal: the stage name,
 * a bar when the stage's size is known, and the elapsed time.
 */
final class TrainProgress implements TrainingListener {
    private final PrintStream err;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private String stage = "";
    private long total;
    private long done;
    private long lastDraw;
    private boolean drawn;

    TrainProgress(PrintStream err, boolean quiet) {
        this.err = err;
        this.enabled = !quiet && System.console() != null;
    }

    @Override
    public synchronized void stage(String name, long total) {
        this.stage = name;
        this.total = total;
        this.done = 0;
        draw(true);
    }

    @Override
    public synchronized void progress(long done) {
        this.done = done;
        draw(false);
    }

    @Override
    public synchronized void stageDone() {
        this.done = total;
        draw(true);
    }

    private void draw(boolean force) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        StringBuilder sb = new StringBuilder("\r\033[K");
        if (total > 0) {
            int width = 24;
            int fill = (int) (done * width / total);
            sb.append('[').append("#".repeat(fill)).append(" ".repeat(width - fill)).append("] ")
                    .append(done).append('/').append(total).append(' ');
        }
        sb.append(stage).append(String.format(" (%.1f s)", (now - start) / 1e9));
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
