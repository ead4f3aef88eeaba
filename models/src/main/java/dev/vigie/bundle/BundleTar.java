package dev.vigie.bundle;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bundle as one POSIX ustar file, with our own minimal writer and reader (no dependency, and a reader that
 * refuses rather than "helpfully" handles what a bundle never needs).
 * <p>
 * Writer: regular files only, sorted by path, mode 0644, uid/gid 0, mtime 0, no user or group names, so the same
 * directory always packs to the same bytes. Names over 100 bytes use the ustar prefix field.
 * <p>
 * Reader: accepts POSIX ustar and GNU tar's "ustar  " headers for regular files ('0' or NUL) and directories
 * ('5'), and a leading "./" on names (what {@code tar -C dir -cf x.tar .} writes). It refuses, as PATH_ESCAPE,
 * absolute names, {@code ..}, symbolic and hard links, devices and fifos; as MALFORMED_ARCHIVE, bad checksums,
 * pax/GNU long-name extensions and other entry types, duplicate or conflicting names, sizes past the end of the
 * file, a missing end-of-archive marker, non-zero data after it, and archives beyond the size or entry caps.
 */
public final class BundleTar {
    static final int BLOCK = 512;
    private static final byte[] POSIX_MAGIC = "ustar\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] POSIX_VERSION = "00".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GNU_MAGIC = "ustar  \0".getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_USTAR_SIZE = 077777777777L;

    private BundleTar() {
    }

    /** Packs every regular file below {@code bundleDir} into {@code tarFile} (written atomically). */
    public static void pack(Path bundleDir, Path tarFile) throws IOException {
        List<String> names = listForPacking(bundleDir);
        Path target = tarFile.toAbsolutePath();
        if (target.normalize().startsWith(bundleDir.toRealPath())) {
            throw new IOException(tarFile + ": cannot write the archive inside the bundle it packs");
        }
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), 1 << 16)) {
                for (String name : names) {
                    Path file = bundleDir.resolve(name);
                    long size = Files.size(file);
                    out.write(header(name, size));
                    long copied;
                    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                        copied = in.transferTo(out);
                    }
                    if (copied != size) {
                        throw new IOException(name + ": changed size while packing");
                    }
                    int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
                    out.write(new byte[pad]);
                }
                out.write(new byte[2 * BLOCK]);
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(temp, AtomicFiles.WORLD_READABLE);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static List<String> listForPacking(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a directory");
        }
        if (!Files.isRegularFile(dir.resolve(BundlePaths.MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + ": no " + BundlePaths.MANIFEST + ", not a bundle");
        }
        return BundlePaths.regularFiles(dir);
    }

    static byte[] header(String name, long size) throws IOException {
        if (size > MAX_USTAR_SIZE) {
            throw new IOException(name + ": larger than ustar's 8 GiB limit");
        }
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length <= 100) {
            System.arraycopy(n, 0, h, 0, n.length);
        } else {
            int split = -1;
            for (int i = n.length - 1; i > 0; i--) {
                if (n[i] == '/' && i <= 155 && n.length - i - 1 <= 100) {
                    split = i;
                    break;
                }
            }
            if (split < 0) {
                throw new IOException(name + ": name cannot be stored in a ustar header");
            }
            System.arraycopy(n, split + 1, h, 0, n.length - split - 1);
            System.arraycopy(n, 0, h, 345, split);
        }
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = '0';
        System.arraycopy(POSIX_MAGIC, 0, h, 257, 6);
        System.arraycopy(POSIX_VERSION, 0, h, 263, 2);
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = checksum(h);
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    /** Zero-padded octal digits filling {@code len - 1} bytes, then NUL. */
    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        int digits = len - 1;
        for (int i = 0; i < digits; i++) {
            int fromEnd = digits - 1 - i;
            h[off + i] = (byte) (fromEnd < s.length() ? s.charAt(s.length() - 1 - fromEnd) : '0');
        }
        h[off + digits] = 0;
    }

    private static long checksum(byte[] h) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        return sum;
    }

    /**
     * Extracts {@code tarFile} into {@code destDir}, which must exist and be empty (the caller makes it private).
     * Returns the extracted file names. Files are created with mode 0600 and never through an existing link.
     */
    public static List<String> extract(Path tarFile, Path destDir, BundleLimits limits)
            throws IOException, BundleRejected {
        String archive = tarFile.getFileName().toString();
        long archiveSize = Files.size(tarFile);
        long maxArchive = limits.maxTotalBytes() + (2L * limits.maxEntries() + 2) * BLOCK + 20 * BLOCK;
        if (archiveSize > maxArchive) {
            throw malformed(archive, "larger than the " + limits.maxTotalBytes() + "-byte cap");
        }
        Path dest = destDir.toRealPath();
        try (InputStream raw = Files.newInputStream(tarFile);
             InputStream in = new BufferedInputStream(raw, 1 << 16)) {
            return read(in, archive, dest, limits);
        }
    }

    private static List<String> read(InputStream in, String archive, Path dest, BundleLimits limits)
            throws IOException, BundleRejected {
        Map<String, Kind> seen = new HashMap<>();
        List<String> files = new ArrayList<>();
        long total = 0;
        int entries = 0;
        byte[] h = new byte[BLOCK];
        while (true) {
            int got = in.readNBytes(h, 0, BLOCK);
            if (got == 0) {
                throw malformed(archive, "no end-of-archive marker (truncated?)");
            }
            if (got < BLOCK) {
                throw malformed(archive, "truncated header");
            }
            if (isZero(h)) {
                checkTrailer(in, archive);
                return files;
            }
            if (++entries > limits.maxEntries()) {
                throw malformed(archive, "more than " + limits.maxEntries() + " entries");
            }
            TarEntry e = parseHeader(h, archive);
            if (e.name == null) {                     // "./" itself
                continue;
            }
            claim(seen, e.name, e.directory, archive);
            Path target = dest.resolve(e.name).normalize();
            if (!target.startsWith(dest) || target.equals(dest)) {
                throw new BundleRejected(BundleRejected.Reason.PATH_ESCAPE, e.name, "resolves outside the bundle");
            }
            if (e.directory) {
                Files.createDirectories(target);
                skip(in, padded(e.size), archive, e.name);
                continue;
            }
            total += e.size;
            if (total > limits.maxTotalBytes()) {
                throw malformed(archive, "content larger than the " + limits.maxTotalBytes() + "-byte cap");
            }
            Files.createDirectories(target.getParent());
            try (FileChannel ch = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_RW));
                 OutputStream out = Channels.newOutputStream(ch)) {
                copy(in, out, e.size, archive, e.name);
            }
            skip(in, padded(e.size) - e.size, archive, e.name);
            files.add(e.name);
        }
    }

    private record TarEntry(String name, long size, boolean directory) {
    }

    private static TarEntry parseHeader(byte[] h, String archive) throws BundleRejected {
        boolean posix = Arrays.equals(h, 257, 263, POSIX_MAGIC, 0, 6) && Arrays.equals(h, 263, 265, POSIX_VERSION, 0, 2);
        boolean gnu = Arrays.equals(h, 257, 265, GNU_MAGIC, 0, 8);
        if (!posix && !gnu) {
            throw malformed(archive, "not a ustar archive");
        }
        long stored = parseOctal(h, 148, 8, archive, "checksum");
        if (stored != checksum(h)) {
            throw malformed(archive, "header checksum mismatch");
        }
        String name = text(h, 0, 100, archive);
        if (posix && h[345] != 0) {
            // GNU headers use this area for other fields; only POSIX ustar has a name prefix.
            name = text(h, 345, 155, archive) + "/" + name;
        }
        char type = (char) h[156];
        String shown = name;
        switch (type) {
            case '0', '\0', '5' -> { }
            case '1' -> throw new BundleRejected(BundleRejected.Reason.PATH_ESCAPE, shown, "hard link entry");
            case '2' -> throw new BundleRejected(BundleRejected.Reason.PATH_ESCAPE, shown, "symbolic link entry");
            case '3', '4' -> throw new BundleRejected(BundleRejected.Reason.PATH_ESCAPE, shown, "device entry");
            case '6' -> throw new BundleRejected(BundleRejected.Reason.PATH_ESCAPE, shown, "fifo entry");
            default -> throw malformed(archive, "entry " + BundlePaths.oneLine(shown) + ": unsupported type '"
                    + BundlePaths.oneLine(String.valueOf(type)) + "' (pack bundles with vigie bundle pack)");
        }
        long size = parseOctal(h, 124, 12, archive, "size");
        boolean directory = type == '5';
        if (directory && name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        if (name.isEmpty() || name.equals(".")) {
            if (directory) {
                return new TarEntry(null, size, true);
            }
            throw new BundleRejected(BundleRejected.Reason.PATH_ESCAPE, shown, "file entry without a name");
        }
        BundlePaths.checkRelative(name);
        return new TarEntry(name, size, directory);
    }

    private enum Kind { FILE, DIRECTORY, IMPLIED_DIRECTORY }

    /**
     * Refuses a name seen before, a file under a name used as a file, and a file where a directory is. A
     * directory entry may come after files below it (it only confirms a directory already implied).
     */
    private static void claim(Map<String, Kind> seen, String name, boolean directory, String archive)
            throws BundleRejected {
        int slash = -1;
        while ((slash = name.indexOf('/', slash + 1)) > 0) {
            String parent = name.substring(0, slash);
            Kind k = seen.putIfAbsent(parent, Kind.IMPLIED_DIRECTORY);
            if (k == Kind.FILE) {
                throw malformed(archive, "entry " + BundlePaths.oneLine(name) + " is below file " + parent);
            }
        }
        Kind prev = seen.get(name);
        if (prev == null || (directory && prev == Kind.IMPLIED_DIRECTORY)) {
            seen.put(name, directory ? Kind.DIRECTORY : Kind.FILE);
            return;
        }
        throw malformed(archive, "duplicate entry " + BundlePaths.oneLine(name));
    }

    private static String text(byte[] h, int off, int len, String archive) throws BundleRejected {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(h, off, end - off)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(archive, "entry name is not UTF-8");
        }
    }

    /** Octal digits, optionally surrounded by spaces and ended by NUL or space; base-256 sizes are refused. */
    private static long parseOctal(byte[] h, int off, int len, String archive, String field) throws BundleRejected {
        if ((h[off] & 0x80) != 0) {
            throw malformed(archive, "binary " + field + " field (over 8 GiB?) is not supported");
        }
        int i = off;
        int end = off + len;
        while (i < end && h[i] == ' ') {
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < end && h[i] >= '0' && h[i] <= '7') {
            v = (v << 3) | (h[i] - '0');
            i++;
            digits++;
        }
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        if (digits == 0 || digits > 12 || i != end) {
            throw malformed(archive, "bad " + field + " field in a header");
        }
        return v;
    }

    private static void copy(InputStream in, OutputStream out, long size, String archive, String name)
            throws IOException, BundleRejected {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw malformed(archive, "entry " + BundlePaths.oneLine(name) + " runs past the end of the file");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n, String archive, String name) throws IOException, BundleRejected {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw malformed(archive, "entry " + BundlePaths.oneLine(name) + " runs past the end of the file");
        }
    }

    /** After the first zero block: tar pads to a record size with zeros; anything else was smuggled in. */
    private static void checkTrailer(InputStream in, String archive) throws IOException, BundleRejected {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != 0) {
                    throw malformed(archive, "data after the end-of-archive marker");
                }
            }
        }
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static BundleRejected malformed(String archive, String detail) {
        return new BundleRejected(BundleRejected.Reason.MALFORMED_ARCHIVE, archive, detail);
    }
}
