package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.dlp.SiteSecret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteCommandTest {
    @TempDir
    Path tmp;

    @Test
    void initWritesAnOwnerOnlySecretAndRefusesToReplaceIt() throws Exception {
        Path dir = tmp.resolve("site");
        CliRun r = CliRun.of("site", "init", "-o", dir.toString());
        assertEquals(0, r.exit(), r.toString());
        Path f = dir.resolve("site.secret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        byte[] first = SiteSecret.read(f);
        assertEquals(32, first.length);
        assertTrue(r.out().contains("export VIGIE_SITE_SECRET="), r.toString());
        assertEquals("", r.err());

        CliRun again = CliRun.of("site", "init", "-o", dir.toString());
        assertEquals(73, again.exit(), again.toString());
        assertFalse(again.err().contains("Exception"), again.toString());
        assertEquals(1, again.err().strip().lines().count(), "one line: " + again.err());
        assertArrayEquals(first, SiteSecret.read(f), "the existing secret is kept");
    }

    @Test
    void readRefusesOpenPermissionsAndWrongSizesNamingTheFile() throws Exception {
        Path open = tmp.resolve("open.secret");
        Files.write(open, new byte[32]);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> SiteSecret.read(open));
        assertTrue(e.getMessage().startsWith(open + ": site secret permissions rw-r--r--"), e.getMessage());
        Path shortFile = tmp.resolve("short.secret");
        Files.write(shortFile, new byte[5]);
        Files.setPosixFilePermissions(shortFile, PosixFilePermissions.fromString("rw-------"));
        e = assertThrows(IOException.class, () -> SiteSecret.read(shortFile));
        assertEquals(shortFile + ": a site secret is 32 bytes, this file has 5", e.getMessage());
    }

    @Test
    void aMissingOrWorldReadableSecretIsAUsageErrorNamingTheFileAndItsSource() throws Exception {
        Path pcap = Path.of(System.getProperty("vigie.root", "..")).resolve("datasets/lab/mixed.pcap");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(pcap));
        Path loose = tmp.resolve("loose.secret");
        Files.write(loose, new byte[32]);
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        for (Path bad : new Path[] {tmp.resolve("none.secret"), loose}) {
            System.setProperty(SiteSecret.PROPERTY, bad.toString());
            try {
                CliRun r = CliRun.of("extract", pcap.toString(), "-o", tmp.resolve("f.parquet").toString());
                assertEquals(2, r.exit(), r.toString());
                assertTrue(r.err().contains(bad.toString()) && r.err().contains("-D" + SiteSecret.PROPERTY), r.toString());
                assertFalse(r.err().contains("internal error") || r.err().contains("Exception"), r.toString());
                assertFalse(Files.exists(tmp.resolve("f.parquet")), "nothing written");
            } finally {
                System.clearProperty(SiteSecret.PROPERTY);
            }
        }
    }
}
