package dev.vigie.assets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inventory files: Parquet round trip, the CMDB CSV format and its errors, the diff. */
class InventoryTest {
    @TempDir
    Path dir;

    static AssetRecord observed(String mac, String ip, String name, String role, List<String> services, boolean scanner) {
        return new AssetRecord(mac, mac, "Dell Inc.", ip, List.of(ip), List.of(), name, List.of(name + " (dhcp)"),
                1_700_000_000_000_000_000L, 1_700_000_100_000_000_000L, "Linux", "Debian family", 0.84,
                "SSH banner x; initial TTL 64", role, "why", services, List.of("ssh", "dns"), List.of(), List.of(),
                3, List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"), true, 10, 7, 3, 1000, 2000, scanner, List.of(),
                "1,3,6", null, 64, "64240:1460:7:ST", AssetRecord.OBSERVED, null, List.of());
    }

    @Test
    void parquetRoundTripKeepsEveryColumn() throws Exception {
        List<AssetRecord> records = List.of(observed("02:00:00:00:00:01", "10.0.0.5", "ws05", "workstation", List.of(), false),
                AssetRecord.declared(null, "10.0.0.9", "printer", null, "network device", null, List.of("tcp/9100")));
        Path f = dir.resolve("assets.parquet");
        try (RootAllocator a = new RootAllocator()) {
            Inventory.writeParquet(records, f, a);
        }
        Inventory back = Inventory.load(f);
        assertEquals(records, back.records());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary file left");
        }
    }

    @Test
    void cmdbCsvRowsAndErrorsWithTheirLine() throws Exception {
        Path csv = dir.resolve("cmdb.csv");
        Files.writeString(csv, "mac,ip,hostname,role,os,owner,location,services\n"
                + "00:0C:29:AA:BB:CC,10.1.2.3,srv-pacs,server,Linux,radiologie,B2,tcp/104 dicom;tcp/443 https\n"
                + "# a comment\n"
                + ",10.1.2.9,\"monitor, bed 4\",biomedical,,biomed,REA,\n");
        Inventory inv = Inventory.load(csv);
        assertEquals(2, inv.records().size());
        AssetRecord pacs = inv.records().get(0);
        assertEquals("00:0c:29:aa:bb:cc", pacs.mac());
        assertEquals("VMware, Inc.", pacs.vendor(), "vendor from the OUI table when the CMDB has none");
        assertEquals(List.of("tcp/104 dicom", "tcp/443 https"), pacs.services());
        assertEquals("monitor, bed 4", inv.records().get(1).hostname());
        assertEquals(AssetRecord.CMDB, pacs.source());

        Files.writeString(csv, "mac,ip,colour\n00:0c:29:aa:bb:cc,10.1.2.3,red\n");
        var e = assertThrows(Inventory.InvalidInventory.class, () -> Inventory.load(csv));
        assertTrue(e.getMessage().contains(":1: unknown column 'colour'"), e.getMessage());
        Files.writeString(csv, "mac,ip\n00:0c:29:aa:bb:cc,10.1.2.3\nnot-a-mac,10.1.2.4\n");
        e = assertThrows(Inventory.InvalidInventory.class, () -> Inventory.load(csv));
        assertTrue(e.getMessage().contains(":3: 'not-a-mac' is not a MAC address"), e.getMessage());
        Files.writeString(csv, "hostname\nfoo\n");
        e = assertThrows(Inventory.InvalidInventory.class, () -> Inventory.load(csv));
        assertTrue(e.getMessage().contains("needs a mac or an ip column"), e.getMessage());
        Path junk = dir.resolve("junk.parquet");
        Files.writeString(junk, "not parquet");
        e = assertThrows(Inventory.InvalidInventory.class, () -> Inventory.load(junk));
        assertTrue(e.getMessage().startsWith(junk + ": cannot read as an asset inventory"), e.getMessage());
    }

    @Test
    void diffFindsNewGoneAndChanged() {
        Inventory ref = new Inventory(List.of(observed("02:00:00:00:00:01", "10.0.0.5", "ws05", "workstation", List.of(), false),
                observed("02:00:00:00:00:02", "10.0.0.6", "ws06", "workstation", List.of(), false)), "ref");
        Inventory cur = new Inventory(List.of(observed("02:00:00:00:00:01", "10.0.0.5", "ws05", "server", List.of("tcp/8080 http"), true),
                observed("00:0c:29:4b:a1:17", "10.0.0.154", "kali", "workstation", List.of(), true)), "cur");
        InventoryDiff d = InventoryDiff.between(ref, cur);
        assertEquals(List.of("00:0c:29:4b:a1:17"), d.added().stream().map(AssetRecord::assetId).toList());
        assertEquals(List.of("02:00:00:00:00:02"), d.gone().stream().map(AssetRecord::assetId).toList());
        assertEquals(1, d.changed().size());
        assertEquals(List.of("role: workstation -> server (why)", "services: +tcp/8080 http", "scanning: started"),
                d.changed().get(0).what());
    }

    @Test
    void ouiTableLongestPrefixAndLocalBit() {
        OuiTable t = OuiTable.standard();
        assertTrue(t.size() > 40_000, "MA-L, MA-M, MA-S and IAB: " + t.size());
        assertTrue(t.source().contains("ieee-data"), t.source());
        assertEquals("VMware, Inc.", t.vendor(OuiTable.parseMac("00:0c:29:4b:a1:17")));
        assertEquals(OuiTable.LOCALLY_ADMINISTERED, t.vendor(OuiTable.parseMac("02:77:0a:00:00:01")));
        assertEquals(-1, OuiTable.parseMac("00:0c:29:4b:a1"));
        // an MA-M block inside an MA-L prefix (70:B3:D5 is the IEEE's own MA-S range): the longer assignment wins
        String ieee = t.vendor(OuiTable.parseMac("70:b3:d5:00:00:00"));
        String inside = t.vendor(OuiTable.parseMac("70:b3:d5:00:10:00"));
        assertEquals("SOREDI touch systems GmbH", inside);
        assertTrue(ieee != null && inside != null && !ieee.equals(inside), ieee + " / " + inside);
    }
}
