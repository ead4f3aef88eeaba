package dev.vigie.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Parquet files against DuckDB's own reading of the same Arrow batches (imported through the C data interface,
 * an independent path): every value and null, the row order, the logical types, and statistics that a reader
 * prunes row groups with (a wrong min or max makes a filtered count differ).
 */
class ParquetFileWriterTest {
    @TempDir
    Path tmp;

    static final Schema SCHEMA = new Schema(List.of(
            Field.notNullable("id", new ArrowType.Int(64, true)),
            Field.nullable("i32", new ArrowType.Int(32, true)),
            Field.nullable("i64", new ArrowType.Int(64, true)),
            Field.nullable("f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
            Field.nullable("f64_nan", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
            Field.nullable("flag", ArrowType.Bool.INSTANCE),
            Field.nullable("text", ArrowType.Utf8.INSTANCE),
            Field.nullable("long_text", ArrowType.Utf8.INSTANCE),
            Field.nullable("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
            Field.nullable("ts_ms", new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC")),
            Field.nullable("ts_ns_local", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null))));

    static final int[] BATCHES = {1, 63, 64, 65, 127, 4096, 10_000, 3, 0, 700, 5000, 129};

    /** How one column's nulls fall in one batch. */
    enum Nulls { NONE, ALL, FEW, HALF, MOST }

    @Test
    void everyValueNullAndOrderReadsBackInDuckDb() throws Exception {
        Path arrow = tmp.resolve("ref.arrow");
        Path parquet = tmp.resolve("t.parquet");
        long rows = writeBoth(arrow, parquet, 5_000, new SplittableRandom(7));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); BufferAllocator al = new RootAllocator()) {
            loadReference(c, al, arrow);
            String f = "read_parquet('" + parquet + "', file_row_number = true)";
            assertEquals(rows, one(c, "SELECT count(*) FROM " + f));
            assertEquals(rows, one(c, "SELECT count(*) FROM ref"));
            String cols = "id, i32, i64, f64, f64_nan, flag, text, long_text, ts, ts_ms, ts_ns_local";
            assertEquals(0, one(c, "SELECT count(*) FROM (SELECT " + cols + " FROM ref EXCEPT ALL SELECT " + cols
                    + " FROM " + f + ")"), "a reference row is missing or differs");
            assertEquals(0, one(c, "SELECT count(*) FROM (SELECT " + cols + " FROM " + f + " EXCEPT ALL SELECT "
                    + cols + " FROM ref)"), "the file has a row the batches do not");
            assertEquals(0, one(c, "SELECT count(*) FROM " + f + " WHERE id <> file_row_number"), "row order");
            // the nulls, column by column, since EXCEPT ALL would not tell a null from a missing column
            for (String col : cols.split(", ")) {
                assertEquals(one(c, "SELECT count(*) FROM ref WHERE " + col + " IS NULL"),
                        one(c, "SELECT count(*) FROM " + f + " WHERE " + col + " IS NULL"), col);
            }
            assertTrue(one(c, "SELECT count(*) FROM ref WHERE f64_nan IS NULL") > 0);
            assertTrue(one(c, "SELECT count(*) FROM ref WHERE isnan(f64_nan)") > 0);
            assertEquals("id=BIGINT;i32=INTEGER;i64=BIGINT;f64=DOUBLE;f64_nan=DOUBLE;flag=BOOLEAN;text=VARCHAR;"
                            + "long_text=VARCHAR;ts=TIMESTAMP WITH TIME ZONE;ts_ms=TIMESTAMP WITH TIME ZONE;"
                            + "ts_ns_local=TIMESTAMP_NS;",
                    types(c, "SELECT * FROM read_parquet('" + parquet + "')"));
        }
    }

    @Test
    void statisticsPruneOnlyWhatTheyShould() throws Exception {
        Path arrow = tmp.resolve("ref.arrow");
        Path parquet = tmp.resolve("t.parquet");
        writeBoth(arrow, parquet, 3_000, new SplittableRandom(11));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); BufferAllocator al = new RootAllocator()) {
            loadReference(c, al, arrow);
            String f = "read_parquet('" + parquet + "')";
            // row groups close at the first batch boundary past 3,000 rows: after the batches of 4,096, 10,000,
            // 5,000 and at the end
            assertEquals(4, one(c, "SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + parquet + "')"));
            for (String col : List.of("id", "i32", "i64", "f64", "ts", "ts_ms")) {
                for (double q : new double[] {0.0, 0.01, 0.3, 0.5, 0.9, 0.999, 1.0}) {
                    String at = "(SELECT quantile_disc(" + col + ", " + q + ") FROM ref)";
                    for (String op : List.of(">", ">=", "<", "<=", "=")) {
                        String where = " WHERE " + col + " " + op + " " + at;
                        assertEquals(one(c, "SELECT count(*) FROM ref" + where),
                                one(c, "SELECT count(*) FROM " + f + where), col + op + q);
                    }
                }
            }
            for (String where : List.of("flag", "NOT flag", "f64_nan > 0", "f64_nan < 0", "isnan(f64_nan)")) {
                assertEquals(one(c, "SELECT count(*) FROM ref WHERE " + where),
                        one(c, "SELECT count(*) FROM " + f + " WHERE " + where), where);
            }
            // null counts per row group, as written in the footer
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT path_in_schema, sum(stats_null_count) FROM parquet_metadata('" + parquet + "') "
                            + "GROUP BY path_in_schema")) {
                int seen = 0;
                while (rs.next()) {
                    assertEquals(one(c, "SELECT count(*) FROM ref WHERE " + rs.getString(1) + " IS NULL"),
                            rs.getLong(2), rs.getString(1));
                    seen++;
                }
                assertEquals(SCHEMA.getFields().size(), seen);
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT DISTINCT compression, encodings FROM parquet_metadata('" + parquet + "')")) {
                assertTrue(rs.next());
                assertEquals("ZSTD", rs.getString(1));
                assertEquals("PLAIN, RLE", rs.getString(2));
            }
        }
    }

    @Test
    void aFileWithoutRowsHasItsSchema() throws Exception {
        Path parquet = tmp.resolve("empty.parquet");
        try (FileChannel ch = FileChannel.open(parquet, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ParquetFileWriter w = new ParquetFileWriter(ch, SCHEMA)) {
            w.finish();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            assertEquals(0, one(c, "SELECT count(*) FROM '" + parquet + "'"));
            assertTrue(types(c, "SELECT * FROM '" + parquet + "'").startsWith("id=BIGINT;i32=INTEGER;"));
        }
    }

    @Test
    void anUnmappedTypeIsRefusedByName() {
        Schema s = new Schema(List.of(Field.nullable("ok", new ArrowType.Int(64, true)),
                Field.nullable("small", new ArrowType.Int(16, true))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParquetFileWriter(FileChannel.open(tmp.resolve("x"), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE), s));
        assertTrue(e.getMessage().startsWith("column small: Arrow type Int(16, true)"), e.getMessage());
    }

    /** Writes the same random batches to an Arrow IPC file (the reference) and through the writer; returns rows. */
    static long writeBoth(Path arrow, Path parquet, int rowGroupRows, SplittableRandom rnd) throws Exception {
        long id = 0;
        try (BufferAllocator al = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, al);
             FileChannel ref = FileChannel.open(arrow, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ArrowFileWriter refWriter = new ArrowFileWriter(root, null, ref);
             FileChannel out = FileChannel.open(parquet, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ParquetFileWriter writer = new ParquetFileWriter(out, SCHEMA, rowGroupRows, 3)) {
            refWriter.start();
            for (int n : BATCHES) {
                for (FieldVector v : root.getFieldVectors()) {
                    v.setInitialCapacity(Math.max(n, 1));
                    v.allocateNew();
                }
                fill(root, n, id, rnd);
                id += n;
                refWriter.writeBatch();
                writer.write(root);
            }
            refWriter.end();
            writer.finish();
        }
        return id;
    }

    static void fill(VectorSchemaRoot root, int n, long firstId, SplittableRandom rnd) {
        for (FieldVector v : root.getFieldVectors()) {
            Nulls nulls = v.getName().equals("id") ? Nulls.NONE : Nulls.values()[rnd.nextInt(Nulls.values().length)];
            for (int i = 0; i < n; i++) {
                boolean isNull = switch (nulls) {
                    case NONE -> false;
                    case ALL -> true;
                    case FEW -> rnd.nextInt(100) == 0;
                    case HALF -> rnd.nextBoolean();
                    case MOST -> rnd.nextInt(100) != 0;
                };
                if (isNull) {
                    v.setNull(i);
                } else {
                    set(v, i, firstId + i, rnd);
                }
            }
            v.setValueCount(n);
        }
        root.setRowCount(n);
    }

    static void set(FieldVector v, int i, long id, SplittableRandom rnd) {
        switch (v.getName()) {
            case "id" -> ((BigIntVector) v).set(i, id);
            case "i32" -> ((IntVector) v).set(i, rnd.nextInt(5) == 0 ? extreme32(rnd) : rnd.nextInt(-1000, 1000));
            case "i64" -> ((BigIntVector) v).set(i, rnd.nextInt(5) == 0 ? extreme64(rnd) : rnd.nextLong());
            case "f64" -> ((Float8Vector) v).set(i, switch (rnd.nextInt(8)) {
                case 0 -> -0.0;
                case 1 -> 0.0;
                case 2 -> Double.POSITIVE_INFINITY;
                case 3 -> -Double.MAX_VALUE;
                default -> rnd.nextGaussian() * 1e6;
            });
            case "f64_nan" -> ((Float8Vector) v).set(i, rnd.nextInt(50) == 0 ? Double.NaN : rnd.nextGaussian());
            case "flag" -> ((BitVector) v).set(i, rnd.nextInt(3) == 0 ? 1 : 0);
            case "text" -> ((VarCharVector) v).setSafe(i, text(rnd, rnd.nextInt(12)));
            case "long_text" -> ((VarCharVector) v).setSafe(i, text(rnd, rnd.nextInt(300)));
            case "ts" -> ((TimeStampVector) v).set(i, 1_700_000_000_000_000L + id * 1_000 + rnd.nextInt(1000));
            case "ts_ms" -> ((TimeStampVector) v).set(i, 1_700_000_000_000L + rnd.nextInt(1_000_000_000));
            case "ts_ns_local" -> ((TimeStampVector) v).set(i, 1_700_000_000_000_000_000L + rnd.nextLong(1L << 50));
            default -> throw new IllegalStateException(v.getName());
        }
    }

    static int extreme32(SplittableRandom rnd) {
        return rnd.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    }

    static long extreme64(SplittableRandom rnd) {
        return rnd.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    /** Text of {@code len} characters, some outside ASCII, some empty. */
    static byte[] text(SplittableRandom rnd, int len) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int k = rnd.nextInt(40);
            b.append(k == 0 ? 'é' : k == 1 ? '€' : k == 2 ? '\'' : (char) ('a' + rnd.nextInt(26)));
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void loadReference(Connection c, BufferAllocator al, Path arrow) throws Exception {
        try (FileChannel in = FileChannel.open(arrow);
             ArrowFileReader reader = new ArrowFileReader(in, al);
             ArrowArrayStream stream = ArrowArrayStream.allocateNew(al)) {
            Data.exportArrayStream(al, reader, stream);
            c.unwrap(DuckDBConnection.class).registerArrowStream("ref_stream", stream);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE ref AS SELECT * FROM ref_stream");
            }
        }
    }

    static long one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String types(Connection c, String select) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("DESCRIBE " + select)) {
            while (rs.next()) {
                b.append(rs.getString(1)).append('=').append(rs.getString(2)).append(';');
            }
        }
        return b.toString();
    }
}
