package dev.vigie.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns a directory of model files and tables into an (unsigned) bundle: hashes every file in it, writes
 * manifest.json atomically and removes any manifest.sig, which no longer matches. Used by training; the
 * directory must already hold exactly the files the bundle is to have.
 * <p>
 * Mutable while being filled in; {@link #write()} produces the immutable {@link BundleManifest}.
 */
public final class BundleBuilder {
    private final Path dir;
    private String site;
    private long bundleVersion;
    private Instant createdAt;
    private String featureSchemaHash;
    private final List<FeatureSpec> features = new ArrayList<>();
    private final List<ModelSpec> models = new ArrayList<>();
    private final Map<String, Double> thresholds = new TreeMap<>();
    private ObjectNode training = BundleManifest.emptyTraining();

    public BundleBuilder(Path dir) {
        this.dir = Objects.requireNonNull(dir);
    }

    public BundleBuilder site(String site) {
        this.site = site;
        return this;
    }

    public BundleBuilder bundleVersion(long bundleVersion) {
        this.bundleVersion = bundleVersion;
        return this;
    }

    /** Defaults to now, to the second. */
    public BundleBuilder createdAt(Instant createdAt) {
        this.createdAt = createdAt;
        return this;
    }

    public BundleBuilder featureSchemaHash(String featureSchemaHash) {
        this.featureSchemaHash = featureSchemaHash;
        return this;
    }

    public BundleBuilder feature(FeatureSpec feature) {
        features.add(Objects.requireNonNull(feature));
        return this;
    }

    public BundleBuilder model(ModelSpec model) {
        models.add(Objects.requireNonNull(model));
        return this;
    }

    public BundleBuilder threshold(String name, double value) {
        thresholds.put(name, value);
        return this;
    }

    public BundleBuilder training(ObjectNode training) {
        this.training = training.deepCopy();
        return this;
    }

    /** The manifest for the directory as it is now; nothing is written. */
    public BundleManifest manifest() throws IOException {
        Instant at = createdAt != null ? createdAt : Instant.now();
        return new BundleManifest(BundleManifest.CURRENT_FORMAT, site, bundleVersion,
                at.truncatedTo(ChronoUnit.SECONDS).toString(), featureSchemaHash, features, models, thresholds,
                hashFiles(dir), training);
    }

    /** Hashes the directory, writes manifest.json and deletes a stale manifest.sig (first, so a crash leaves an
     * unsigned bundle rather than a mis-signed one). */
    public BundleManifest write() throws IOException {
        BundleManifest manifest = manifest();
        Files.deleteIfExists(dir.resolve(BundlePaths.SIGNATURE));
        AtomicFiles.write(dir.resolve(BundlePaths.MANIFEST), ManifestJson.canonicalBytes(manifest),
                AtomicFiles.WORLD_READABLE);
        return manifest;
    }

    static Map<String, FileEntry> hashFiles(Path dir) throws IOException {
        Map<String, FileEntry> files = new TreeMap<>();
        for (String rel : BundlePaths.regularFiles(dir)) {
            if (!BundlePaths.isReserved(rel)) {
                files.put(rel, hash(dir.resolve(rel)));
            }
        }
        return files;
    }

    static FileEntry hash(Path file) throws IOException {
        MessageDigest md = BundleVerifier.sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                size += n;
            }
        }
        return new FileEntry(BundleVerifier.hex(md.digest()), size);
    }
}
