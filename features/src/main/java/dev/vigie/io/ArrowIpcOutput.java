package dev.vigie.io;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/** An Arrow IPC file (the random-access "Feather v2" format), written atomically. */
public final class ArrowIpcOutput implements BatchOutput {
    private final AtomicFile file;
    private final Schema schema;
    private final BufferAllocator allocator;
    private final ArrowChannelWriter out;
    private boolean committed;

    public ArrowIpcOutput(Path path, Schema schema, BufferAllocator allocator) throws IOException {
        this.file = new AtomicFile(path);
        this.schema = schema;
        this.allocator = allocator;
        this.out = new ArrowChannelWriter(file.temp(), (root, channel) -> new ArrowFileWriter(root, null, channel));
    }

    @Override
    public void write(VectorSchemaRoot batch) throws IOException {
        out.write(batch);
    }

    @Override
    public void commit() throws IOException {
        out.finish(schema, allocator);
        file.commit();
        committed = true;
    }

    @Override
    public void close() {
        if (!committed) {
            out.discard();
            file.abort();
        }
    }

    @Override
    public Path path() {
        return file.target();
    }

    @Override
    public long rows() {
        return out.rows();
    }
}
