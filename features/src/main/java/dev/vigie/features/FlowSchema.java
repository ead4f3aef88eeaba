package dev.vigie.features;

import dev.vigie.schema.Column;
import dev.vigie.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The flow-record schema of this build: the base columns of {@link FlowColumns} plus those of any analyzers
 * (protocol metadata, content detectors) registered with the extractor.
 */
public final class FlowSchema {
    private static final TableSchema<FlowRow> BASE = new TableSchema<>("vigie.flows", FlowColumns.all());

    private FlowSchema() {}

    /** The base flow schema (no analyzer columns). */
    public static TableSchema<FlowRow> base() {
        return BASE;
    }

    /** The base columns followed by {@code extra} ones. */
    public static TableSchema<FlowRow> with(List<Column<FlowRow>> extra) {
        if (extra.isEmpty()) {
            return BASE;
        }
        List<Column<FlowRow>> all = new ArrayList<>(BASE.columns());
        all.addAll(extra);
        return new TableSchema<>("vigie.flows", all);
    }
}
