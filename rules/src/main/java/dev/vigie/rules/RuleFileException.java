package dev.vigie.rules;

import java.util.List;

/** Rule files that failed validation; carries every error found, not only the first. */
public final class RuleFileException extends Exception {
    private final List<RuleError> errors;

    public RuleFileException(List<RuleError> errors) {
        super(errors.isEmpty() ? "invalid rules" : errors.get(0) + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        this.errors = List.copyOf(errors);
    }

    public List<RuleError> errors() {
        return errors;
    }
}
