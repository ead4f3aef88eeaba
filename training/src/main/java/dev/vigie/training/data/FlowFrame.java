package dev.vigie.training.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Flow records held column-wise in memory for training: the numeric columns a recipe may read (nulls as NaN), the
 * categorical ones as dictionary codes, and the identity columns that profiles, groups and labels need. Columns
 * are float because that is what the models score; a million rows of fifty columns is 200 MB.
 *
 * @param rows        number of rows
 * @param numeric     column name → values (NaN where the Parquet value was null)
 * @param categorical column name → codes into {@code dictionaries}
 * @param dictionaries column name → distinct values (code i is value i); shared by the identity text columns
 * @param tsStartMicros capture time of each record's first packet, epoch microseconds
 * @param tsEndMicros capture time of each record's last packet
 */
public record FlowFrame(int rows, Map<String, float[]> numeric, Map<String, int[]> categorical,
                        Map<String, List<String>> dictionaries, long[] tsStartMicros, long[] tsEndMicros) {

    /** Identity columns read besides the features: who talked to whom, on which port and protocol, when. */
    public static final List<String> IDENTITY_TEXT = List.of("orig_h", "resp_h", "proto", "conn_state");
    public static final List<String> IDENTITY_INT = List.of("orig_p", "resp_p");

    public FlowFrame {
        numeric = Map.copyOf(numeric);
        categorical = Map.copyOf(categorical);
        dictionaries = Map.copyOf(dictionaries);
        Objects.requireNonNull(tsStartMicros);
        Objects.requireNonNull(tsEndMicros);
    }

    public float[] column(String name) {
        float[] c = numeric.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no numeric column " + name);
        }
        return c;
    }

    public int[] codes(String name) {
        int[] c = categorical.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no categorical column " + name);
        }
        return c;
    }

    public String text(String column, int row) {
        return dictionaries.get(column).get(codes(column)[row]);
    }

    /** Code of {@code value} in the column's dictionary, or -1 when the training data never had it. */
    public int codeOf(String column, String value) {
        return dictionaries.get(column).indexOf(value);
    }

    public long minTsMicros() {
        long m = Long.MAX_VALUE;
        for (long t : tsStartMicros) {
            m = Math.min(m, t);
        }
        return rows == 0 ? 0 : m;
    }

    public long maxTsMicros() {
        long m = Long.MIN_VALUE;
        for (long t : tsEndMicros) {
            m = Math.max(m, t);
        }
        return rows == 0 ? 0 : m;
    }
}
