package dev.vigie.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class Ed25519KeysTest {
    @TempDir
    Path tmp;

    @Test
    void writesAnOwnerOnlyPrivateKeyAndAPublicKeyThatReadBack() throws Exception {
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Keys.KeyFiles files = Ed25519Keys.write(pair, tmp.resolve("keys"), "ops");
        assertEquals(tmp.resolve("keys/ops.key"), files.privateKey());
        assertEquals(tmp.resolve("keys/ops.pub"), files.publicKey());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("keys"))));
        assertTrue(Files.readString(files.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(files.publicKey()).startsWith("-----BEGIN PUBLIC KEY-----\n"));

        PrivateKey priv = Ed25519Keys.readPrivateKey(files.privateKey());
        PublicKey pub = Ed25519Keys.readPublicKey(files.publicKey());
        assertEquals(Ed25519Keys.keyId(pair.getPublic()), Ed25519Keys.keyId(pub));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(priv);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(pair.getPublic());
        s.update(new byte[] {1, 2, 3});
        assertTrue(s.verify(sig));
    }

    @Test
    void keyIdIsTheSha256OfTheRaw32BytePublicKey() throws Exception {
        PublicKey pub = Ed25519Keys.generate().getPublic();
        byte[] raw = Ed25519Keys.rawPublicKey(pub);
        assertEquals(32, raw.length);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw)),
                Ed25519Keys.keyId(pub));
    }

    @Test
    void neverOverwritesAKey() throws Exception {
        Ed25519Keys.write(Ed25519Keys.generate(), tmp, "ops");
        String before = Files.readString(tmp.resolve("ops.key"));
        assertThrows(FileAlreadyExistsException.class, () -> Ed25519Keys.write(Ed25519Keys.generate(), tmp, "ops"));
        assertEquals(before, Files.readString(tmp.resolve("ops.key")));
    }

    @Test
    void refusesAPrivateKeyOthersCanRead() throws Exception {
        Ed25519Keys.KeyFiles files = Ed25519Keys.write(Ed25519Keys.generate(), tmp, "ops");
        Files.setPosixFilePermissions(files.privateKey(), PosixFilePermissions.fromString("rw-r--r--"));
        KeyFileException e = assertThrows(KeyFileException.class, () -> Ed25519Keys.readPrivateKey(files.privateKey()));
        assertEquals(KeyFileException.Problem.TOO_OPEN, e.problem());
    }

    @Test
    void refusesKeysOfAnotherKindAndGarbage() throws Exception {
        Path rsa = tmp.resolve("rsa.pub");
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                g.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(rsa, pem);
        assertEquals(KeyFileException.Problem.MALFORMED,
                assertThrows(KeyFileException.class, () -> Ed25519Keys.readPublicKey(rsa)).problem());
        Path junk = tmp.resolve("junk.pub");
        Files.writeString(junk, "hello");
        assertThrows(KeyFileException.class, () -> Ed25519Keys.readPublicKey(junk));
        assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.write(Ed25519Keys.generate(), tmp, "../x"));
    }

    @Test
    void interoperatesWithOpenssl() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        Ed25519Keys.KeyFiles ours = Ed25519Keys.write(Ed25519Keys.generate(), tmp, "ours");
        Path derived = tmp.resolve("derived.pub");
        run("openssl", "pkey", "-in", ours.privateKey().toString(), "-pubout", "-out", derived.toString());
        assertEquals(Files.readString(ours.publicKey()), Files.readString(derived));

        Path theirs = tmp.resolve("theirs.key");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", theirs.toString());
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rw-------"));
        Ed25519Keys.readPrivateKey(theirs);
    }

    @Test
    void trustDirectoryIsEveryPubFileInIt() throws Exception {
        KeyPair a = Ed25519Keys.generate();
        KeyPair b = Ed25519Keys.generate();
        Ed25519Keys.write(a, tmp, "a");
        Ed25519Keys.write(b, tmp, "b");
        Files.writeString(tmp.resolve("README"), "not a key");
        TrustStore trust = TrustStore.fromDirectory(tmp);
        assertEquals(2, trust.size());
        assertEquals("b.pub", trust.find(Ed25519Keys.keyId(b.getPublic())).orElseThrow().name());
        assertTrue(trust.find("00".repeat(32)).isEmpty());

        Files.writeString(tmp.resolve("broken.pub"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                StandardCharsets.US_ASCII);
        assertThrows(KeyFileException.class, () -> TrustStore.fromDirectory(tmp));
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThrows(NoSuchFileException.class, () -> TrustStore.fromDirectory(empty));
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }
}
