package dev.vigie.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/** An Arrow IPC file (the random-access "Feather v2" format), written atomically. */
public final class ArrowIpcOutput implements BatchOutput {
    private final AtomicFile file;
    private final Schema schema;
    private final BufferAllocator allocator;
    private FileChannel channel;
    private ArrowFileWriter writer;
    private long rows;
    private boolean committed;

    public ArrowIpcOutput(Path path, Schema schema, BufferAllocator allocator) throws IOException {
        this.file = new AtomicFile(path);
        this.schema = schema;
        this.allocator = allocator;
        this.channel = FileChannel.open(file.temp(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public void write(VectorSchemaRoot batch) throws IOException {
        if (writer == null) {
            writer = new ArrowFileWriter(batch, null, channel);
            writer.start();
        }
        writer.writeBatch();
        rows += batch.getRowCount();
    }

    @Override
    public void commit() throws IOException {
        if (writer == null) {
            // no rows: still a valid, empty file with the schema
            try (VectorSchemaRoot empty = VectorSchemaRoot.create(schema, allocator)) {
                writer = new ArrowFileWriter(empty, null, channel);
                writer.start();
                writer.end();
                writer.close();
            }
        } else {
            writer.end();
            writer.close();
        }
        channel.close();
        file.commit();
        committed = true;
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                if (writer != null) {
                    writer.close();
                }
                channel.close();
            } catch (IOException ignored) {
                // the temporary file is deleted below
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
        return rows;
    }
}
