package dev.vigie.cli;

import dev.vigie.features.FlowSchemaDoc;
import dev.vigie.schema.Column;
import dev.vigie.features.FlowRow;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigie schema}: the output columns of this build, with types, units and meanings. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the columns of an output table (flows), or its Markdown reference, or its schema hash.")
public final class SchemaCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "TABLE", defaultValue = "flows", description = "Table: flows (default), scores, health, assets.")
    String table;

    @Option(names = "--markdown", description = "The Markdown reference (docs/schema/flows.md).")
    boolean markdown;

    @Option(names = "--hash", description = "Only the schema hash that model bundles pin.")
    boolean hash;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (!"flows".equals(table)) {
            return otherTable(out);
        }
        if (hash) {
            out.println(StandardPipeline.schema().hash());
        } else if (markdown) {
            out.print(FlowSchemaDoc.render(StandardPipeline.schema()));
        } else {
            for (Column<FlowRow> c : StandardPipeline.schema().columns()) {
                out.printf("%-22s %-20s %-10s %s%n", c.name(), c.typeName(), c.unit(), c.description());
            }
        }
        return 0;
    }

    /** The sensor's own tables: a title, a sentence and the generated column table (docs/schema/TABLE.md). */
    static final java.util.Map<String, String[]> SENSOR_TABLES = java.util.Map.of(
            "scores", new String[] {"Model scores (`vigie sense`)",
                    "One row per scored flow, in `OUT_DIR/scores/*.parquet`: every flow's scores against the threshold, not "
                    + "only the alerts. Scores are normalised so that 1.0 is the model's calibrated threshold; `score` is the "
                    + "combined one, the largest of the models' scores. The `scores` view of `vigie sql` unfolds each row "
                    + "into one row per model (`model`: each kind, then `combined`; `score`; `threshold`, always 1.0; "
                    + "`raw_threshold`, null for combined): docs/sql.md."},
            "health", new String[] {"Sensor health (`vigie sense`)",
                    "One row per minute of wall time and one at the end of the run, in `OUT_DIR/health/*.parquet`: "
                    + "what the sensor read, dropped and scored in that interval (the `health` view of `vigie sql` and "
                    + "the report's health section). Counts are for the interval, not cumulative."},
            "assets", new String[] {"Asset inventory (`vigie assets`, `vigie sense`)",
                    "One row per asset, in the file `vigie assets -o` writes and in `OUT_DIR/assets/assets.parquet` "
                    + "(rewritten atomically at every roll and at the end of a `vigie sense` run); the `assets` view of "
                    + "`vigie sql`, a reference inventory for `--reference`/`--assets-reference`/`vigie train --assets`. "
                    + "How each column is learned, the OS and role signals and the detections: [docs/assets.md](../assets.md)."});

    private int otherTable(java.io.PrintWriter out) {
        dev.vigie.schema.TableSchema<?> schema = switch (table) {
            case "scores" -> dev.vigie.sensor.ScoreTable.SCHEMA;
            case "health" -> dev.vigie.sensor.HealthLog.SCHEMA;
            case "assets" -> dev.vigie.assets.AssetSchema.SCHEMA;
            default -> throw new UserError(2, "unknown table '" + table + "' (known: flows, scores, health, assets)");
        };
        if (hash) {
            out.println(schema.hash());
        } else if (markdown) {
            out.print(markdown(table));
            out.flush();
        } else {
            for (var c : schema.columns()) {
                out.printf("%-22s %-20s %-10s %s%n", c.name(), c.typeName(), c.unit(), c.description());
            }
        }
        return 0;
    }

    /** docs/schema/TABLE.md for a sensor table. */
    static String markdown(String table) {
        String[] text = SENSOR_TABLES.get(table);
        dev.vigie.schema.TableSchema<?> schema = switch (table) {
            case "scores" -> dev.vigie.sensor.ScoreTable.SCHEMA;
            case "assets" -> dev.vigie.assets.AssetSchema.SCHEMA;
            default -> dev.vigie.sensor.HealthLog.SCHEMA;
        };
        return "# " + text[0] + "\n\nGenerated from the code by `vigie schema " + table + " --markdown`; do not edit "
                + "by hand (a test compares this file with the code).\n\n" + text[1] + "\n\n" + schema.markdownTable();
    }
}
