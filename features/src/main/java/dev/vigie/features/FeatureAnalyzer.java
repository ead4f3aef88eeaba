package dev.vigie.features;

import dev.vigie.flow.Flow;
import dev.vigie.flow.FlowAnalyzer;
import dev.vigie.schema.Column;
import java.util.List;

/**
 * A flow analyzer that also contributes columns to the flow record (protocol metadata, content detector counts).
 * Its columns read the per-flow state it attached to the flow ({@code row.flow().attachment(slot)}); they are
 * appended after the base columns, in registration order, and become part of the schema hash.
 */
public interface FeatureAnalyzer extends FlowAnalyzer {
    List<Column<FlowRow>> columns();

    /**
     * False when the flow has nothing in this analyzer's columns: the row writer then leaves them all null without
     * calling their writers. An analyzer sees few of the flows (a protocol parser, a content detector), and a row
     * of nulls should not cost a call per column.
     */
    default boolean hasValues(Flow flow) {
        return true;
    }

    /**
     * Columns {@code [from, to)} of {@link #columns()} that are all null in a flow that fails {@code present}, even
     * when {@link #hasValues} holds: one protocol's columns in a parser that handles several. The row writer skips
     * them too.
     */
    record ColumnGroup(int from, int to, java.util.function.Predicate<Flow> present) {}

    /** This analyzer's column groups, in column order, not overlapping (none by default). */
    default List<ColumnGroup> columnGroups() {
        return List.of();
    }
}
