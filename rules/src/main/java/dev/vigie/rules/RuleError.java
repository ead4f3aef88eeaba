package dev.vigie.rules;

/** One problem in a rule file: where and what. {@code rule} is the rule id when known. */
public record RuleError(String file, int line, String rule, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + (rule == null ? "" : "rule " + rule + ": ") + message;
    }
}
