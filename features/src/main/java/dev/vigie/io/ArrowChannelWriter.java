package dev.vigie.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow IPC batches written to a new file, shared by the outputs: the writer is bound to the first batch's root
 * (every batch comes from the same root), and a file with no batch still gets the schema so readers accept it.
 */
final class ArrowChannelWriter {
    private final FileChannel channel;
    private final BiFunction<VectorSchemaRoot, FileChannel, ArrowWriter> format;
    private ArrowWriter writer;
    private long rows;

    ArrowChannelWriter(Path path, BiFunction<VectorSchemaRoot, FileChannel, ArrowWriter> format) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.format = format;
    }

    void write(VectorSchemaRoot batch) throws IOException {
        if (writer == null) {
            writer = format.apply(batch, channel);
            writer.start();
        }
        writer.writeBatch();
        rows += batch.getRowCount();
    }

    long rows() {
        return rows;
    }

    /** Ends the stream (an empty one carries just the schema) and closes the file. */
    void finish(Schema schema, BufferAllocator allocator) throws IOException {
        if (writer == null) {
            try (VectorSchemaRoot empty = VectorSchemaRoot.create(schema, allocator)) {
                writer = format.apply(empty, channel);
                writer.start();
                writer.end();
                writer.close();
            }
        } else {
            writer.end();
            writer.close();
        }
        channel.close();
    }

    /** Closes without finishing; the caller deletes the file. */
    void discard() {
        try {
            if (writer != null) {
                writer.close();
            }
            channel.close();
        } catch (IOException ignored) {
            // the file is temporary and about to be deleted
        }
    }
}
