package dev.vigie.training.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigie.training.data.FlowFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The exact recipe from flow-record columns to model inputs, fitted on the training data and written into the
 * bundle ({@code recipe.json}) so that scoring computes the same numbers. Applying it is a pure function of the
 * row: no state, no look-ups beyond the row itself.
 *
 * @param version  layout of this record
 * @param features inputs in model order
 * @param clip     scaled values are clipped to [-clip, clip]: float32 stays exact enough and one absurd counter
 *                 cannot dominate a distance
 */
public record FeatureRecipe(int version, List<FeatureSpec> features, double clip) {
    public static final int CURRENT_VERSION = 1;
    public static final double DEFAULT_CLIP = 1000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public FeatureRecipe {
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("a recipe needs at least one feature");
        }
        Set<String> names = new TreeSet<>();
        for (FeatureSpec f : features) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("feature " + f.name() + " twice");
            }
        }
    }

    public int width() {
        return features.size();
    }

    public List<String> names() {
        return features.stream().map(FeatureSpec::name).toList();
    }

    /** Columns the recipe reads, numeric ones only. */
    public Set<String> numericColumns() {
        Set<String> s = new TreeSet<>();
        for (FeatureSpec f : features) {
            if (f.transform() != Transform.INDICATOR) {
                s.add(f.column());
            }
        }
        return s;
    }

    /**
     * Fits the scaling on the given rows of the frame. Families decide the transform: heavy-tailed families get
     * log1p when the training data has no negative value (none should); time goes to milliseconds first, so
     * that sub-second gaps are not all squeezed near 0.
     */
    public static FeatureRecipe fit(FlowFrame frame, int[] rows, List<FeatureCatalog.Candidate> numeric,
                                    List<FeatureCatalog.Indicator> indicators) {
        int[] sample = Sampling.stride(rows, 100_000);
        List<FeatureSpec> out = new ArrayList<>(numeric.parallelStream().map(c -> fitOne(frame, sample, c)).toList());
        for (FeatureCatalog.Indicator ind : indicators) {
            out.add(new FeatureSpec(ind.column() + "=" + ind.category(), ind.column(), Transform.INDICATOR,
                    ind.category(), 0, 1, 0, 1));
        }
        return new FeatureRecipe(CURRENT_VERSION, out, DEFAULT_CLIP);
    }

    private static FeatureSpec fitOne(FlowFrame frame, int[] sample, FeatureCatalog.Candidate c) {
        {
            float[] col = frame.column(c.column());
            double min = Double.POSITIVE_INFINITY;
            for (int r : sample) {
                float v = col[r];
                if (!Float.isNaN(v)) {
                    min = Math.min(min, v);
                }
            }
            boolean heavy = c.family() != FeatureCatalog.Family.LEVEL;
            Transform t = heavy && !(min < 0) ? Transform.LOG1P : Transform.IDENTITY;
            double multiplier = c.family() == FeatureCatalog.Family.SECONDS ? 1000 : 1;
            FeatureSpec spec = new FeatureSpec(c.column(), c.column(), t, "", 0, multiplier, 0, 1);
            double[] values = new double[sample.length];
            for (int i = 0; i < sample.length; i++) {
                values[i] = spec.transformRaw(col[sample[i]]);
            }
            Arrays.sort(values);
            double median = Sampling.quantileSorted(values, 0.5);
            double iqr = Sampling.quantileSorted(values, 0.75) - Sampling.quantileSorted(values, 0.25);
            // A column that is mostly one value (flags, retransmissions) has IQR 0; a unit scale keeps its rare
            // values visible instead of blowing them up by 1/epsilon.
            double scale = iqr > 1e-6 ? iqr : 1.0;
            return spec.withScaling(median, scale);
        }
    }

    private float finish(FeatureSpec f, double transformed) {
        double v = (transformed - f.center()) / f.scale();
        return (float) Math.max(-clip, Math.min(clip, v));
    }

    /**
     * Rows per block of the column loops below. The output is row-major and a column loop writes one cell per row,
     * so over a whole frame each write lands on another cache line: a block's cells (256 rows × width floats,
     * ~50 KB) stay in cache while every column fills them, instead of the frame's output (hundreds of MB for a
     * million flows) being streamed through memory once per column.
     */
    static final int BLOCK = 256;

    /** Row-major inputs [rows.length × width] for the given rows of the frame. */
    public float[] apply(FlowFrame frame, int[] rows) {
        int d = width();
        float[] out = new float[rows.length * d];
        int[] codes = new int[d];
        int[][] codeColumns = new int[d][];
        float[][] columns = new float[d][];
        for (int j = 0; j < d; j++) {
            FeatureSpec f = features.get(j);
            if (f.transform() == Transform.INDICATOR) {
                codes[j] = frame.codeOf(f.column(), f.category());
                codeColumns[j] = frame.codes(f.column());
            } else {
                columns[j] = frame.column(f.column());
            }
        }
        // Blocks are independent and write disjoint cells: safe to spread over cores, same result.
        int blocks = (rows.length + BLOCK - 1) / BLOCK;
        java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * BLOCK;
            int to = Math.min(rows.length, from + BLOCK);
            for (int j = 0; j < d; j++) {
                FeatureSpec f = features.get(j);
                if (f.transform() == Transform.INDICATOR) {
                    int code = codes[j];
                    int[] c = codeColumns[j];
                    for (int i = from; i < to; i++) {
                        out[i * d + j] = code >= 0 && c[rows[i]] == code ? 1f : 0f;
                    }
                } else {
                    float[] col = columns[j];
                    for (int i = from; i < to; i++) {
                        out[i * d + j] = finish(f, f.transformRaw(col[rows[i]]));
                    }
                }
            }
        });
        return out;
    }

    /**
     * Inputs for one row given as raw values: {@code numeric[j]} the raw value of feature j's column (NaN for
     * null), {@code category[j]} the text of an indicator's column (ignored for numeric features).
     */
    public void applyRow(double[] numeric, String[] category, float[] out, int offset) {
        for (int j = 0; j < features.size(); j++) {
            FeatureSpec f = features.get(j);
            out[offset + j] = f.transform() == Transform.INDICATOR
                    ? (f.category().equals(category[j]) ? 1f : 0f)
                    : finish(f, f.transformRaw(numeric[j]));
        }
    }

    /** Row-major inputs for every row of an Arrow batch of flow records (the engine's path). */
    public float[] apply(VectorSchemaRoot batch) {
        return apply(batch, null);
    }

    /**
     * The same, written into {@code reuse} when it holds at least rows × width floats (cells past them are left as
     * they are), else into a new array: the sensor passes the previous batch's array back.
     */
    public float[] apply(VectorSchemaRoot batch, float[] reuse) {
        int n = batch.getRowCount();
        int d = width();
        float[] out = reuse != null && reuse.length >= n * d ? reuse : new float[n * d];
        // One pass over the batch's ~300 columns: VectorSchemaRoot.getVector(name) is a linear search per call.
        Map<String, FieldVector> byName = new HashMap<>();
        for (FieldVector v : batch.getFieldVectors()) {
            byName.putIfAbsent(v.getName(), v);
        }
        FieldVector[] vectors = new FieldVector[d];
        byte[][] wants = new byte[d][];
        for (int j = 0; j < d; j++) {
            FeatureSpec f = features.get(j);
            vectors[j] = byName.get(f.column());
            if (vectors[j] == null) {
                throw new IllegalArgumentException("batch has no column " + f.column());
            }
            if (f.transform() == Transform.INDICATOR) {
                wants[j] = f.category().getBytes(StandardCharsets.UTF_8);
            }
        }
        for (int from = 0; from < n; from += BLOCK) {             // blocks of rows: see BLOCK
            int to = Math.min(n, from + BLOCK);
            for (int j = 0; j < d; j++) {
                column(features.get(j), vectors[j], wants[j], out, d, j, from, to);
            }
        }
        return out;
    }

    /** Cells {@code [from, to)} of feature {@code j} from its column. */
    private void column(FeatureSpec f, FieldVector v, byte[] want, float[] out, int d, int j, int from, int to) {
        if (f.transform() == Transform.INDICATOR) {
            VarCharVector text = (VarCharVector) v;
            for (int i = from; i < to; i++) {
                out[i * d + j] = !text.isNull(i) && dev.vigie.schema.TextCells.equals(text, i, want) ? 1f : 0f;
            }
        } else if (v instanceof org.apache.arrow.vector.Float8Vector x) {
            // typed loops: the type is the column's, not the cell's (this runs for every scored flow)
            for (int i = from; i < to; i++) {
                out[i * d + j] = finish(f, f.transformRaw(x.isNull(i) ? Double.NaN : x.get(i)));
            }
        } else if (v instanceof org.apache.arrow.vector.BigIntVector x) {
            for (int i = from; i < to; i++) {
                out[i * d + j] = finish(f, f.transformRaw(x.isNull(i) ? Double.NaN : x.get(i)));
            }
        } else if (v instanceof org.apache.arrow.vector.IntVector x) {
            for (int i = from; i < to; i++) {
                out[i * d + j] = finish(f, f.transformRaw(x.isNull(i) ? Double.NaN : x.get(i)));
            }
        } else {
            for (int i = from; i < to; i++) {
                out[i * d + j] = finish(f, f.transformRaw(numericValue(v, i)));
            }
        }
    }

    static double numericValue(FieldVector v, int i) {
        if (v.isNull(i)) {
            return Double.NaN;
        }
        if (v instanceof FloatingPointVector fp) {
            return fp.getValueAsDouble(i);
        }
        if (v instanceof BaseIntVector bi) {
            return bi.getValueAsLong(i);
        }
        if (v instanceof BitVector b) {
            return b.get(i);
        }
        throw new IllegalArgumentException("column " + v.getName() + " is not numeric");
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FeatureRecipe fromJson(byte[] json) throws IOException {
        FeatureRecipe r = JSON.readValue(json, FeatureRecipe.class);
        if (r.version() != CURRENT_VERSION) {
            throw new IOException("recipe version " + r.version() + " is not understood (expected " + CURRENT_VERSION + ")");
        }
        return r;
    }
}
