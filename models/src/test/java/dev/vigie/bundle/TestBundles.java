package dev.vigie.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Builds small but realistic bundles for the tests, and the tampering helpers. */
final class TestBundles {
    static final String SCHEMA = "5c".repeat(32);
    static final String OTHER_SCHEMA = "7e".repeat(32);
    static final KeyPair KEY = Ed25519Keys.generate();
    static final KeyPair OTHER_KEY = Ed25519Keys.generate();

    private TestBundles() {
    }

    static TrustStore trust() {
        return TrustStore.of(Map.of("ops.pub", KEY.getPublic()));
    }

    /** A signed bundle in {@code dir}: two ONNX models, a profile table, a nested directory. */
    static BundleManifest signed(Path dir, String site, long version) throws Exception {
        BundleManifest m = unsigned(dir, site, version);
        BundleSigner.sign(dir, KEY.getPrivate(), KEY.getPublic());
        return m;
    }

    static BundleManifest unsigned(Path dir, String site, long version) throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Files.createDirectories(dir.resolve("profiles/hosts"));
        Files.write(dir.resolve("models/iforest.onnx"), bytes(4000, 1));
        Files.write(dir.resolve("models/kmeans.onnx"), bytes(1500, 2));
        Files.write(dir.resolve("profiles/hosts/servers.parquet"), bytes(700, 3));
        ObjectNode training = BundleManifest.emptyTraining();
        training.put("seed", 42).put("rows", 1_000_000).put("tribuo", "4.3.2");
        training.putObject("data").put("sha256", "ab".repeat(32)).put("from", "2025-01-01T00:00:00Z");
        return new BundleBuilder(dir)
                .site(site)
                .bundleVersion(version)
                .createdAt(Instant.parse("2025-11-28T10:15:30Z"))
                .featureSchemaHash(SCHEMA)
                .feature(new FeatureSpec("duration", "log1p", Map.of()))
                .feature(new FeatureSpec("bytes_out", "robust_scale", Map.of("median", 512.0, "iqr", 1.5e3)))
                .feature(FeatureSpec.of("dst_port_entropy", "identity"))
                .model(new ModelSpec("iforest_all", "isolation_forest", "models/iforest.onnx",
                        List.of("duration", "bytes_out", "dst_port_entropy"), 0.62, "all"))
                .model(new ModelSpec("kmeans_servers", "kmeans", "models/kmeans.onnx",
                        List.of("bytes_out", "duration"), 3.25, "servers"))
                .threshold("alert_combined", 0.9)
                .training(training)
                .write();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed * 7 + (i >> 3));
        }
        return b;
    }

    /**
     * Rewrites manifest.json after {@code edit} and signs it with {@code key} directly (not through BundleSigner,
     * whose integrity checks would refuse hostile content): the tamper tests need validly signed bad manifests.
     */
    static void editAndSign(Path dir, KeyPair key, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode tree = (ObjectNode) ManifestJson.MAPPER.readTree(Files.readAllBytes(dir.resolve("manifest.json")));
        edit.accept(tree);
        byte[] canonical = CanonicalJson.toBytes(tree);
        Files.write(dir.resolve("manifest.json"), canonical);
        signRaw(dir, key, canonical);
    }

    static void signRaw(Path dir, KeyPair key, byte[] canonical) throws GeneralSecurityException, IOException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(canonical);
        String sig = "{\"algorithm\":\"ed25519\",\"keyId\":\"" + Ed25519Keys.keyId(key.getPublic())
                + "\",\"signature\":\"" + Base64.getEncoder().encodeToString(s.sign()) + "\"}";
        Files.writeString(dir.resolve("manifest.sig"), sig, StandardCharsets.UTF_8);
    }

    static ObjectNode files(JsonNode tree) {
        return (ObjectNode) tree.get("files");
    }
}
