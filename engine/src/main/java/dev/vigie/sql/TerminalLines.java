package dev.vigie.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The prompt's lines from a terminal: line editing, arrow-key recall and a history file kept across sessions
 * (JLine). Ctrl-C drops the line being typed, Ctrl-D ends the session. The history holds what analysts typed,
 * which is queries over masked or hashed outputs, never identifiers in clear (vigie writes none).
 */
public final class TerminalLines implements SqlSession.LineSource, AutoCloseable {
    /** Default history file, under the user's home. */
    public static Path defaultHistory() {
        return Path.of(System.getProperty("user.home"), ".vigie", "sql_history");
    }

    private final Terminal terminal;
    private final LineReader reader;

    public TerminalLines(Terminal terminal, Path history) throws IOException {
        this.terminal = terminal;
        if (history != null && history.getParent() != null) {
            Files.createDirectories(history.getParent());
            if (!Files.exists(history) && Files.getFileStore(history.getParent()).supportsFileAttributeView("posix")) {
                // queries name hosts and hashes: the file is the analyst's alone, like a shell history
                Files.createFile(history, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
        }
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("vigie-sql");
        if (history != null) {
            b.variable(LineReader.HISTORY_FILE, history);
            b.variable(LineReader.HISTORY_SIZE, 5000);
            b.variable(LineReader.HISTORY_FILE_SIZE, 5000);
        }
        // a statement spans lines at the session's level (';' ends it): each line is its own history entry
        b.option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        b.option(LineReader.Option.HISTORY_IGNORE_SPACE, false);     // indented continuation lines are kept
        this.reader = b.build();
    }

    public Terminal terminal() {
        return terminal;
    }

    @Override
    public String readLine(String prompt) {
        while (true) {
            try {
                return reader.readLine(prompt);
            } catch (UserInterruptException e) {
                // Ctrl-C: the line is dropped, the session goes on
            } catch (EndOfFileException e) {
                return null;
            }
        }
    }

    /** Writes the history file (JLine also appends as lines are entered). */
    @Override
    public void close() throws IOException {
        reader.getHistory().save();
        terminal.close();
    }
}
