package dev.vigie.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file that appears under its final name complete or not at all: written as a hidden temporary file in the same
 * directory, forced to disk, then renamed over the target in one step. Readers (DuckDB, a SIEM shipper) never see
 * a half-written file, and a crash leaves only a {@code .tmp} file behind.
 */
public final class AtomicFile {
    private final Path target;
    private final Path temp;
    private boolean done;

    public AtomicFile(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        this.temp = dir.resolve("." + this.target.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    public Path target() {
        return target;
    }

    /** Where to write the content. */
    public Path temp() {
        return temp;
    }

    /** Forces the temporary file to disk and renames it to the target. */
    public void commit() throws IOException {
        if (done) {
            return;
        }
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        done = true;
    }

    /** Deletes the temporary file; the target is left as it was. */
    public void abort() {
        if (!done) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more we can do; the name says it is temporary
            }
            done = true;
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        AtomicFile f = new AtomicFile(target);
        try {
            Files.write(f.temp(), bytes);
            f.commit();
        } finally {
            f.abort();
        }
    }
}
