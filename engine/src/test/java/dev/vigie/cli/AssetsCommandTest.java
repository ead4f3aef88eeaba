package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigie assets}, {@code assets diff}, {@code assets import} as a user runs them. */
class AssetsCommandTest {
    static final Path LAB = Path.of(System.getProperty("vigie.root", "..")).resolve("datasets/lab");

    @TempDir
    Path tmp;

    @Test
    void learnThenCompareThenDiff() throws Exception {
        assumeTrue(Files.isRegularFile(LAB.resolve("mixed.pcap")));
        Path ref = tmp.resolve("ref.parquet"), cur = tmp.resolve("cur.parquet"), alerts = tmp.resolve("a.jsonl");
        CliRun learn = CliRun.of("assets", LAB.resolve("benign.pcap").toString(), "-o", ref.toString(),
                "--site-config", LAB.resolve("site.yaml").toString());
        assertEquals(0, learn.exit(), learn.toString());
        assertTrue(learn.out().contains("assets       18 -> " + ref), learn.out());
        CliRun now = CliRun.of("assets", LAB.resolve("mixed.pcap").toString(), "--reference", ref.toString(), "-o",
                cur.toString(), "--site-config", LAB.resolve("site.yaml").toString(), "--alerts", alerts.toString());
        assertEquals(0, now.exit(), now.toString());
        String kaliRow = now.out().lines().filter(l -> l.contains("00:0c:29:4b:a1:17")).findFirst().orElse("");
        assertTrue(kaliRow.startsWith("NEW") && kaliRow.contains("VMware, Inc.") && kaliRow.contains("kali")
                && kaliRow.contains("Kali Linux") && kaliRow.contains("offensive distribution host name kali"), now.out());
        assertTrue(now.out().contains("2 new, 1 changed, 0 not seen"), now.out());
        assertTrue(now.out().contains("vigie.asset.offensive_hostname 1"), now.out());
        assertEquals(8, Files.readAllLines(alerts).size(), Files.readString(alerts));
        assertFalse(Files.readString(alerts).contains("\n "), "one JSON object a line, no separator space");

        CliRun same = CliRun.of("assets", "diff", ref.toString(), ref.toString());
        assertEquals(0, same.exit(), same.toString());
        CliRun diff = CliRun.of("assets", "diff", ref.toString(), cur.toString());
        assertEquals(1, diff.exit(), diff.toString());
        assertTrue(diff.out().contains("services: +tcp/53 dns"), diff.out());
    }

    @Test
    void cmdbImportAndClearErrors() throws Exception {
        Path csv = tmp.resolve("cmdb.csv");
        Files.writeString(csv, "mac;ip;hostname;role\n02:77:01:00:00:4b;10.77.1.75;srv-hl7;server\n");
        Path out = tmp.resolve("cmdb.parquet");
        CliRun ok = CliRun.of("assets", "import", csv.toString(), "-o", out.toString());
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.out().contains("1 assets from"), ok.out());
        Files.writeString(csv, "mac;ip\n02:77:01:00:00:4b;10.77.1.999\n");
        CliRun bad = CliRun.of("assets", "import", csv.toString(), "-o", out.toString());
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains(":2: '10.77.1.999' is not an IP address"), bad.err());
        assertFalse(bad.err().contains("Exception"), bad.err());
        CliRun none = CliRun.of("assets", "-o", out.toString());
        assertEquals(2, none.exit(), none.toString());
        assertTrue(none.err().contains("no capture file given"), none.err());
        CliRun junk = CliRun.of("assets", "diff", out.toString(), tmp.resolve("missing.parquet").toString());
        assertEquals(2, junk.exit(), junk.toString());
        assertTrue(junk.err().contains("missing.parquet: no such file"), junk.err());
    }
}
