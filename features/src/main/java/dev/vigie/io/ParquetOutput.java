package dev.vigie.io;

import dev.vigie.io.parquet.ParquetFileWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A Parquet file (zstd), written atomically: batches are encoded into the temporary file as they come
 * ({@link ParquetFileWriter}: memory bounded by a page per column and one compressed row group), and the footer is
 * written and the file renamed on commit. A file with no rows still has the schema, so readers accept it.
 */
public final class ParquetOutput implements BatchOutput {
    private final AtomicFile file;
    private final FileChannel channel;
    private final ParquetFileWriter writer;
    private boolean committed;

    public ParquetOutput(Path path, Schema schema) throws IOException {
        this.file = new AtomicFile(path);
        this.channel = FileChannel.open(file.temp(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ParquetFileWriter w = null;
        try {
            w = new ParquetFileWriter(channel, schema);
        } finally {
            if (w == null) {
                channel.close();
                file.abort();
            }
        }
        this.writer = w;
    }

    @Override
    public void write(VectorSchemaRoot batch) throws IOException {
        writer.write(batch);
    }

    @Override
    public void commit() throws IOException {
        if (committed) {
            return;
        }
        writer.finish();
        channel.close();
        file.commit();
        committed = true;
    }

    @Override
    public void close() {
        writer.close();
        if (!committed) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is temporary and about to be deleted
            }
            file.abort();
        }
    }

    @Override
    public Path path() {
        return file.target();
    }

    @Override
    public long rows() {
        return writer.rows();
    }
}
