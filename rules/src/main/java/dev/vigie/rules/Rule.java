package dev.vigie.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One rule as written in a rule file, validated for shape but not yet compiled against a flow schema. See
 * docs/schema/alerts.md for the meaning of every key.
 *
 * @param condition CEL boolean expression over the flow row; null for a detector rule that takes every flow
 * @param aggregate null for a rule that fires on single flows
 * @param detector  null, or a built-in detector ("beacon") with its parameters
 * @param requires  columns and lists without which the rule is inactive (reported, not an error)
 * @param fields    columns copied into the alert evidence
 */
public record Rule(String id, int sid, int rev, String name, int severity, String category, Mitre mitre,
                   String description, String condition, SourcePos conditionPos, Aggregate aggregate,
                   Detector detector, Suppress suppress, List<String> tags, Requires requires,
                   List<String> fields, boolean enabled, SourcePos pos) {

    /** Where something was written: a file and a 1-based line. */
    public record SourcePos(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /** MITRE ATT&CK mapping, written to alert.metadata like Suricata's ET rules do. */
    public record Mitre(List<String> tacticIds, List<String> tacticNames, List<String> techniqueIds,
                        List<String> techniqueNames) {}

    public enum Function { COUNT, SUM, DISTINCT }

    /**
     * Fire when, for one value of {@code by}, at least {@code threshold} matching flows (COUNT), a total of
     * {@code threshold} in integer column {@code field} (SUM), or {@code threshold} distinct values of {@code field}
     * (DISTINCT) fall within {@code window} of capture time.
     */
    public record Aggregate(Function function, String field, List<String> by, Duration window, int threshold,
                            SourcePos pos) {}

    /** A detector class with numeric parameters; {@code by} as for aggregates. */
    public record Detector(String type, List<String> by, Map<String, Double> params, SourcePos pos) {}

    /** After an alert for a value of {@code by}, drop further alerts of this rule for that value during {@code period}. */
    public record Suppress(List<String> by, Duration period) {}

    public record Requires(List<String> columns, List<String> lists) {
        public static final Requires NONE = new Requires(List.of(), List.of());
    }

    public String severityName() {
        return switch (severity) {
            case 1 -> "high";
            case 2 -> "medium";
            case 3 -> "low";
            default -> "info";
        };
    }
}
