package dev.vigie.alerts;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigie.io.AtomicFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes alerts as JSON lines (EVE layout, {@link EveJson}) to a file that appears complete or not at all
 * ({@link AtomicFile}): a SIEM shipper never reads half a run. Call {@link #commit} after the last alert; closing
 * without it leaves the target as it was.
 */
public final class AlertWriter implements AlertSink, AutoCloseable {
    private final AtomicFile file;
    private final OutputStream out;
    private final JsonGenerator json;
    private long written;

    public AlertWriter(Path target) throws IOException {
        this.file = new AtomicFile(target);
        this.out = new BufferedOutputStream(Files.newOutputStream(file.temp()), 1 << 16);
        this.json = EveJson.mapper().getFactory().createGenerator(out);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setRootValueSeparator(null); // we end each line ourselves: no space before the next object
    }

    @Override
    public void accept(Alert alert) {
        try {
            EveJson.write(json, alert);
            json.flush();
            out.write('\n');
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long written() {
        return written;
    }

    public Path target() {
        return file.target();
    }

    public void commit() throws IOException {
        json.flush();
        out.flush();
        out.close();
        file.commit();
    }

    @Override
    public void close() {
        try {
            json.close();
            out.close();
        } catch (IOException ignored) {
            // the temp file is deleted next; nothing else to save
        }
        file.abort();
    }
}
