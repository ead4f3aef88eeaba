package dev.vigie.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** Rules for the paths a bundle may contain, shared by the manifest checks, the directory walk and the tar reader. */
final class BundlePaths {
    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE = "manifest.sig";
    /** ustar can hold 155 + 1 + 100 bytes; staying under it keeps every valid bundle packable. */
    static final int MAX_PATH_BYTES = 255;

    private BundlePaths() {
    }

    /**
     * Refuses anything that is not a plain relative path below the bundle root: empty, absolute, {@code .} or
     * {@code ..} segments, empty segments, backslashes (a Windows separator on the signer's side), control
     * characters. Purely syntactic: called before any file is touched.
     */
    static void checkRelative(String path) throws BundleRejected {
        String problem = problem(path);
        if (problem != null) {
            throw new BundleRejected(BundleRejected.Reason.PATH_ESCAPE, path, problem);
        }
    }

    static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "empty path";
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            return "path longer than " + MAX_PATH_BYTES + " bytes";
        }
        if (path.startsWith("/")) {
            return "absolute path";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                return "backslash in path";
            }
            if (c < 0x20 || c == 0x7f) {
                return "control character in path";
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "empty path segment";
            }
            if (segment.equals("..")) {
                return "'..' segment escapes the bundle";
            }
            if (segment.equals(".")) {
                return "'.' segment";
            }
        }
        return null;
    }

    static boolean isReserved(String path) {
        return path.equals(MANIFEST) || path.equals(SIGNATURE);
    }

    /** The bundle-relative name of {@code file}, always with '/' separators. */
    static String relative(Path root, Path file) {
        Path rel = root.relativize(file);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /**
     * Makes text safe for a one-line message: file names come from hostile archives and a newline in one would
     * forge a second log line. Control characters become \\uXXXX and very long text is cut.
     */
    static String oneLine(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 400));
        for (int i = 0; i < text.length() && sb.length() < 400; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= 400) {
            sb.append("...");
        }
        return sb.toString();
    }

    /**
     * Every file below {@code dir} as a sorted relative path, walked without following links: a link, device or
     * other non-regular file, or a path a bundle may not hold, is an error naming it.
     */
    static List<String> regularFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a directory");
        }
        List<String> names = new ArrayList<>();
        Files.walkFileTree(dir, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        String rel = relative(dir, file);
                        if (!attrs.isRegularFile()) {
                            throw new IOException(rel + ": not a regular file (bundles hold no links or devices)");
                        }
                        String problem = problem(rel);
                        if (problem != null) {
                            throw new IOException(rel + ": " + problem);
                        }
                        names.add(rel);
                        return FileVisitResult.CONTINUE;
                    }
                });
        names.sort(null);
        return names;
    }
}
