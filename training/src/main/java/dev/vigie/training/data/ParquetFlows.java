package dev.vigie.training.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * Reads flow-record Parquet files (as written by {@code vigie extract}) into a {@link FlowFrame} through DuckDB's
 * Arrow export: DuckDB does the Parquet decoding and the casts, we copy whole Arrow vectors, which is an order of
 * magnitude faster than walking a JDBC result set value by value.
 */
public final class ParquetFlows {
    private static final int BATCH = 1 << 16;

    private ParquetFlows() {}

    /** Reads {@code numericColumns} plus the identity columns of every file, in file order then row order. */
    public static FlowFrame read(List<Path> files, Set<String> numericColumns) throws TrainingInputException {
        checkFiles(files);
        Set<String> numeric = new LinkedHashSet<>(numericColumns);
        numeric.addAll(FlowFrame.IDENTITY_INT);
        requireColumns(files, numeric);
        StringBuilder sql = new StringBuilder("SELECT epoch_us(ts_start) AS ts0, epoch_us(ts_end) AS ts1");
        for (String c : FlowFrame.IDENTITY_TEXT) {
            sql.append(", CAST(").append(quote(c)).append(" AS VARCHAR) AS ").append(quote(c));
        }
        for (String c : numeric) {
            sql.append(", CAST(").append(quote(c)).append(" AS DOUBLE) AS ").append(quote(c));
        }
        sql.append(" FROM ").append(source(files));

        Map<String, FloatColumn> num = new LinkedHashMap<>();
        for (String c : numeric) {
            num.put(c, new FloatColumn());
        }
        Map<String, Dictionary> text = new LinkedHashMap<>();
        for (String c : FlowFrame.IDENTITY_TEXT) {
            text.put(c, new Dictionary());
        }
        LongColumn ts0 = new LongColumn();
        LongColumn ts1 = new LongColumn();
        try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = conn.createStatement();
             BufferAllocator allocator = new RootAllocator()) {
            st.execute("SET preserve_insertion_order = true");
            try (ResultSet rs = st.executeQuery(sql.toString());
                 ArrowReader reader = (ArrowReader) ((DuckDBResultSet) rs).arrowExportStream(allocator, BATCH)) {
                while (reader.loadNextBatch()) {
                    VectorSchemaRoot root = reader.getVectorSchemaRoot();
                    int n = root.getRowCount();
                    ts0.addAll((BigIntVector) root.getVector("ts0"), n);
                    ts1.addAll((BigIntVector) root.getVector("ts1"), n);
                    for (Map.Entry<String, Dictionary> e : text.entrySet()) {
                        e.getValue().addAll((VarCharVector) root.getVector(e.getKey()), n);
                    }
                    for (Map.Entry<String, FloatColumn> e : num.entrySet()) {
                        e.getValue().addAll((Float8Vector) root.getVector(e.getKey()), n);
                    }
                }
            }
        } catch (SQLException e) {
            throw new TrainingInputException("cannot read " + names(files) + ": " + firstLine(e.getMessage()), e);
        } catch (java.io.IOException e) {
            throw new TrainingInputException("cannot read " + names(files) + ": " + e.getMessage(), e);
        }
        Map<String, float[]> numericOut = new LinkedHashMap<>();
        num.forEach((k, v) -> numericOut.put(k, v.toArray()));
        Map<String, int[]> codes = new LinkedHashMap<>();
        Map<String, List<String>> dicts = new LinkedHashMap<>();
        text.forEach((k, v) -> {
            codes.put(k, v.codes.toArray());
            dicts.put(k, List.copyOf(v.values));
        });
        return new FlowFrame(ts0.size, numericOut, codes, dicts, ts0.toArray(), ts1.toArray());
    }

    /** Row count of each file, for provenance. */
    public static Map<Path, Long> rowCounts(List<Path> files) throws TrainingInputException {
        Map<Path, Long> out = new LinkedHashMap<>();
        try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = conn.createStatement()) {
            for (Path f : files) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet(" + literal(f) + ")")) {
                    rs.next();
                    out.put(f, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new TrainingInputException("cannot read " + names(files) + ": " + firstLine(e.getMessage()), e);
        }
        return out;
    }

    static void checkFiles(List<Path> files) throws TrainingInputException {
        if (files.isEmpty()) {
            throw new TrainingInputException("no feature file given");
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new TrainingInputException(f + ": no such file");
            }
            if (!Files.isReadable(f)) {
                throw new TrainingInputException(f + ": not readable");
            }
        }
    }

    /** Each file must have every column: a union of differently shaped files would silently fill nulls. */
    static void requireColumns(List<Path> files, Set<String> numeric) throws TrainingInputException {
        Set<String> required = new LinkedHashSet<>(List.of("ts_start", "ts_end"));
        required.addAll(FlowFrame.IDENTITY_TEXT);
        required.addAll(numeric);
        try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = conn.createStatement()) {
            for (Path f : files) {
                Set<String> present = new java.util.HashSet<>();
                try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + literal(f) + ")")) {
                    while (rs.next()) {
                        present.add(rs.getString(1));
                    }
                } catch (SQLException e) {
                    throw new TrainingInputException(f + ": not a readable Parquet file (" + firstLine(e.getMessage()) + ")", e);
                }
                List<String> missing = required.stream().filter(c -> !present.contains(c)).collect(Collectors.toList());
                if (!missing.isEmpty()) {
                    throw new TrainingInputException(f + ": not a vigie flow file, missing column"
                            + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                            + (missing.size() > 5 ? ", ..." : "") + " (see docs/schema/flows.md)");
                }
            }
        } catch (SQLException e) {
            throw new TrainingInputException("cannot start DuckDB: " + firstLine(e.getMessage()), e);
        }
    }

    public static String source(List<Path> files) {
        return "read_parquet([" + files.stream().map(ParquetFlows::literal).collect(Collectors.joining(", ")) + "])";
    }

    public static String literal(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String names(List<Path> files) {
        return files.size() == 1 ? files.get(0).toString() : files.size() + " files";
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static final class FloatColumn {
        float[] data = new float[1024];
        int size;

        void addAll(Float8Vector v, int n) {
            ensure(size + n);
            for (int i = 0; i < n; i++) {
                data[size++] = v.isNull(i) ? Float.NaN : (float) v.get(i);
            }
        }

        void ensure(int cap) {
            if (cap > data.length) {
                data = Arrays.copyOf(data, Math.max(cap, data.length * 2));
            }
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    private static final class LongColumn {
        long[] data = new long[1024];
        int size;

        void addAll(BigIntVector v, int n) {
            if (size + n > data.length) {
                data = Arrays.copyOf(data, Math.max(size + n, data.length * 2));
            }
            for (int i = 0; i < n; i++) {
                data[size++] = v.isNull(i) ? 0 : v.get(i);
            }
        }

        long[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    private static final class IntList {
        int[] data = new int[1024];
        int size;

        void add(int x) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = x;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /** Dictionary encoding in order of first appearance, so codes depend only on the data, never on hashing. */
    private static final class Dictionary {
        final Map<String, Integer> index = new HashMap<>();
        final List<String> values = new ArrayList<>();
        final IntList codes = new IntList();

        void addAll(VarCharVector v, int n) {
            for (int i = 0; i < n; i++) {
                String s = v.isNull(i) ? "" : new String(v.get(i), StandardCharsets.UTF_8);
                Integer code = index.get(s);
                if (code == null) {
                    code = values.size();
                    index.put(s, code);
                    values.add(s);
                }
                codes.add(code);
            }
        }
    }
}
