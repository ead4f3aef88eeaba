package dev.vigie.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Replaces a file so that readers, and a machine that loses power, see either the old content or the new, never a
 * mix: write a temporary file in the same directory, fsync it, rename it over the target, fsync the directory.
 * A crash can leave a {@code .NAME.tmp-*} file behind; it is never read and the next write does not need it gone.
 */
final class AtomicFiles {
    static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where a test can make the write fail as a crash would. */
    interface CrashPoint {
        CrashPoint NONE = stage -> { };

        /** Called at "half-written" (temp file has half of the bytes) and "before-rename" (temp file complete). */
        void reached(String stage) throws IOException;
    }

    private AtomicFiles() {
    }

    static void write(Path target, byte[] content, Set<PosixFilePermission> perms) throws IOException {
        write(target, content, perms, CrashPoint.NONE);
    }

    static void write(Path target, byte[] content, Set<PosixFilePermission> perms, CrashPoint crash)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + HexFormat.of().formatHex(randomBytes()));
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), permissions(dir, perms))) {
                int half = content.length / 2;
                writeFully(ch, ByteBuffer.wrap(content, 0, half));
                crash.reached("half-written");
                writeFully(ch, ByteBuffer.wrap(content, half, content.length - half));
                ch.force(true);
            }
            crash.reached("before-rename");
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            fsyncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Creates {@code target}, which must not exist, with {@code perms} from the first byte on (never a window
     * where a private key is world-readable), and fsyncs it.
     */
    static void createNew(Path target, byte[] content, Set<PosixFilePermission> perms) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path dir = target.toAbsolutePath().getParent();
        try (FileChannel ch = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), permissions(dir, perms))) {
            writeFully(ch, ByteBuffer.wrap(content));
            ch.force(true);
        }
        fsyncDirectory(dir);
    }

    private static FileAttribute<?>[] permissions(Path dir, Set<PosixFilePermission> perms) throws IOException {
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)};
        }
        return new FileAttribute<?>[0];
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Makes the rename itself durable; some file systems refuse to open a directory, and then rename is all we get. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Best effort by design: the data file itself was already forced.
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }
}
