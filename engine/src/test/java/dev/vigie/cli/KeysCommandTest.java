package dev.vigie.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeysCommandTest {
    @TempDir
    Path tmp;

    @Test
    void generatesAnOwnerOnlyKeyPair() throws Exception {
        Path dir = tmp.resolve("keys");
        CliRun r = CliRun.of("keys", "generate", "-o", dir.toString(), "--name", "ops");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ops.key"))));
        assertTrue(Files.isRegularFile(dir.resolve("ops.pub")));
        assertTrue(r.out().matches("(?s).*key id: +[0-9a-f]{64}\n.*"), r.toString());
        assertEquals("", r.err());
    }

    @Test
    void defaultNameAndNoOverwrite() {
        Path dir = tmp.resolve("keys");
        assertEquals(0, CliRun.of("keys", "generate", "-o", dir.toString()).exit());
        assertTrue(Files.exists(dir.resolve("vigie-bundle.key")));
        CliRun again = CliRun.of("keys", "generate", "-o", dir.toString());
        assertEquals(ExitCodes.CANT_CREATE, again.exit(), again.toString());
        assertEquals(1, again.errLines().length, again.toString());
        assertTrue(again.err().startsWith("generate: "), again.toString());
    }

    @Test
    void refusesANameThatIsAPath() {
        CliRun r = CliRun.of("keys", "generate", "-o", tmp.toString(), "--name", "../evil");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertEquals(1, r.errLines().length, r.toString());
    }
}
