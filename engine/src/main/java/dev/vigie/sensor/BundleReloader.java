package dev.vigie.sensor;

import dev.vigie.bundle.BundleRejected;
import dev.vigie.bundle.BundleVerifier;
import dev.vigie.bundle.VerifiedBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Hot reload: turns a candidate bundle (offered by a watcher of the drop directory) into loaded models, or a
 * logged refusal. A bundle that fails verification (bad signature, tampered file, rollback, other schema...) or
 * cannot be loaded is refused with its reason, and the models in use keep running; both outcomes are logged and
 * counted. Runs on the loop's thread between batches, so verification time is paid there, once per new bundle.
 */
public final class BundleReloader implements Sensor.BundleSource {
    private final Supplier<Path> candidates;
    private final BundleVerifier verifier;
    private final String schemaHash;
    private final PrintWriter log;
    private long accepted;
    private long refused;

    /**
     * @param candidates a new candidate path each time one is ready, else null (a watcher of the drop place)
     * @param schemaHash the feature-schema hash of this build's extractor
     */
    public BundleReloader(Supplier<Path> candidates, BundleVerifier verifier, String schemaHash, PrintWriter log) {
        this.candidates = candidates;
        this.verifier = verifier;
        this.schemaHash = schemaHash;
        this.log = log;
    }

    @Override
    public ModelBundle poll() {
        Path candidate = candidates.get();
        if (candidate == null) {
            return null;
        }
        VerifiedBundle verified;
        try {
            verified = verifier.verify(candidate, schemaHash);
        } catch (BundleRejected e) {
            refused++;
            log.println("bundle refused: " + candidate + ": " + e.getMessage() + " (the current models keep running)");
            log.flush();
            return null;
        }
        try {
            ModelBundle loaded = ModelBundle.load(verified);
            accepted++;
            log.println("bundle accepted: " + candidate + ": " + loaded.label() + ", signed by " + loaded.signer()
                    + "; scoring with it from the next batch");
            log.flush();
            return loaded;
        } catch (BundleRejected e) {
            refused++;
            log.println("bundle refused: " + candidate + ": " + e.getMessage() + " (the current models keep running)");
        } catch (IOException | RuntimeException e) {
            refused++;
            log.println("bundle refused: " + candidate + ": cannot load its models: " + e.getMessage()
                    + " (the current models keep running)");
        }
        log.flush();
        return null;
    }

    public long accepted() {
        return accepted;
    }

    public long refused() {
        return refused;
    }
}
