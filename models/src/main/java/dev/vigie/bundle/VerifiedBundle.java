package dev.vigie.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bundle that passed every check of {@link BundleVerifier}. Only the verifier can make one, so holding one is
 * the proof; everything in it is immutable.
 * <p>
 * The files are where verification read them. For a directory bundle someone with write access to it could still
 * change a file afterwards: loaders that read a file into memory should use {@link #readVerified}, which checks
 * the bytes they got against the manifest again. A tar bundle is extracted into a private (0700) temporary
 * directory that {@link #close()} deletes.
 */
public final class VerifiedBundle implements AutoCloseable {
    private final BundleManifest manifest;
    private final Path root;
    private final Map<String, Path> files;
    private final String manifestSha256;
    private final TrustStore.TrustedKey signer;
    private final boolean schemaChecked;
    private final boolean extracted;

    VerifiedBundle(BundleManifest manifest, Path root, String manifestSha256, TrustStore.TrustedKey signer,
                   boolean schemaChecked, boolean extracted) {
        this.manifest = manifest;
        this.root = root;
        Map<String, Path> f = new TreeMap<>();
        for (String p : manifest.files().keySet()) {
            f.put(p, root.resolve(p));
        }
        this.files = Collections.unmodifiableMap(f);
        this.manifestSha256 = manifestSha256;
        this.signer = signer;
        this.schemaChecked = schemaChecked;
        this.extracted = extracted;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** The bundle directory: the one given, or the private extraction directory of a tar. */
    public Path root() {
        return root;
    }

    /** Every listed file, by its manifest path. */
    public Map<String, Path> files() {
        return files;
    }

    /** The resolved path of a listed file; an unlisted name is a programming error. */
    public Path file(String path) {
        Path p = files.get(path);
        if (p == null) {
            throw new IllegalArgumentException(path + " is not a file of this bundle");
        }
        return p;
    }

    /** SHA-256 of the canonical manifest: identifies this exact bundle (and is what rollback state records). */
    public String manifestSha256() {
        return manifestSha256;
    }

    public TrustStore.TrustedKey signer() {
        return signer;
    }

    /** False when verification ran without a feature-schema hash to compare with (see BundleVerifier). */
    public boolean schemaChecked() {
        return schemaChecked;
    }

    /** True if this bundle came from a tar and lives in a temporary directory that {@link #close()} removes. */
    public boolean extracted() {
        return extracted;
    }

    /** Reads a listed file and checks its bytes against the manifest again, closing the window since verification. */
    public byte[] readVerified(String path) throws IOException, BundleRejected {
        Path p = file(path);
        FileEntry entry = manifest.files().get(path);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            if (entry.size() > Integer.MAX_VALUE - 8) {
                throw new IOException(path + ": too large to read into memory");
            }
            bytes = in.readNBytes((int) entry.size() + 1);
        }
        byte[] sha = BundleVerifier.sha256().digest(bytes);
        if (bytes.length != entry.size() || !MessageDigest.isEqual(sha, HexFormat.of().parseHex(entry.sha256()))) {
            throw new BundleRejected(BundleRejected.Reason.HASH_MISMATCH, path,
                    "changed since verification");
        }
        return bytes;
    }

    /** Deletes the extraction directory of a tar bundle; nothing for a directory bundle. */
    @Override
    public void close() throws IOException {
        if (extracted) {
            deleteTree(root);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public String toString() {
        return "VerifiedBundle[site=" + manifest.site() + ", version=" + manifest.bundleVersion() + ", root=" + root
                + "]";
    }
}
