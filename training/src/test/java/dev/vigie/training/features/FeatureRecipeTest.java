package dev.vigie.training.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.training.data.FlowFrame;
import dev.vigie.training.data.ParquetFlows;
import dev.vigie.training.data.TrainingInputException;
import dev.vigie.training.synth.SyntheticFlows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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

        // Row-wise application (the engine's per-flow path) gives the same numbers.
        double[] raw = new double[r.width()];
        String[] cat = new String[r.width()];
        for (int j = 0; j < r.width(); j++) {
            FeatureSpec f = r.features().get(j);
            if (f.transform() == Transform.INDICATOR) {
                cat[j] = frame.text(f.column(), 7);
            } else {
                raw[j] = frame.column(f.column())[7];
            }
        }
        float[] row = new float[r.width()];
        r.applyRow(raw, cat, row, 0);
        for (int j = 0; j < r.width(); j++) {
            assertEquals(a[7 * r.width() + j], row[j], 0f, r.features().get(j).name());
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
