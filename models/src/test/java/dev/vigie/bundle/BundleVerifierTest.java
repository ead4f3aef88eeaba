package dev.vigie.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static dev.vigie.bundle.BundleRejected.Reason;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleVerifierTest {
    @TempDir
    Path tmp;
    Path bundle;
    RollbackState state;

    @BeforeEach
    void setUp() throws Exception {
        bundle = tmp.resolve("bundle");
        TestBundles.signed(bundle, "chu-nord", 7);
        state = RollbackState.at(tmp.resolve("state/accepted-versions.json"));
    }

    private VerifiedBundle verify() throws BundleRejected {
        return BundleVerifier.verify(bundle, TestBundles.trust(), TestBundles.SCHEMA, state);
    }

    private BundleRejected refused(Reason expected) {
        BundleRejected e = assertThrows(BundleRejected.class, this::verify);
        assertEquals(expected, e.reason(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void acceptsAnUntouchedSignedBundleAndRecordsItsVersion() throws Exception {
        try (VerifiedBundle v = verify()) {
            assertEquals("chu-nord", v.manifest().site());
            assertEquals(7, v.manifest().bundleVersion());
            assertEquals(Set.of("models/iforest.onnx", "models/kmeans.onnx", "profiles/hosts/servers.parquet"),
                    v.files().keySet());
            assertEquals(bundle.toRealPath().resolve("models/kmeans.onnx"), v.file("models/kmeans.onnx"));
            assertTrue(v.schemaChecked());
            assertFalse(v.extracted());
            assertEquals("ops.pub", v.signer().name());
            assertArrayEquals(TestBundles.bytes(1500, 2), v.readVerified("models/kmeans.onnx"));
            assertEquals(7, state.accepted("chu-nord").orElseThrow().version());
            assertEquals(v.manifestSha256(), state.accepted("chu-nord").orElseThrow().manifestSha256());
        }
    }

    @Test
    void signatureCoversTheCanonicalFormSoReformattingTheManifestIsHarmless() throws Exception {
        Path mf = bundle.resolve("manifest.json");
        Files.writeString(mf, ManifestJson.toPrettyString(ManifestJson.MAPPER.readTree(Files.readAllBytes(mf))));
        try (VerifiedBundle v = verify()) {
            assertEquals(7, v.manifest().bundleVersion());
        }
    }

    @Test
    void unknownFieldsAreToleratedInsideTraining() throws Exception {
        TestBundles.editAndSign(bundle, TestBundles.KEY,
                t -> ((ObjectNode) t.get("training")).putObject("new_tool").put("anything", true));
        try (VerifiedBundle v = verify()) {
            assertTrue(v.manifest().training().get("new_tool").get("anything").asBoolean());
        }
    }

    // --- one test per refusal reason -------------------------------------------------------------------------

    @Test
    void noSignature() throws Exception {
        Files.delete(bundle.resolve("manifest.sig"));
        assertEquals("manifest.sig", refused(Reason.NO_SIGNATURE).file());
    }

    @Test
    void badSignatureWhenTheManifestChangedAfterSigning() throws Exception {
        Path mf = bundle.resolve("manifest.json");
        Files.writeString(mf, Files.readString(mf).replace("\"threshold\":0.62", "\"threshold\":0.99"));
        assertEquals("manifest.json", refused(Reason.BAD_SIGNATURE).file());
    }

    @Test
    void badSignatureWhenTheSignatureBytesChanged() throws Exception {
        Path sig = bundle.resolve("manifest.sig");
        ManifestSignature s = ManifestJson.MAPPER.readValue(Files.readAllBytes(sig), ManifestSignature.class);
        byte[] raw = java.util.Base64.getDecoder().decode(s.signature());
        raw[10] ^= 1;
        Files.write(sig, ManifestJson.canonicalBytes(new ManifestSignature(s.algorithm(), s.keyId(),
                java.util.Base64.getEncoder().encodeToString(raw))));
        refused(Reason.BAD_SIGNATURE);
    }

    @Test
    void badSignatureWhenTheSignatureFileIsGarbage() throws Exception {
        Files.writeString(bundle.resolve("manifest.sig"), "not json");
        assertEquals("manifest.sig", refused(Reason.BAD_SIGNATURE).file());
    }

    @Test
    void untrustedKey() throws Exception {
        BundleSigner.sign(bundle, TestBundles.OTHER_KEY.getPrivate(), TestBundles.OTHER_KEY.getPublic());
        BundleRejected e = refused(Reason.UNTRUSTED_KEY);
        assertTrue(e.getMessage().contains(Ed25519Keys.keyId(TestBundles.OTHER_KEY.getPublic())), e.getMessage());
    }

    @Test
    void untrustedKeyIsReportedBeforeTheManifestIsEvenParsed() throws Exception {
        BundleSigner.sign(bundle, TestBundles.OTHER_KEY.getPrivate(), TestBundles.OTHER_KEY.getPublic());
        Files.writeString(bundle.resolve("manifest.json"), "{{{ not json");
        refused(Reason.UNTRUSTED_KEY);
    }

    @Test
    void hashMismatchWhenOneByteOfAModelFlips() throws Exception {
        Path model = bundle.resolve("models/iforest.onnx");
        byte[] b = Files.readAllBytes(model);
        b[1234] ^= 0x01;
        Files.write(model, b);
        assertEquals("models/iforest.onnx", refused(Reason.HASH_MISMATCH).file());
    }

    @Test
    void hashMismatchWhenAFileGrew() throws Exception {
        Files.write(bundle.resolve("profiles/hosts/servers.parquet"), new byte[1],
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals("profiles/hosts/servers.parquet", refused(Reason.HASH_MISMATCH).file());
    }

    @Test
    void missingFile() throws Exception {
        Files.delete(bundle.resolve("models/kmeans.onnx"));
        assertEquals("models/kmeans.onnx", refused(Reason.MISSING_FILE).file());
    }

    @Test
    void missingManifest() throws Exception {
        Files.delete(bundle.resolve("manifest.json"));
        assertEquals("manifest.json", refused(Reason.MISSING_FILE).file());
    }

    @Test
    void extraFile() throws Exception {
        Files.writeString(bundle.resolve("models/backdoor.onnx"), "x");
        assertEquals("models/backdoor.onnx", refused(Reason.EXTRA_FILE).file());
    }

    @Test
    void pathEscapeWithDotDotInASignedManifest() throws Exception {
        Files.writeString(tmp.resolve("x"), "outside");
        TestBundles.editAndSign(bundle, TestBundles.KEY, t -> TestBundles.files(t).putObject("../x")
                .put("sha256", "00".repeat(32)).put("size", 7));
        assertEquals("../x", refused(Reason.PATH_ESCAPE).file());
    }

    @Test
    void pathEscapeWithAnAbsolutePath() throws Exception {
        TestBundles.editAndSign(bundle, TestBundles.KEY, t -> TestBundles.files(t).putObject("/etc/passwd")
                .put("sha256", "00".repeat(32)).put("size", 7));
        assertEquals("/etc/passwd", refused(Reason.PATH_ESCAPE).file());
    }

    @Test
    void pathEscapeWithASymlinkedModel() throws Exception {
        Path model = bundle.resolve("models/kmeans.onnx");
        Path outside = tmp.resolve("kmeans-copy.onnx");
        Files.move(model, outside);
        Files.createSymbolicLink(model, outside);   // same bytes, so only the link itself is wrong
        assertEquals("models/kmeans.onnx", refused(Reason.PATH_ESCAPE).file());
    }

    @Test
    void pathEscapeWithASymlinkedDirectory() throws Exception {
        Path dir = bundle.resolve("profiles/hosts");
        Path outside = tmp.resolve("hosts");
        Files.move(dir, outside);
        Files.createSymbolicLink(dir, outside);
        assertEquals("profiles/hosts", refused(Reason.PATH_ESCAPE).file());
    }

    @Test
    void schemaMismatch() throws Exception {
        BundleRejected e = assertThrows(BundleRejected.class, () ->
                BundleVerifier.verify(bundle, TestBundles.trust(), TestBundles.OTHER_SCHEMA, state));
        assertEquals(Reason.SCHEMA_MISMATCH, e.reason());
        assertTrue(state.accepted("chu-nord").isEmpty(), "a refused bundle is never recorded");
    }

    @Test
    void rollbackAfterAHigherVersionWasAccepted() throws Exception {
        Path v9 = tmp.resolve("v9");
        TestBundles.signed(v9, "chu-nord", 9);
        BundleVerifier.verify(v9, TestBundles.trust(), TestBundles.SCHEMA, state).close();
        BundleRejected e = refused(Reason.ROLLBACK);
        assertTrue(e.getMessage().contains("lower than version 9"), e.getMessage());
        assertEquals(9, state.accepted("chu-nord").orElseThrow().version());
    }

    @Test
    void sameVersionAgainIsAcceptedOnlyWithTheSameManifest() throws Exception {
        verify().close();
        verify().close(); // a restart reloading the installed bundle
        TestBundles.editAndSign(bundle, TestBundles.KEY, t -> t.put("createdAt", "2025-12-01T00:00:00Z"));
        BundleRejected e = refused(Reason.ROLLBACK);
        assertTrue(e.getMessage().contains("different manifest"), e.getMessage());
    }

    @Test
    void rollbackIsTrackedPerSite() throws Exception {
        Path other = tmp.resolve("other-site");
        TestBundles.signed(other, "chu-sud", 20);
        BundleVerifier.verify(other, TestBundles.trust(), TestBundles.SCHEMA, state).close();
        verify().close();
    }

    @Test
    void unknownFormat() throws Exception {
        TestBundles.editAndSign(bundle, TestBundles.KEY, t -> t.put("formatVersion", 2).put("newField", 1));
        refused(Reason.UNKNOWN_FORMAT);
    }

    @Test
    void malformedManifestWithAnUnknownTopLevelField() throws Exception {
        TestBundles.editAndSign(bundle, TestBundles.KEY, t -> t.put("thresholdz", 1));
        refused(Reason.MALFORMED_MANIFEST);
    }

    @Test
    void malformedManifestWithAMissingField() throws Exception {
        TestBundles.editAndSign(bundle, TestBundles.KEY, t -> t.remove("site"));
        refused(Reason.MALFORMED_MANIFEST);
    }

    @Test
    void malformedManifestWithAModelOnAnUnlistedFile() throws Exception {
        TestBundles.editAndSign(bundle, TestBundles.KEY, t -> ((ObjectNode) t.get("models").get(0))
                .put("file", "models/elsewhere.onnx"));
        refused(Reason.MALFORMED_MANIFEST);
    }

    @Test
    void malformedManifestWithDuplicateKeysIsNotSilentlyResolved() throws Exception {
        Path mf = bundle.resolve("manifest.json");
        String json = Files.readString(mf);
        Files.writeString(mf, json.replaceFirst("\\{", "{\"site\":\"evil\","));
        refused(Reason.MALFORMED_MANIFEST);
    }

    @Test
    void unreadableWhenTheBundleDoesNotExist() {
        BundleRejected e = assertThrows(BundleRejected.class, () -> BundleVerifier.verify(tmp.resolve("nope"),
                TestBundles.trust(), TestBundles.SCHEMA, state));
        assertEquals(Reason.UNREADABLE, e.reason());
    }

    @Test
    void stateUnusableWhenTheStateFileIsCorrupt() throws Exception {
        Files.createDirectories(state.file().getParent());
        Files.writeString(state.file(), "{\"formatVersion\":1,\"sites\":{\"chu-nord\":");
        refused(Reason.STATE_UNUSABLE);
    }

    @Test
    void malformedArchive() throws Exception {
        Path tar = tmp.resolve("b.tar");
        Files.write(tar, new byte[700]);
        Files.write(tar, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        BundleRejected e = assertThrows(BundleRejected.class,
                () -> BundleVerifier.verify(tar, TestBundles.trust(), TestBundles.SCHEMA, state));
        assertEquals(Reason.MALFORMED_ARCHIVE, e.reason(), e.getMessage());
    }

    // --- tar bundles -------------------------------------------------------------------------------------------

    @Test
    void tarBundleIsExtractedPrivatelyAndRemovedOnClose() throws Exception {
        Path tar = tmp.resolve("bundle.tar");
        BundleTar.pack(bundle, tar);
        Path work = tmp.resolve("work");
        VerifiedBundle v = new BundleVerifier(TestBundles.trust(), state, BundleLimits.DEFAULT, work)
                .verify(tar, TestBundles.SCHEMA);
        assertTrue(v.extracted());
        assertTrue(v.root().startsWith(work));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(v.root())));
        assertArrayEquals(TestBundles.bytes(4000, 1), Files.readAllBytes(v.file("models/iforest.onnx")));
        v.close();
        assertFalse(Files.exists(v.root()));
    }

    @Test
    void refusedTarLeavesNoExtractionBehind() throws Exception {
        Files.writeString(bundle.resolve("extra.txt"), "x");
        Path tar = tmp.resolve("bundle.tar");
        BundleTar.pack(bundle, tar);
        Path work = tmp.resolve("work");
        BundleRejected e = assertThrows(BundleRejected.class, () ->
                new BundleVerifier(TestBundles.trust(), state, BundleLimits.DEFAULT, work)
                        .verify(tar, TestBundles.SCHEMA));
        assertEquals(Reason.EXTRA_FILE, e.reason());
        try (var s = Files.list(work)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void readVerifiedNoticesAFileChangedAfterVerification() throws Exception {
        try (VerifiedBundle v = verify()) {
            Files.write(v.file("models/kmeans.onnx"), TestBundles.bytes(1500, 9));
            BundleRejected e = assertThrows(BundleRejected.class, () -> v.readVerified("models/kmeans.onnx"));
            assertEquals(Reason.HASH_MISMATCH, e.reason());
        }
    }

    @Test
    void skippingTheSchemaCheckIsExplicitAndVisible() throws Exception {
        assertThrows(NullPointerException.class, () ->
                new BundleVerifier(TestBundles.trust(), state).verify(bundle, null));
        try (VerifiedBundle v = new BundleVerifier(TestBundles.trust(), state).verifyWithoutSchemaCheck(bundle)) {
            assertFalse(v.schemaChecked());
        }
    }

    @Test
    void signerRefusesABundleWhoseManifestDoesNotDescribeIt() throws Exception {
        Files.writeString(bundle.resolve("stray.bin"), "x");
        BundleRejected e = assertThrows(BundleRejected.class,
                () -> BundleSigner.sign(bundle, TestBundles.KEY.getPrivate(), TestBundles.KEY.getPublic()));
        assertEquals(Reason.EXTRA_FILE, e.reason());
    }

    @Test
    void signerRefusesAMismatchedKeyPair() {
        assertThrows(IllegalArgumentException.class,
                () -> BundleSigner.sign(bundle, TestBundles.KEY.getPrivate(), TestBundles.OTHER_KEY.getPublic()));
    }

    @Test
    void everyReasonHasItsOwnExitCode() {
        Set<Integer> codes = new HashSet<>();
        Arrays.stream(Reason.values()).forEach(r -> assertTrue(codes.add(r.exitCode()), r.name()));
        assertTrue(codes.stream().allMatch(c -> c > 2 && c < 64), "clear of picocli's 1/2 and sysexits");
    }
}
