package dev.vigie.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.vigie.bundle.BundleRejected.Reason;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BundleTarTest {
    @TempDir
    Path tmp;

    private Path bundle() throws Exception {
        Path dir = tmp.resolve("bundle");
        TestBundles.signed(dir, "chu-nord", 3);
        return dir;
    }

    private Path out() throws IOException {
        Path d = tmp.resolve("out");
        Files.createDirectories(d);
        return d;
    }

    @Test
    void roundTripKeepsEveryFileAndPacksDeterministically() throws Exception {
        Path dir = bundle();
        Path a = tmp.resolve("a.tar");
        Path b = tmp.resolve("b.tar");
        BundleTar.pack(dir, a);
        BundleTar.pack(dir, b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(0, Files.size(a) % 512);

        List<String> names = BundleTar.extract(a, out(), BundleLimits.DEFAULT);
        assertEquals(List.of("manifest.json", "manifest.sig", "models/iforest.onnx", "models/kmeans.onnx",
                "profiles/hosts/servers.parquet"), names);
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(n)), Files.readAllBytes(tmp.resolve("out").resolve(n)));
        }
    }

    @Test
    void longNamesUseTheUstarPrefix() throws Exception {
        Path dir = tmp.resolve("long");
        String name = "profiles/" + "d".repeat(90) + "/" + "f".repeat(90) + ".parquet";
        Files.createDirectories(dir.resolve(name).getParent());
        Files.writeString(dir.resolve(name), "table");
        Files.writeString(dir.resolve("manifest.json"), "{}");
        Path tar = tmp.resolve("long.tar");
        BundleTar.pack(dir, tar);
        BundleTar.extract(tar, out(), BundleLimits.DEFAULT);
        assertEquals("table", Files.readString(tmp.resolve("out").resolve(name)));
    }

    @Test
    void gnuTarReadsOurArchivesAndWeReadGnuTars() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")), "GNU tar not installed");
        Path dir = bundle();
        Path ours = tmp.resolve("ours.tar");
        BundleTar.pack(dir, ours);
        Path gnuOut = Files.createDirectories(tmp.resolve("gnu-out"));
        run("tar", "-xf", ours.toString(), "-C", gnuOut.toString());
        assertArrayEquals(Files.readAllBytes(dir.resolve("models/iforest.onnx")),
                Files.readAllBytes(gnuOut.resolve("models/iforest.onnx")));

        Path theirs = tmp.resolve("theirs.tar");
        run("tar", "-C", dir.toString(), "-cf", theirs.toString(), ".");
        BundleTar.extract(theirs, out(), BundleLimits.DEFAULT);
        assertArrayEquals(Files.readAllBytes(dir.resolve("manifest.sig")),
                Files.readAllBytes(tmp.resolve("out/manifest.sig")));
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
    }

    // --- hostile archives --------------------------------------------------------------------------------------

    /** A tar built entry by entry, with full control over each header. */
    private static final class RawTar {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        RawTar entry(String name, char type, byte[] content) throws IOException {
            return entry(name, type, content, content.length);
        }

        RawTar entry(String name, char type, byte[] content, long declaredSize) throws IOException {
            byte[] h = BundleTar.header("placeholder", declaredSize);
            Arrays.fill(h, 0, 100, (byte) 0);
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
            h[156] = (byte) type;
            if (type == '2' || type == '1') {
                byte[] target = "/etc/shadow".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(target, 0, h, 157, target.length);
            }
            fixChecksum(h);
            out.write(h);
            out.write(content);
            out.write(new byte[(512 - content.length % 512) % 512]);
            return this;
        }

        RawTar raw(byte[] bytes) throws IOException {
            out.write(bytes);
            return this;
        }

        byte[] end() {
            out.writeBytes(new byte[1024]);
            return out.toByteArray();
        }

        static void fixChecksum(byte[] h) {
            Arrays.fill(h, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            byte[] s = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, h, 148, 8);
        }
    }

    private BundleRejected refused(byte[] tar, Reason expected) throws IOException {
        return refused(tar, expected, BundleLimits.DEFAULT);
    }

    private BundleRejected refused(byte[] tar, Reason expected, BundleLimits limits) throws IOException {
        Path file = Files.createTempFile(tmp, "hostile", ".tar");
        Files.write(file, tar);
        Path dest = Files.createTempDirectory(tmp, "dest");
        BundleRejected e = assertThrows(BundleRejected.class, () -> BundleTar.extract(file, dest, limits));
        assertEquals(expected, e.reason(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(tmp.resolve("escaped")), "nothing written outside the destination");
        return e;
    }

    private static final byte[] X = "x".getBytes(StandardCharsets.US_ASCII);

    @Test
    void refusesDotDot() throws Exception {
        refused(new RawTar().entry("../escaped", '0', X).end(), Reason.PATH_ESCAPE);
        refused(new RawTar().entry("models/../../escaped", '0', X).end(), Reason.PATH_ESCAPE);
    }

    @Test
    void refusesAbsolutePaths() throws Exception {
        refused(new RawTar().entry("/tmp/escaped", '0', X).end(), Reason.PATH_ESCAPE);
    }

    @Test
    void refusesSymlinksHardlinksDevicesAndFifos() throws Exception {
        for (char type : new char[] {'1', '2', '3', '4', '6'}) {
            refused(new RawTar().entry("models/link", type, new byte[0]).end(), Reason.PATH_ESCAPE);
        }
    }

    @Test
    void refusesPaxAndGnuLongNameEntries() throws Exception {
        refused(new RawTar().entry("PaxHeaders/x", 'x', "30 path=../../escaped\n".getBytes()).end(),
                Reason.MALFORMED_ARCHIVE);
        refused(new RawTar().entry("././@LongLink", 'L', "../../escaped".getBytes()).end(),
                Reason.MALFORMED_ARCHIVE);
    }

    @Test
    void refusesDuplicateEntries() throws Exception {
        BundleRejected e = refused(new RawTar().entry("manifest.json", '0', X).entry("manifest.json", '0', X).end(),
                Reason.MALFORMED_ARCHIVE);
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
        refused(new RawTar().entry("./a", '0', X).entry("a", '0', X).end(), Reason.MALFORMED_ARCHIVE);
    }

    @Test
    void refusesAFileWhereADirectoryIsAndTheReverse() throws Exception {
        refused(new RawTar().entry("a", '0', X).entry("a/b", '0', X).end(), Reason.MALFORMED_ARCHIVE);
        refused(new RawTar().entry("a/b", '0', X).entry("a", '0', X).end(), Reason.MALFORMED_ARCHIVE);
    }

    @Test
    void acceptsADirectoryEntryAfterFilesBelowIt() throws Exception {
        Path file = tmp.resolve("ok.tar");
        Files.write(file, new RawTar().entry("./", '5', new byte[0]).entry("a/b", '0', X).entry("a/", '5',
                new byte[0]).end());
        assertEquals(List.of("a/b"), BundleTar.extract(file, out(), BundleLimits.DEFAULT));
    }

    @Test
    void refusesSizesPastTheEndOfTheFile() throws Exception {
        byte[] tar = new RawTar().entry("models/m.onnx", '0', X, 1_000_000).raw(new byte[0]).out.toByteArray();
        refused(tar, Reason.MALFORMED_ARCHIVE);
    }

    @Test
    void refusesABadChecksum() throws Exception {
        byte[] tar = new RawTar().entry("a", '0', X).end();
        tar[0] = 'b';
        refused(tar, Reason.MALFORMED_ARCHIVE);
    }

    @Test
    void refusesArchivesOverTheCaps() throws Exception {
        byte[] big = new byte[5000];
        refused(new RawTar().entry("a", '0', big).entry("b", '0', big).end(), Reason.MALFORMED_ARCHIVE,
                new BundleLimits(1 << 20, 8000, 100));
        refused(new RawTar().entry("a", '0', X).entry("b", '0', X).entry("c", '0', X).end(),
                Reason.MALFORMED_ARCHIVE, new BundleLimits(1 << 20, 1 << 20, 2));
    }

    @Test
    void refusesAMissingEndMarkerAndDataAfterIt() throws Exception {
        refused(new RawTar().entry("a", '0', X).out.toByteArray(), Reason.MALFORMED_ARCHIVE);
        byte[] withTrailer = new RawTar().entry("a", '0', X).raw(new byte[1024]).raw(new byte[] {'!'}).out
                .toByteArray();
        refused(withTrailer, Reason.MALFORMED_ARCHIVE);
    }

    @Test
    void refusesNonUtf8AndControlCharactersInNames() throws Exception {
        byte[] tar = new RawTar().entry("abc", '0', X).end();
        tar[1] = (byte) 0xff;
        byte[] header = Arrays.copyOf(tar, 512);
        RawTar.fixChecksum(header);
        System.arraycopy(header, 0, tar, 0, 512);
        refused(tar, Reason.MALFORMED_ARCHIVE);
        BundleRejected e = refused(new RawTar().entry("evil\nname", '0', X).end(), Reason.PATH_ESCAPE);
        assertTrue(e.getMessage().contains("evil\\u000aname"), e.getMessage());
    }

    @Test
    void refusesWhatIsNotATarAtAll() throws Exception {
        byte[] junk = new byte[2048];
        Arrays.fill(junk, (byte) 'A');
        refused(junk, Reason.MALFORMED_ARCHIVE);
    }

    @Test
    void packRefusesLinksAndWritingIntoTheBundle() throws Exception {
        Path dir = bundle();
        assertThrows(IOException.class, () -> BundleTar.pack(dir, dir.resolve("self.tar")));
        Files.createSymbolicLink(dir.resolve("models/link.onnx"), dir.resolve("models/kmeans.onnx"));
        assertThrows(IOException.class, () -> BundleTar.pack(dir, tmp.resolve("x.tar")));
    }
}
