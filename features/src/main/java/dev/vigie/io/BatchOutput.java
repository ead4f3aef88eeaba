package dev.vigie.io;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A file of Arrow batches that appears atomically when committed. Every batch passed to {@link #write} must come
 * from the same {@link VectorSchemaRoot}.
 */
public interface BatchOutput extends AutoCloseable {

    void write(VectorSchemaRoot batch) throws IOException;

    /** Finishes the file and renames it into place. */
    void commit() throws IOException;

    /** Discards everything written; the target is left untouched. Safe after commit (does nothing). */
    @Override
    void close();

    Path path();

    long rows();

    /** Opens the output for {@code format} ("parquet" or "arrow"). */
    static BatchOutput open(String format, Path path, org.apache.arrow.vector.types.pojo.Schema schema,
                            org.apache.arrow.memory.BufferAllocator allocator) throws IOException {
        return switch (format) {
            case "parquet" -> new ParquetOutput(path, schema);
            case "arrow" -> new ArrowIpcOutput(path, schema, allocator);
            default -> throw new IllegalArgumentException("unknown format " + format + " (parquet or arrow)");
        };
    }
}
