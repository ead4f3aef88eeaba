package dev.vigie.training.data;

/**
 * Input that training or evaluation cannot use (missing file, Parquet without the expected columns, too few rows,
 * malformed labels). The message is one line meant for the user; the CLI turns it into a {@code UserError}.
 */
public final class TrainingInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public TrainingInputException(String message) {
        super(message);
    }

    public TrainingInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
