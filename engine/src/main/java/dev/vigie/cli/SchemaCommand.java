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

    @Parameters(arity = "0..1", paramLabel = "TABLE", defaultValue = "flows", description = "Table: flows (default).")
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
            throw new UserError(2, "unknown table '" + table + "' (known: flows)");
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
}
