package dev.vigie.training.synth;

import dev.vigie.training.data.ParquetFlows;
import dev.vigie.training.data.TrainingInputException;
import dev.vigie.training.features.FeatureCatalog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Realistic volumes from a small real capture: draws {@code rows} records with replacement from real flow files,
 * multiplies each numeric feature by a log-normal factor (σ = 0.1, so resampled rows are not exact duplicates),
 * and spreads start times evenly over {@code days}. Deterministic: the draw and the noise come from DuckDB's
 * {@code hash} of the row number and the seed, not from a random generator.
 */
public final class Resampled {
    private Resampled() {}

    public static void write(List<Path> real, Path out, int rows, long seed, double days) throws TrainingInputException {
        StringBuilder replace = new StringBuilder();
        int k = 0;
        for (String c : FeatureCatalog.numericColumns()) {
            if (c.endsWith("_ttl_first") || c.endsWith("_init_win")) {
                continue; // levels, not magnitudes
            }
            replace.append(replace.length() > 0 ? ", " : "")
                    .append(String.format(Locale.ROOT, "CAST(r.%s * exp(0.1 * %s) AS %s) AS %s", c, normal(seed, ++k),
                            "DOUBLE", c));
        }
        long population = 0;
        for (long c : ParquetFlows.rowCounts(real).values()) {
            population += c;
        }
        if (population == 0) {
            throw new TrainingInputException("nothing to resample: " + real + " hold no rows");
        }
        long span = (long) (days * 86_400_000_000L);
        String sql = "COPY (SELECT r.* EXCLUDE (k, ts_start, ts_end) REPLACE (" + replace + "), "
                + "TIMESTAMP '2025-01-01 00:00:00' + to_microseconds((i * " + span + " // " + rows + ")::BIGINT) AS ts_start, "
                + "TIMESTAMP '2025-01-01 00:00:00' + to_microseconds((i * " + span + " // " + rows + ")::BIGINT) "
                + "+ (r.ts_end - r.ts_start) AS ts_end "
                + "FROM range(" + rows + ") t(i) JOIN (SELECT *, (row_number() OVER () - 1) AS k FROM "
                + ParquetFlows.source(real) + ") r ON r.k = hash(i, " + seed + ") % " + population
                + " ORDER BY i) TO " + ParquetFlows.literal(out)
                + " (FORMAT parquet, COMPRESSION zstd)";
        try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = conn.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new TrainingInputException("cannot resample " + real + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** A standard normal from two hashed uniforms (Box-Muller). */
    private static String normal(long seed, int k) {
        String u1 = "((hash(i, " + seed + ", " + (2 * k) + ") % 1000003)::DOUBLE + 0.5) / 1000003";
        String u2 = "((hash(i, " + seed + ", " + (2 * k + 1) + ") % 1000003)::DOUBLE + 0.5) / 1000003";
        return "(sqrt(-2 * ln(" + u1 + ")) * cos(2 * pi() * " + u2 + "))";
    }
}
