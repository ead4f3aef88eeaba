package dev.vigie.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigie.bundle.BundleBuilder;
import dev.vigie.bundle.BundleRejected.Reason;
import dev.vigie.bundle.CanonicalJson;
import dev.vigie.bundle.Ed25519Keys;
import dev.vigie.bundle.FeatureSpec;
import dev.vigie.bundle.ModelSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleCommandTest {
    private static final String SCHEMA = "5c".repeat(32);

    @TempDir
    Path tmp;
    Path keys;
    Path trust;
    Path state;

    @BeforeEach
    void keys() throws Exception {
        keys = tmp.resolve("keys");
        trust = Files.createDirectories(tmp.resolve("trust"));
        state = tmp.resolve("state/accepted-versions.json");
        assertEquals(0, CliRun.of("keys", "generate", "-o", keys.toString(), "--name", "ops").exit());
        Files.copy(keys.resolve("ops.pub"), trust.resolve("ops.pub"));
    }

    private Path bundle(String name, long version) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("models/iforest.onnx"), new byte[] {8, 1, 18, 4, 't', 'e', 's', 't'});
        Files.writeString(dir.resolve("hosts.csv"), "host,group\n10.0.0.1,servers\n");
        new BundleBuilder(dir).site("chu-nord").bundleVersion(version).createdAt(Instant.parse("2025-11-28T10:00:00Z"))
                .featureSchemaHash(SCHEMA)
                .feature(FeatureSpec.of("duration", "log1p"))
                .model(new ModelSpec("iforest", "isolation_forest", "models/iforest.onnx", List.of("duration"),
                        0.6, "all"))
                .write();
        CliRun sign = CliRun.of("bundle", "sign", "--key", keys.resolve("ops.key").toString(), dir.toString());
        assertEquals(0, sign.exit(), sign.toString());
        return dir;
    }

    private CliRun verify(Path bundle, String... extra) {
        List<String> args = new ArrayList<>(List.of("bundle", "verify", "--trust", trust.toString(),
                "--state", state.toString()));
        args.addAll(List.of(extra));
        args.add(bundle.toString());
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Rewrites manifest.json and signs it with the trusted key without BundleSigner's integrity checks. */
    private void editAndSign(Path dir, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        edit.accept(tree);
        byte[] canonical = CanonicalJson.toBytes(tree);
        Files.write(dir.resolve("manifest.json"), canonical);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(Ed25519Keys.readPrivateKey(keys.resolve("ops.key")));
        s.update(canonical);
        Files.writeString(dir.resolve("manifest.sig"), "{\"algorithm\":\"ed25519\",\"keyId\":\""
                + Ed25519Keys.keyId(Ed25519Keys.readPublicKey(keys.resolve("ops.pub"))) + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(s.sign()) + "\"}");
    }

    @Test
    void signVerifyPackInspect() throws Exception {
        Path dir = bundle("b", 7);
        CliRun ok = verify(dir, "--schema-hash", SCHEMA.toUpperCase());
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.out().contains("site chu-nord, bundle version 7, 2 files"), ok.toString());
        assertEquals("", ok.err(), ok.toString());
        assertTrue(Files.readString(state).contains("\"version\":7"));

        Path tar = tmp.resolve("b.tar");
        assertEquals(0, CliRun.of("bundle", "pack", dir.toString(), "-o", tar.toString()).exit());
        CliRun fromTar = verify(tar, "--schema-hash", SCHEMA);
        assertEquals(0, fromTar.exit(), fromTar.toString());

        for (Path b : List.of(dir, tar)) {
            CliRun inspect = CliRun.of("bundle", "inspect", b.toString());
            assertEquals(0, inspect.exit(), inspect.toString());
            assertTrue(inspect.out().contains("NOT verified"), inspect.toString());
            assertTrue(inspect.out().contains("site chu-nord, bundle version 7"), inspect.toString());
            assertTrue(inspect.out().contains("iforest  isolation_forest  models/iforest.onnx  threshold 0.6"),
                    inspect.toString());
        }
    }

    @Test
    void withoutASchemaHashTheBuildsOwnIsRequired() throws Exception {
        CliRun r = verify(bundle("b", 7), "--no-record");
        assertEquals(17, r.exit(), "a bundle trained on another flow layout is refused: " + r);
        assertTrue(r.err().contains("SCHEMA_MISMATCH") || r.err().toLowerCase().contains("schema"), r.toString());
        assertFalse(Files.exists(state));
    }

    /** Every refusal reason, end to end: its own exit code, one line on stderr, no stack trace. */
    @ParameterizedTest
    @EnumSource(Reason.class)
    void eachRefusalExitsWithItsCodeAndOneLine(Reason reason) throws Exception {
        Path dir = bundle("b", 7);
        Path target = dir;
        List<String> extra = new ArrayList<>(List.of("--schema-hash", SCHEMA));
        switch (reason) {
            case NO_SIGNATURE -> Files.delete(dir.resolve("manifest.sig"));
            case BAD_SIGNATURE -> Files.writeString(dir.resolve("manifest.json"),
                    Files.readString(dir.resolve("manifest.json")).replace("0.6", "0.9"));
            case UNTRUSTED_KEY -> {
                assertEquals(0, CliRun.of("keys", "generate", "-o", keys.toString(), "--name", "rogue").exit());
                assertEquals(0, CliRun.of("bundle", "sign", "--key", keys.resolve("rogue.key").toString(),
                        dir.toString()).exit());
            }
            case HASH_MISMATCH -> Files.write(dir.resolve("models/iforest.onnx"), new byte[] {8, 1, 18, 4, 'T', 'e',
                    's', 't'});
            case MISSING_FILE -> Files.delete(dir.resolve("hosts.csv"));
            case EXTRA_FILE -> Files.writeString(dir.resolve("models/extra.onnx"), "x");
            case PATH_ESCAPE -> {
                Path outside = tmp.resolve("hosts.csv");
                Files.move(dir.resolve("hosts.csv"), outside);
                Files.createSymbolicLink(dir.resolve("hosts.csv"), outside);
            }
            case SCHEMA_MISMATCH -> extra = List.of("--schema-hash", "7e".repeat(32));
            case ROLLBACK -> assertEquals(0, verify(bundle("v9", 9), "--schema-hash", SCHEMA).exit());
            case UNKNOWN_FORMAT -> editAndSign(dir, t -> t.put("formatVersion", 2));
            case MALFORMED_MANIFEST -> editAndSign(dir, t -> t.put("unexpected", true));
            case MALFORMED_ARCHIVE -> {
                target = tmp.resolve("junk.tar");
                Files.write(target, new byte[1536]);
                Files.write(target, "garbage".getBytes(StandardCharsets.US_ASCII),
                        java.nio.file.StandardOpenOption.APPEND);
            }
            case UNREADABLE -> target = tmp.resolve("does-not-exist");
            case STATE_UNUSABLE -> {
                Files.createDirectories(state.getParent());
                Files.writeString(state, "{\"formatVersion\":1,\"sites\":");
            }
            default -> throw new AssertionError("add a CLI case for " + reason);
        }
        CliRun r = verify(target, extra.toArray(String[]::new));
        assertEquals(reason.exitCode(), r.exit(), r.toString());
        assertEquals(1, r.errLines().length, r.toString());
        assertTrue(r.err().startsWith("verify: refused: " + reason.label() + ": "), r.toString());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.toString());
        assertEquals("", r.out(), r.toString());
    }

    @Test
    void verifyHelpListsEveryRefusalCode() {
        CliRun help = CliRun.of("bundle", "verify", "--help");
        assertEquals(0, help.exit());
        for (Reason reason : Reason.values()) {
            assertTrue(help.out().matches("(?s).*\\b" + reason.exitCode() + "\\s+" + reason.label() + "\\b.*"),
                    reason + " missing from:\n" + help.out());
        }
    }

    @Test
    void signRefusesAPrivateKeyOthersCanReadAndAMissingKey() throws Exception {
        Path dir = bundle("b", 1);
        Files.setPosixFilePermissions(keys.resolve("ops.key"), PosixFilePermissions.fromString("rw-r--r--"));
        CliRun open = CliRun.of("bundle", "sign", "--key", keys.resolve("ops.key").toString(), dir.toString());
        assertEquals(ExitCodes.NO_PERM, open.exit(), open.toString());
        assertEquals(1, open.errLines().length, open.toString());
        CliRun missing = CliRun.of("bundle", "sign", "--key", tmp.resolve("nope.key").toString(), dir.toString());
        assertEquals(ExitCodes.NO_INPUT, missing.exit(), missing.toString());
    }

    @Test
    void signRefusesABundleThatDoesNotMatchItsManifest() throws Exception {
        Path dir = bundle("b", 1);
        Files.writeString(dir.resolve("late.bin"), "x");
        CliRun r = CliRun.of("bundle", "sign", "--key", keys.resolve("ops.key").toString(), dir.toString());
        assertEquals(Reason.EXTRA_FILE.exitCode(), r.exit(), r.toString());
        assertTrue(r.err().startsWith("sign: cannot sign: extra file: late.bin"), r.toString());
    }

    @Test
    void emptyTrustDirectoryIsAClearError() throws Exception {
        Path dir = bundle("b", 1);
        Path empty = Files.createDirectories(tmp.resolve("empty-trust"));
        CliRun r = CliRun.of("bundle", "verify", "--trust", empty.toString(), "--state", state.toString(),
                dir.toString());
        assertEquals(ExitCodes.NO_INPUT, r.exit(), r.toString());
        assertEquals(1, r.errLines().length, r.toString());
    }
}
