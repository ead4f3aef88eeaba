package dev.vigie.training.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.training.data.FlowFrame;
import dev.vigie.training.data.ParquetFlows;
import dev.vigie.training.data.TrainingInputException;
import dev.vigie.training.synth.SyntheticFlows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureRecipeTest {
    @TempDir
    Path dir;

    @Test
    void recipeIsFittedWrittenReadAndAppliedTheSameWay() throws Exception {
        Path p = dir.resolve("f.parquet");
        SyntheticFlows.writeBenign(p, 3000, 5, 0.5);
        FlowFrame frame = ParquetFlows.read(List.of(p), new LinkedHashSet<>(FeatureCatalog.numericColumns()));
        FeatureRecipe r = FeatureRecipe.fit(frame, Sampling.range(frame.rows()), FeatureCatalog.numeric(),
                FeatureCatalog.indicators());
        FeatureSpec bytes = r.features().stream().filter(f -> f.name().equals("orig_bytes")).findFirst().orElseThrow();
        assertEquals(Transform.LOG1P, bytes.transform());
        FeatureSpec ttl = r.features().stream().filter(f -> f.name().equals("orig_ttl_first")).findFirst().orElseThrow();
        assertEquals(Transform.IDENTITY, ttl.transform());
        assertTrue(r.names().contains("conn_state=REJ"));

        FeatureRecipe back = FeatureRecipe.fromJson(r.toJson());
        assertEquals(r, back);
        float[] a = r.apply(frame, Sampling.range(frame.rows()));
        assertArrayEquals(a, back.apply(frame, Sampling.range(frame.rows())));

        // Row-wise application (the engine's per-flow path) gives the same numbers, in every block of rows
        // (FeatureRecipe.BLOCK), for all rows and for a strided selection of them.
        int[] strided = java.util.stream.IntStream.range(0, frame.rows() / 3).map(i -> i * 3 + 1).toArray();
        float[] s = r.apply(frame, strided);
        int w = r.width();
        for (int k : new int[] {0, 7, FeatureRecipe.BLOCK - 1, FeatureRecipe.BLOCK, 600, strided.length - 1}) {
            for (int[] sel : new int[][] {null, strided}) {
                int at = sel == null ? k : sel[k];
                double[] raw = new double[w];
                String[] cat = new String[w];
                for (int j = 0; j < w; j++) {
                    FeatureSpec f = r.features().get(j);
                    if (f.transform() == Transform.INDICATOR) {
                        cat[j] = frame.text(f.column(), at);
                    } else {
                        raw[j] = frame.column(f.column())[at];
                    }
                }
                float[] row = new float[w];
                r.applyRow(raw, cat, row, 0);
                float[] got = sel == null ? a : s;
                for (int j = 0; j < w; j++) {
                    assertEquals(row[j], got[k * w + j], 0f, r.features().get(j).name() + " row " + at);
                }
            }
        }
    }

    /** The sensor's path (an Arrow batch of flow records, cells read in place) gives the training path's numbers. */
    @Test
    void arrowBatchGivesTheSameInputsAsTheFrame() throws Exception {
        Path p = dir.resolve("f.parquet");
        SyntheticFlows.writeBenign(p, 2000, 5, 0.5);
        FlowFrame frame = ParquetFlows.read(List.of(p), new LinkedHashSet<>(FeatureCatalog.numericColumns()));
        FeatureRecipe r = FeatureRecipe.fit(frame, Sampling.range(frame.rows()), FeatureCatalog.numeric(),
                FeatureCatalog.indicators());
        int n = frame.rows();
        try (BufferAllocator alloc = new RootAllocator()) {
            List<FieldVector> vectors = new ArrayList<>();
            Set<String> done = new LinkedHashSet<>();
            for (FeatureSpec f : r.features()) {
                if (!done.add(f.column())) {
                    continue;
                }
                if (f.transform() == Transform.INDICATOR) {
                    VarCharVector v = new VarCharVector(f.column(), alloc);
                    v.allocateNew(n);
                    for (int i = 0; i < n; i++) {
                        String t = frame.text(f.column(), i);
                        if (t == null) {
                            v.setNull(i);
                        } else {
                            v.setSafe(i, t.getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    v.setValueCount(n);
                    vectors.add(v);
                } else {
                    Float8Vector v = new Float8Vector(f.column(), alloc);
                    v.allocateNew(n);
                    float[] x = frame.column(f.column());
                    for (int i = 0; i < n; i++) {
                        if (Float.isNaN(x[i])) {
                            v.setNull(i);
                        } else {
                            v.set(i, x[i]);
                        }
                    }
                    v.setValueCount(n);
                    vectors.add(v);
                }
            }
            try (VectorSchemaRoot root = new VectorSchemaRoot(vectors)) {
                root.setRowCount(n);
                float[] fromFrame = r.apply(frame, Sampling.range(n));
                float[] fromBatch = r.apply(root);
                assertArrayEquals(fromFrame, fromBatch, 1e-6f);
                // the sensor's path: the previous batch's array, garbage in it, written over cell by cell
                float[] reuse = new float[fromBatch.length + 7];
                java.util.Arrays.fill(reuse, Float.NaN);
                assertSame(reuse, r.apply(root, reuse));
                assertArrayEquals(fromBatch, java.util.Arrays.copyOf(reuse, fromBatch.length));
                float[] small = new float[fromBatch.length - 1];
                assertArrayEquals(fromBatch, r.apply(root, small));
                int indicatorOnes = 0;
                for (int j = 0; j < r.width(); j++) {
                    if (r.features().get(j).transform() == Transform.INDICATOR) {
                        for (int i = 0; i < n; i++) {
                            indicatorOnes += fromBatch[i * r.width() + j] == 1f ? 1 : 0;
                        }
                    }
                }
                assertTrue(indicatorOnes > 0, "the synthetic flows set some indicator");
            }
        }
    }

    @Test
    void log1pAgreesWithTheJdksToTheRoundingOfOnePlusVAndIsExactAtZeroAndBelowItsSwitch() {
        assertEquals(0.0, FeatureSpec.log1p(0.0));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(FeatureSpec.log1p(0.0)), "+0, not -0");
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            double v = Math.pow(10, r.nextDouble(-12, 12));
            double want = Math.log1p(v);
            double got = FeatureSpec.log1p(v);
            if (v < 1e-4) {
                assertEquals(want, got, 0.0, "below the switch it is log1p itself: " + v);
            } else {
                // log(1 + v) errs by the rounding of 1 + v, ~1e-16 absolute: far below the float inputs' precision
                assertEquals(want, got, Math.ulp(1.0 + v) + 2 * Math.ulp(want), "v = " + v);
            }
        }
    }

    @Test
    void parquetWithoutTheFlowColumnsIsRefusedInOneLine() throws Exception {
        Path p = dir.resolve("other.parquet");
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             var st = c.createStatement()) {
            st.execute("COPY (SELECT 1 AS a) TO " + ParquetFlows.literal(p) + " (FORMAT parquet)");
        }
        TrainingInputException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingInputException.class,
                () -> ParquetFlows.read(List.of(p), Set.of("orig_bytes")));
        assertTrue(e.getMessage().contains("not a vigie flow file, missing columns ts_start, ts_end"), e.getMessage());
        Path notParquet = dir.resolve("x.parquet");
        Files.writeString(notParquet, "hello");
        e = assertThrows(TrainingInputException.class, () -> ParquetFlows.read(List.of(notParquet), Set.of("orig_bytes")));
        assertTrue(e.getMessage().contains("not a readable Parquet file"), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1);
    }
}
