package dev.vigie.sensor;

import dev.vigie.bundle.BundleManifest;
import dev.vigie.bundle.BundleRejected;
import dev.vigie.bundle.VerifiedBundle;
import dev.vigie.training.ModelIndex;
import dev.vigie.training.profiles.ProfileScorer;
import dev.vigie.training.scoring.OnnxScorer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The models a sensor scores with: a bundle that passed verification, its ONNX sessions, host profiles and
 * explainer. Everything the scorer reads came through {@link VerifiedBundle#readVerified}, so a file swapped
 * after verification is refused rather than loaded. Closed when a newer bundle replaces it.
 */
public final class ModelBundle implements AutoCloseable {
    private final VerifiedBundle verified;
    private final OnnxScorer scorer;
    private final ProfileScorer profiles;
    private final Explainer explainer;

    private ModelBundle(VerifiedBundle verified, OnnxScorer scorer, ProfileScorer profiles) {
        this.verified = verified;
        this.scorer = scorer;
        this.profiles = profiles;
        this.explainer = new Explainer(scorer.recipe());
    }

    /** Loads the models of a verified bundle; on failure the bundle is closed (its extraction removed). */
    public static ModelBundle load(VerifiedBundle verified) throws IOException, BundleRejected {
        OnnxScorer scorer = null;
        try {
            scorer = OnnxScorer.open(path -> {
                try {
                    return verified.readVerified(path);
                } catch (BundleRejected e) {
                    throw new UncheckedIOException(new IOException(e.getMessage(), e));
                }
            }, verified.root().toString());
            ModelIndex index = scorer.index();
            ProfileScorer profiles = index.profiles() == null ? null
                    : ProfileScorer.load(verified.root().resolve(index.profiles()), index.profileRules());
            return new ModelBundle(verified, scorer, profiles);
        } catch (UncheckedIOException e) {
            cleanup(verified, scorer);
            if (e.getCause().getCause() instanceof BundleRejected r) {
                throw r;
            }
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            cleanup(verified, scorer);
            throw e;
        }
    }

    private static void cleanup(VerifiedBundle verified, OnnxScorer scorer) {
        if (scorer != null) {
            scorer.close();
        }
        try {
            verified.close();
        } catch (IOException ignored) {
            // best effort: a temporary extraction directory left behind is harmless
        }
    }

    OnnxScorer scorer() {
        return scorer;
    }

    /** Where {@code vigie train --assets} puts the site's reference inventory inside a bundle. */
    public static final String ASSET_REFERENCE = "assets/reference.parquet";

    /**
     * The bundle's reference asset inventory, or null when it has none. Read through the verified copy (hash
     * checked at read time) into a temporary file, so the inventory used is the one the site signed.
     */
    public dev.vigie.assets.Inventory assetReference() throws IOException {
        if (!verified.files().containsKey(ASSET_REFERENCE)) return null;
        byte[] bytes;
        try {
            bytes = verified.readVerified(ASSET_REFERENCE);
        } catch (dev.vigie.bundle.BundleRejected e) {
            throw new IOException(ASSET_REFERENCE + ": " + e.getMessage(), e);
        }
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("vigie-assets-", ".parquet");
        try {
            java.nio.file.Files.write(tmp, bytes);
            return dev.vigie.assets.Inventory.load(tmp).renamed(label() + " " + ASSET_REFERENCE);
        } catch (dev.vigie.assets.Inventory.InvalidInventory e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    /** Host profiles of the bundle, or null when it has none. */
    ProfileScorer profiles() {
        return profiles;
    }

    Explainer explainer() {
        return explainer;
    }

    BundleManifest manifest() {
        return verified.manifest();
    }

    public String site() {
        return verified.manifest().site();
    }

    public long version() {
        return verified.manifest().bundleVersion();
    }

    /** Short identity for alerts and logs: site, version and the first hex digits of the manifest hash. */
    public String label() {
        return site() + " v" + version() + " (" + verified.manifestSha256().substring(0, 12) + ")";
    }

    public String signer() {
        return verified.signer().name();
    }

    @Override
    public void close() {
        cleanup(verified, scorer);
    }
}
