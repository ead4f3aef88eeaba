package dev.vigie.bundle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a bundle contains and what it was built for; {@code manifest.json} is this record as canonical JSON
 * ({@link CanonicalJson}) and {@code manifest.sig} signs those bytes. Field meanings are in docs/bundle.md.
 * <p>
 * The record checks its own consistency (unique names, models pointing at listed files and declared features,
 * finite numbers) but not path syntax: a hostile path must be reported as PATH_ESCAPE by the verifier, not
 * disappear into a generic "malformed" error while binding. Unknown fields are refused everywhere except inside
 * {@code training}, which is free-form provenance that training tools own.
 *
 * @param formatVersion     layout of this record; only {@link #CURRENT_FORMAT} is understood
 * @param site              the site the models were trained for; rollback protection is kept per site
 * @param bundleVersion     monotonic per site; a sensor refuses anything lower than what it has accepted
 * @param createdAt         ISO-8601 UTC instant ending in {@code Z}
 * @param featureSchemaHash lower-case hex hash of the feature extractor's schema the models were trained with
 * @param features          model inputs and their transforms, in extractor order
 * @param models            scoring models (ONNX files)
 * @param thresholds        named thresholds that are not one model's own (e.g. combined or per-group alert levels)
 * @param files             every file of the bundle except manifest.json and manifest.sig, by '/'-separated path
 * @param training          free-form training summary: data hashes, row counts, seed, library versions, ...
 */
public record BundleManifest(int formatVersion, String site, long bundleVersion, String createdAt,
                             String featureSchemaHash, List<FeatureSpec> features, List<ModelSpec> models,
                             Map<String, Double> thresholds, Map<String, FileEntry> files, ObjectNode training) {

    public static final int CURRENT_FORMAT = 1;
    static final Pattern SITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern SCHEMA_HASH = Pattern.compile("[0-9a-f]{16,128}");

    public BundleManifest {
        if (formatVersion != CURRENT_FORMAT) {
            throw new IllegalArgumentException("formatVersion must be " + CURRENT_FORMAT + ", got " + formatVersion);
        }
        if (site == null || !SITE.matcher(site).matches()) {
            throw new IllegalArgumentException("site must match " + SITE.pattern());
        }
        if (bundleVersion < 1 || bundleVersion > CanonicalJson.MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("bundleVersion must be between 1 and 2^53-1, got " + bundleVersion);
        }
        createdAtInstant(createdAt);
        if (featureSchemaHash == null || !SCHEMA_HASH.matcher(featureSchemaHash).matches()) {
            throw new IllegalArgumentException("featureSchemaHash must be 16 to 128 lower-case hex digits");
        }
        features = List.copyOf(Manifests.require(features, "features"));
        models = List.copyOf(Manifests.require(models, "models"));
        thresholds = Manifests.finiteMap(thresholds, "thresholds");
        Manifests.require(files, "files");
        TreeMap<String, FileEntry> sortedFiles = new TreeMap<>();
        for (Map.Entry<String, FileEntry> e : files.entrySet()) {
            sortedFiles.put(Manifests.require(e.getKey(), "a file path"),
                    Manifests.require(e.getValue(), "entry of file " + e.getKey()));
        }
        files = Collections.unmodifiableMap(sortedFiles);
        training = Manifests.require(training, "training").deepCopy();

        Set<String> featureNames = new HashSet<>();
        for (FeatureSpec f : features) {
            if (!featureNames.add(f.name())) {
                throw new IllegalArgumentException("feature " + f.name() + " is declared twice");
            }
        }
        Set<String> modelNames = new HashSet<>();
        for (ModelSpec m : models) {
            if (!modelNames.add(m.name())) {
                throw new IllegalArgumentException("model " + m.name() + " is declared twice");
            }
            if (!files.containsKey(m.file())) {
                throw new IllegalArgumentException("model " + m.name() + " uses " + m.file() + ", not in files");
            }
            for (String input : m.inputFeatures()) {
                if (!featureNames.contains(input)) {
                    throw new IllegalArgumentException("model " + m.name() + " reads undeclared feature " + input);
                }
            }
        }
    }

    /** A copy: the record stays immutable although Jackson's tree nodes are not. */
    @Override
    public ObjectNode training() {
        return training.deepCopy();
    }

    public Instant createdAtInstant() {
        return createdAtInstant(createdAt);
    }

    /** Sum of the sizes of all listed files. */
    public long totalSize() {
        long total = 0;
        for (FileEntry e : files.values()) {
            total += e.size();
        }
        return total;
    }

    public static ObjectNode emptyTraining() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static Instant createdAtInstant(String createdAt) {
        if (createdAt == null || !createdAt.endsWith("Z")) {
            throw new IllegalArgumentException("createdAt must be an ISO-8601 UTC instant ending in Z");
        }
        try {
            return Instant.parse(createdAt);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("createdAt is not an ISO-8601 instant: " + createdAt);
        }
    }
}
