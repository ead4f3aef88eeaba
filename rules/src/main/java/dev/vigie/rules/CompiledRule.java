package dev.vigie.rules;

import dev.cel.runtime.CelRuntime;

/**
 * A rule compiled against one flow schema: its condition as a CEL program and the positions (in
 * {@link FlowValues}) of the columns it keys on and reports. Immutable; run-time state lives in the engine.
 *
 * @param program  null when the rule has no condition (a detector that sees every flow)
 * @param byCols   aggregate or detector key columns
 * @param fieldCol the column counted distinctly, or -1
 * @param fast     the condition compiled to Java when it has only simple shapes (same results as the program), or null
 */
public record CompiledRule(Rule rule, CelRuntime.Program program, int[] byCols, int fieldCol, int[] suppressCols,
                           int[] evidenceCols, FastCondition fast) {
}
