package dev.vigie.rules;

import dev.vigie.features.FlowRow;
import dev.vigie.rules.lists.ListRegistry;
import dev.vigie.schema.TableSchema;
import java.util.List;

/**
 * Rules compiled against one flow schema and one set of lists, ready for {@link RuleEngine}. Immutable.
 *
 * @param active   the rules that run
 * @param inactive rules that are disabled or lack a column or list they require, with why
 * @param columns  every column some active rule reads, in {@link FlowValues} order
 */
public record RuleSet(TableSchema<FlowRow> schema, ListRegistry lists, RuleFunctions functions,
                      List<CompiledRule> active, List<Inactive> inactive, List<String> columns) {

    public record Inactive(Rule rule, String reason) {}
}
