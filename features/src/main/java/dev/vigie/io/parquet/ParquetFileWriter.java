package dev.vigie.io.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes Arrow batches of a flat schema as a Parquet file, streaming: each batch's columns are appended to their
 * pages as it comes (PLAIN values, RLE / bit-packed definition levels, data pages v1, zstd), a row group is written
 * every {@code rowGroupRows} rows, and {@link #finish} writes the footer (schema with logical types, per-chunk
 * statistics: null count, and min / max for numbers, timestamps and booleans).
 * <p>
 * Why our own: the sensor writes every flow record to Parquet, and going through DuckDB (an Arrow stream spilled to
 * disk, imported through the C data interface, then encoded) cost ~8 µs per 170-column row, as much as decoding the
 * flow's packets. Here a fixed-width column without nulls is one copy of its Arrow buffer, and memory is bounded by
 * {@link ColumnChunk#PAGE_BYTES} per column plus the compressed row group.
 * <p>
 * Arrow types: int32, int64, float64, bool, utf8 and timestamps (any unit but seconds, with or without a time zone);
 * anything else is refused when the writer is made. Every column is OPTIONAL. Not thread-safe; one writer per file.
 */
public final class ParquetFileWriter implements AutoCloseable {
    public static final int DEFAULT_ROW_GROUP_ROWS = 122_880;
    public static final int DEFAULT_ZSTD_LEVEL = 3;
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int OPTIONAL = 1;
    private static final int ZSTD = 6;
    private static final int CONVERTED_UTF8 = 0;
    private static final int CONVERTED_TIMESTAMP_MILLIS = 9;
    private static final int CONVERTED_TIMESTAMP_MICROS = 10;

    private final WritableByteChannel out;
    private final List<Field> fields;
    private final ColumnChunk[] columns;
    private final int rowGroupRows;
    private final ZstdCompressCtx zstd;
    private final Sink sink = new Sink();
    private final List<RowGroup> rowGroups = new ArrayList<>();
    private long position;
    private long rows;
    private int rowsInGroup;
    private boolean finished;

    private record RowGroup(long rows, List<ColumnChunk.ChunkMeta> chunks) {}

    public ParquetFileWriter(WritableByteChannel out, Schema schema) throws IOException {
        this(out, schema, DEFAULT_ROW_GROUP_ROWS, DEFAULT_ZSTD_LEVEL);
    }

    public ParquetFileWriter(WritableByteChannel out, Schema schema, int rowGroupRows, int zstdLevel)
            throws IOException {
        if (rowGroupRows < 1) {
            throw new IllegalArgumentException("rowGroupRows must be positive: " + rowGroupRows);
        }
        this.fields = schema.getFields();
        this.columns = new ColumnChunk[fields.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = chunkFor(fields.get(i));
        }
        this.out = out;
        this.rowGroupRows = rowGroupRows;
        this.zstd = new ZstdCompressCtx();
        zstd.setLevel(zstdLevel);
        write(ByteBuffer.wrap(MAGIC));
    }

    private static ColumnChunk chunkFor(Field f) {
        ArrowType t = f.getType();
        if (!f.getChildren().isEmpty()) {
            throw unsupported(f);
        }
        if (t instanceof ArrowType.Int i && i.getIsSigned() && (i.getBitWidth() == 32 || i.getBitWidth() == 64)) {
            return new ColumnChunk.Int(i.getBitWidth() / 8);
        }
        if (t instanceof ArrowType.FloatingPoint fp && fp.getPrecision() == FloatingPointPrecision.DOUBLE) {
            return new ColumnChunk.Float64();
        }
        if (t instanceof ArrowType.Bool) {
            return new ColumnChunk.Bool();
        }
        if (t instanceof ArrowType.Utf8) {
            return new ColumnChunk.Utf8();
        }
        if (t instanceof ArrowType.Timestamp ts && ts.getUnit() != TimeUnit.SECOND) {
            return new ColumnChunk.Int(8);
        }
        throw unsupported(f);
    }

    private static IllegalArgumentException unsupported(Field f) {
        return new IllegalArgumentException("column " + f.getName() + ": Arrow type " + f.getType()
                + " has no mapping in vigie's Parquet writer (int32, int64, float64, bool, utf8, timestamp)");
    }

    /** Appends a batch; its vectors must follow the schema the writer was made with. */
    public void write(VectorSchemaRoot batch) throws IOException {
        if (finished) {
            throw new IllegalStateException("the Parquet file is finished");
        }
        List<FieldVector> vectors = batch.getFieldVectors();
        if (vectors.size() != columns.length) {
            throw new IllegalArgumentException("batch has " + vectors.size() + " columns, the file " + columns.length);
        }
        int n = batch.getRowCount();
        if (n == 0) {
            return;
        }
        for (int i = 0; i < columns.length; i++) {
            columns[i].append(vectors.get(i), n, sink);
        }
        rows += n;
        rowsInGroup += n;
        if (rowsInGroup >= rowGroupRows) {
            closeRowGroup();
        }
    }

    public long rows() {
        return rows;
    }

    /** Writes the last row group and the footer. The channel is left open. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        closeRowGroup();
        ThriftCompact t = sink.header;
        writeFooter(t);
        ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        tail.putInt(t.length()).put(MAGIC).flip();
        write(ByteBuffer.wrap(t.array(), 0, t.length()));
        write(tail);
        finished = true;
    }

    private void closeRowGroup() throws IOException {
        if (rowsInGroup == 0) {
            return;
        }
        List<ColumnChunk.ChunkMeta> chunks = new ArrayList<>(columns.length);
        for (ColumnChunk c : columns) {
            ColumnChunk.ChunkMeta m = c.writeChunk(out, position, sink);
            position += m.compressed();
            chunks.add(m);
        }
        rowGroups.add(new RowGroup(rowsInGroup, chunks));
        rowsInGroup = 0;
    }

    private void writeFooter(ThriftCompact t) {
        t.reset();
        t.fieldI32(1, 1);
        t.beginList(2, ThriftCompact.STRUCT, fields.size() + 1);
        t.beginElement();
        t.fieldString(4, "schema");
        t.fieldI32(5, fields.size());
        t.endStruct();
        for (int i = 0; i < columns.length; i++) {
            schemaElement(t, fields.get(i), columns[i]);
        }
        t.fieldI64(3, rows);
        t.beginList(4, ThriftCompact.STRUCT, rowGroups.size());
        for (int g = 0; g < rowGroups.size(); g++) {
            RowGroup rg = rowGroups.get(g);
            long uncompressed = 0;
            long compressed = 0;
            t.beginElement();
            t.beginList(1, ThriftCompact.STRUCT, columns.length);
            for (int i = 0; i < columns.length; i++) {
                ColumnChunk.ChunkMeta m = rg.chunks().get(i);
                uncompressed += m.uncompressed();
                compressed += m.compressed();
                columnChunk(t, fields.get(i).getName(), columns[i].physicalType, m);
            }
            t.fieldI64(2, uncompressed);
            t.fieldI64(3, rg.rows());
            t.fieldI64(5, rg.chunks().get(0).offset());
            t.fieldI64(6, compressed);
            t.fieldI16(7, g);
            t.endStruct();
        }
        String version = ParquetFileWriter.class.getPackage().getImplementationVersion();
        t.fieldString(6, "vigie version " + (version == null ? "dev" : version));
        // column_orders: every column ordered by its type, which is what makes min_value / max_value usable
        t.beginList(7, ThriftCompact.STRUCT, columns.length);
        for (int i = 0; i < columns.length; i++) {
            t.beginElement();
            t.beginStruct(1);
            t.endStruct();
            t.endStruct();
        }
        t.end();
    }

    private static void schemaElement(ThriftCompact t, Field f, ColumnChunk c) {
        t.beginElement();
        t.fieldI32(1, c.physicalType);
        t.fieldI32(3, OPTIONAL);
        t.fieldString(4, f.getName());
        ArrowType type = f.getType();
        if (type instanceof ArrowType.Utf8) {
            t.fieldI32(6, CONVERTED_UTF8);
            t.beginStruct(10);
            t.beginStruct(1); // STRING
            t.endStruct();
            t.endStruct();
        } else if (type instanceof ArrowType.Timestamp ts) {
            boolean utc = ts.getTimezone() != null;
            if (utc && ts.getUnit() == TimeUnit.MICROSECOND) {
                t.fieldI32(6, CONVERTED_TIMESTAMP_MICROS);
            } else if (utc && ts.getUnit() == TimeUnit.MILLISECOND) {
                t.fieldI32(6, CONVERTED_TIMESTAMP_MILLIS);
            }
            t.beginStruct(10);
            t.beginStruct(8); // TIMESTAMP
            t.fieldBool(1, utc);
            t.beginStruct(2);
            t.beginStruct(switch (ts.getUnit()) {
                case MILLISECOND -> 1;
                case MICROSECOND -> 2;
                default -> 3;
            });
            t.endStruct();
            t.endStruct();
            t.endStruct();
            t.endStruct();
        }
        t.endStruct();
    }

    private static void columnChunk(ThriftCompact t, String name, int physicalType, ColumnChunk.ChunkMeta m) {
        t.beginElement();
        t.fieldI64(2, m.offset());
        t.beginStruct(3);
        t.fieldI32(1, physicalType);
        t.beginList(2, ThriftCompact.I32, 2);
        t.elementI32(ColumnChunk.PLAIN);
        t.elementI32(ColumnChunk.RLE);
        t.beginList(3, ThriftCompact.BINARY, 1);
        t.elementString(name);
        t.fieldI32(4, ZSTD);
        t.fieldI64(5, m.rows());
        t.fieldI64(6, m.uncompressed());
        t.fieldI64(7, m.compressed());
        t.fieldI64(9, m.offset());
        t.beginStruct(12);
        t.fieldI64(3, m.nulls());
        if (m.max() != null) {
            t.fieldBinary(5, m.max());
            t.fieldBinary(6, m.min());
        }
        t.endStruct();
        t.endStruct();
        t.endStruct();
    }

    private void write(ByteBuffer b) throws IOException {
        position += b.remaining();
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        zstd.close();
    }

    /** The scratch buffers every column's pages go through. */
    private final class Sink implements ColumnChunk.PageSink {
        final Bytes scratch = new Bytes(64 * 1024);
        final Bytes body = new Bytes(ColumnChunk.PAGE_BYTES + 64 * 1024);
        final Bytes compressed = new Bytes(ColumnChunk.PAGE_BYTES + 64 * 1024);
        final ThriftCompact header = new ThriftCompact();

        @Override
        public Bytes scratch() {
            return scratch;
        }

        @Override
        public Bytes body() {
            return body;
        }

        @Override
        public Bytes compress(Bytes src) {
            int bound = (int) Zstd.compressBound(src.size);
            compressed.reset();
            compressed.ensure(bound);
            compressed.size = zstd.compressByteArray(compressed.buf, 0, compressed.buf.length, src.buf, 0, src.size);
            return compressed;
        }

        @Override
        public ThriftCompact header() {
            return header;
        }
    }
}
