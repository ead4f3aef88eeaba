package dev.vigie.sensor;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigie.alerts.Alert;
import dev.vigie.alerts.AlertSink;
import dev.vigie.alerts.EveJson;
import dev.vigie.io.AtomicFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The sensor's alert files: EVE JSON lines in {@code OUT_DIR/alerts/alerts-<UTC start>-<seq>.jsonl}, a new file
 * every {@code rollNanos} of wall time. A file gets its final name only when it is complete (temporary hidden name,
 * then rename), so a SIEM shipper that picks up {@code *.jsonl} never reads half a file, and a crash leaves only a
 * temporary behind. Each alert is flushed to the temporary as it is written: nothing waits in a buffer.
 */
public final class AlertLog implements AlertSink, AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final long rollNanos;
    private AtomicFile file;
    private OutputStream out;
    private JsonGenerator json;
    private long openedAt;
    private int seq;
    private long written;
    private long files;

    public AlertLog(Path dir, long rollNanos) throws IOException {
        this.dir = dir;
        this.rollNanos = rollNanos;
        Files.createDirectories(dir);
    }

    @Override
    public void accept(Alert alert) {
        try {
            if (file == null) {
                open();
            }
            EveJson.write(json, alert);
            json.flush();
            out.write('\n');
            out.flush();
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Completes the current file when it is older than the roll period (called from the loop's tick). */
    public void maybeRoll(long wallNanos) throws IOException {
        // Long.MAX_VALUE is the sensor's end-of-run tick: the owner commits after the last follow-up alerts
        if (file != null && wallNanos != Long.MAX_VALUE && wallNanos - openedAt >= rollNanos) {
            complete();
        }
    }

    private void open() throws IOException {
        openedAt = System.nanoTime();
        Path target = dir.resolve("alerts-" + STAMP.format(Instant.now()) + "-" + String.format("%04d", seq++) + ".jsonl");
        file = new AtomicFile(target);
        out = new BufferedOutputStream(Files.newOutputStream(file.temp()), 1 << 16);
        json = EveJson.mapper().getFactory().createGenerator(out);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setRootValueSeparator(null); // lines end with our own '\n': no space before the next object
    }

    private void complete() throws IOException {
        json.close();
        out.close();
        file.commit();
        files++;
        file = null;
    }

    public long written() {
        return written;
    }

    public long files() {
        return files;
    }

    public Path dir() {
        return dir;
    }

    /** Completes the last file. */
    public void commit() throws IOException {
        if (file != null) {
            complete();
        }
    }

    /**
     * Completes the current file even when the run failed: every line in it is a whole alert, and an alert already
     * raised must not be lost. Only a file that cannot be completed is discarded.
     */
    @Override
    public void close() {
        if (file != null) {
            try {
                complete();
            } catch (IOException e) {
                file.abort();
                file = null;
            }
        }
    }
}
