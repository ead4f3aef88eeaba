package dev.vigie.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Prints a JDBC result as an aligned table, CSV (RFC 4180) or JSON lines (one object per row). */
public final class ResultPrinter {
    public enum Format { TABLE, CSV, JSON }

    /** Cells wider than this are cut in table output (CSV and JSON are never cut). */
    static final int MAX_CELL = 60;

    private final Format format;
    private final PrintWriter out;

    public ResultPrinter(Format format, PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    /** Prints every row of {@code rs}; returns the row count. */
    public long print(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] names = new String[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            names[c] = md.getColumnLabel(c + 1);
            numeric[c] = isNumeric(md.getColumnType(c + 1));
        }
        return switch (format) {
            case TABLE -> table(rs, names, numeric);
            case CSV -> csv(rs, names);
            case JSON -> json(rs, names);
        };
    }

    private long table(ResultSet rs, String[] names, boolean[] numeric) throws SQLException {
        // the whole result is held to size the columns; analysts LIMIT big results or use csv/json to stream
        List<String[]> rows = new ArrayList<>();
        int[] width = new int[names.length];
        for (int c = 0; c < names.length; c++) width[c] = names[c].length();
        while (rs.next()) {
            String[] row = new String[names.length];
            for (int c = 0; c < names.length; c++) {
                Object v = rs.getObject(c + 1);
                String s = v == null ? "NULL" : cellText(v.toString());
                row[c] = s;
                width[c] = Math.max(width[c], s.length());
            }
            rows.add(row);
        }
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < names.length; c++) {
            line.append(c == 0 ? "" : " | ").append(pad(names[c], width[c], false));
        }
        out.println(line.toString().stripTrailing());
        line.setLength(0);
        for (int c = 0; c < names.length; c++) line.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        out.println(line);
        for (String[] row : rows) {
            line.setLength(0);
            for (int c = 0; c < names.length; c++) {
                line.append(c == 0 ? "" : " | ").append(pad(row[c], width[c], numeric[c]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
        return rows.size();
    }

    private long csv(ResultSet rs, String[] names) throws SQLException {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < names.length; c++) line.append(c == 0 ? "" : ",").append(csvField(names[c]));
        out.print(line.append("\r\n"));
        long count = 0;
        while (rs.next()) {
            line.setLength(0);
            for (int c = 0; c < names.length; c++) {
                Object v = rs.getObject(c + 1);
                // NULL is an empty field, as DuckDB's own COPY ... (FORMAT csv) writes it
                line.append(c == 0 ? "" : ",").append(v == null ? "" : csvField(v.toString()));
            }
            out.print(line.append("\r\n"));
            count++;
        }
        out.flush();
        return count;
    }

    private long json(ResultSet rs, String[] names) throws SQLException {
        long count = 0;
        JsonFactory factory = new JsonFactory();
        try {
            while (rs.next()) {
                java.io.StringWriter sw = new java.io.StringWriter();
                try (JsonGenerator g = factory.createGenerator(sw)) {
                    g.writeStartObject();
                    for (int c = 0; c < names.length; c++) {
                        g.writeFieldName(names[c]);
                        writeValue(g, rs.getObject(c + 1));
                    }
                    g.writeEndObject();
                }
                out.println(sw);
                count++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
        return count;
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        // numbers and booleans keep their JSON type; timestamps, lists, structs and the rest go out as their text
        if (v == null) g.writeNull();
        else if (v instanceof Boolean b) g.writeBoolean(b);
        else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) g.writeNumber(((Number) v).longValue());
        else if (v instanceof BigInteger b) g.writeNumber(b);
        else if (v instanceof BigDecimal b) g.writeNumber(b);
        else if (v instanceof Double d && Double.isFinite(d)) g.writeNumber(d);
        else if (v instanceof Float f && Float.isFinite(f)) g.writeNumber(f);
        else g.writeString(v.toString());
    }

    static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String cellText(String s) {
        String one = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", " ");
        return one.length() > MAX_CELL ? one.substring(0, MAX_CELL - 1) + "…" : one;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }

    private static boolean isNumeric(int sqlType) {
        return switch (sqlType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.FLOAT, Types.REAL, Types.DOUBLE,
                    Types.DECIMAL, Types.NUMERIC -> true;
            default -> false;
        };
    }
}
