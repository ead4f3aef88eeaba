package dev.vigie.bundle;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reading and writing manifest-like JSON (manifest.json, manifest.sig, the rollback state) strictly: duplicate
 * keys, trailing content, unknown properties, missing or null fields, and silent coercions (7.5 read as 7, "7" as
 * 7) are all errors, because a lenient reader is a second interpretation of signed bytes.
 */
public final class ManifestJson {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ManifestJson() {
    }

    /** Parses any JSON document into a tree, strictly; {@code file} names it in the rejection. */
    static JsonNode parseTree(byte[] bytes, String file) throws BundleRejected {
        try {
            JsonNode tree = MAPPER.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw new BundleRejected(BundleRejected.Reason.MALFORMED_MANIFEST, file, "not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new BundleRejected(BundleRejected.Reason.MALFORMED_MANIFEST, file, "not valid JSON: "
                    + describe(e), e);
        }
    }

    /** The exact bytes a signature covers (RFC 8785 form of the tree). */
    static byte[] canonical(JsonNode tree, String file) throws BundleRejected {
        try {
            return CanonicalJson.toBytes(tree);
        } catch (CanonicalJson.NotCanonicalizable e) {
            throw new BundleRejected(BundleRejected.Reason.MALFORMED_MANIFEST, file, e.getMessage(), e);
        }
    }

    /** Binds a typed value from JSON bytes, strictly. */
    static <T> T bind(byte[] json, Class<T> type, String file) throws BundleRejected {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new BundleRejected(BundleRejected.Reason.MALFORMED_MANIFEST, file, describe(e), e);
        }
    }

    /** Canonical bytes of a typed value; it was built through validating constructors, so it always fits. */
    public static byte[] canonicalBytes(Object value) {
        try {
            return CanonicalJson.toBytes(MAPPER.valueToTree(value));
        } catch (CanonicalJson.NotCanonicalizable e) {
            throw new IllegalArgumentException("value has no canonical JSON form: " + e.getMessage(), e);
        }
    }

    /**
     * Parses manifest.json bytes without any verification: for {@code vigie bundle inspect} and the signer, never
     * for loading models.
     */
    public static BundleManifest parseUnverified(byte[] bytes) throws BundleRejected {
        JsonNode tree = parseTree(bytes, BundlePaths.MANIFEST);
        checkFormat(tree);
        return bind(canonical(tree, BundlePaths.MANIFEST), BundleManifest.class, BundlePaths.MANIFEST);
    }

    /** Reads manifest.sig strictly; anything that is not one signature record is a BAD_SIGNATURE. */
    public static ManifestSignature parseSignature(byte[] bytes) throws BundleRejected {
        try {
            return MAPPER.readValue(bytes, ManifestSignature.class);
        } catch (IOException e) {
            throw new BundleRejected(BundleRejected.Reason.BAD_SIGNATURE, BundlePaths.SIGNATURE,
                    "not a signature file: " + describe(e), e);
        }
    }

    /** Refuses a format we do not know before binding: a newer layout would otherwise look merely malformed. */
    static void checkFormat(JsonNode tree) throws BundleRejected {
        JsonNode v = tree.get("formatVersion");
        if (v == null || !v.isIntegralNumber()) {
            throw new BundleRejected(BundleRejected.Reason.MALFORMED_MANIFEST, BundlePaths.MANIFEST,
                    "formatVersion is missing or not an integer");
        }
        if (!v.canConvertToInt() || v.intValue() != BundleManifest.CURRENT_FORMAT) {
            throw new BundleRejected(BundleRejected.Reason.UNKNOWN_FORMAT, BundlePaths.MANIFEST,
                    "formatVersion " + v.asText() + " is not supported (this build reads "
                            + BundleManifest.CURRENT_FORMAT + ")");
        }
    }

    static String toPrettyString(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A short, one-line reason with the JSON path of the offending value ("models[0].threshold: ..."), instead of
     * Jackson's message with class names, configuration hints and a source excerpt.
     */
    static String describe(IOException e) {
        String path = "";
        if (e instanceof JsonMappingException jm) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference ref : jm.getPath()) {
                if (ref.getFieldName() != null) {
                    sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            }
            path = sb.length() == 0 ? "" : sb + ": ";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return path + "unknown field (only training may hold free-form fields)";
        }
        Throwable cause = e.getCause();
        if (e instanceof JsonMappingException && cause instanceof IllegalArgumentException) {
            return path + cause.getMessage();
        }
        if (e instanceof JsonMappingException && cause instanceof NullPointerException) {
            return path + "null where a value is required";
        }
        String m = e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return path + e.getClass().getSimpleName();
        }
        if (m.startsWith("Missing creator property '")) {
            return path.isEmpty() ? "missing field '" + m.substring(26, m.indexOf('\'', 26)) + "'" : path + "missing";
        }
        for (String noise : new String[] {"; `DeserializationFeature", " (set DeserializationConfig", " (but ",
                " (class ", "\n"}) {
            int i = m.indexOf(noise);
            if (i > 0) {
                m = m.substring(0, i);
            }
        }
        return path + m;
    }
}
