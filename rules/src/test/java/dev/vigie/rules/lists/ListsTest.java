package dev.vigie.rules.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListsTest {

    private static NamedList list(String text) throws Exception {
        return NamedList.read("t", "t", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void addressesBlocksAndNames() throws Exception {
        NamedList l = list("""
                # a comment
                10.0.0.0/8
                192.168.1.7   # trailing comment
                192.168.1.8
                2001:db8::/32
                ::ffff:1.2.3.4
                Evil.Example.COM.
                not an entry!
                300.1.1.1
                """);
        assertTrue(l.ips().contains("10.255.0.1"));
        assertFalse(l.ips().contains("11.0.0.0"));
        assertTrue(l.ips().contains("192.168.1.7"));
        assertTrue(l.ips().contains("192.168.1.8"));
        assertFalse(l.ips().contains("192.168.1.9"));
        assertTrue(l.ips().contains("2001:db8:ffff::1"));
        assertFalse(l.ips().contains("2001:db9::1"));
        assertTrue(l.ips().contains("1.2.3.4"), "v4-mapped entry matches the v4 address");
        assertFalse(l.ips().contains("::1"));
        assertTrue(l.domains().contains("evil.example.com"));
        assertTrue(l.domains().contains("www.EVIL.example.com."));
        assertFalse(l.domains().contains("example.com"));
        assertFalse(l.domains().contains("notevil.example.com.au"));
        assertEquals(2, l.rejected());
        assertEquals(4, l.ips().intervals(), "192.168.1.7 and .8 merge into one interval");
    }

    /** Lookups agree with a linear scan over random blocks (seeded loop, no property-test library). */
    @Test
    void binarySearchAgreesWithLinearScan() {
        Random rnd = new Random(1234);
        for (int round = 0; round < 50; round++) {
            IpSet.Builder b = new IpSet.Builder();
            long[][] blocks = new long[20][];
            for (int i = 0; i < blocks.length; i++) {
                long base = rnd.nextInt(1 << 16) << 16;
                int len = 16 + rnd.nextInt(17);
                long mask = len == 32 ? 0xffffffffL : (0xffffffffL << (32 - len)) & 0xffffffffL;
                long start = base & mask;
                blocks[i] = new long[] {start, start | (~mask & 0xffffffffL)};
                assertTrue(b.add(text(start) + "/" + len));
            }
            IpSet set = b.build();
            for (int q = 0; q < 2000; q++) {
                long a = (rnd.nextInt(1 << 16) << 16 | rnd.nextInt(1 << 16)) & 0xffffffffL;
                boolean expected = false;
                for (long[] bl : blocks) expected |= a >= bl[0] && a <= bl[1];
                assertEquals(expected, set.contains(text(a)), text(a));
            }
        }
    }

    private static String text(long a) {
        return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }

    @Test
    void hostileTextNeverThrows() {
        Random rnd = new Random(99);
        IpSet.Builder b = new IpSet.Builder();
        DomainSet.Builder d = new DomainSet.Builder();
        for (int i = 0; i < 20_000; i++) {
            char[] c = new char[rnd.nextInt(48)];
            for (int k = 0; k < c.length; k++) { String alphabet = "0123456789abcdef:./%x-\u0000 "; c[k] = alphabet.charAt(rnd.nextInt(alphabet.length())); }
            String s = new String(c);
            b.add(s);
            d.add(s);
            IpSet.EMPTY.contains(s);
            IpAddresses.parse(s, new long[2]);
        }
        b.build();
        d.build();
    }

    @Test
    void reloadPicksUpChangedAddedAndRemovedFiles(@TempDir Path dir) throws Exception {
        Path tor = dir.resolve("tor-exit-nodes.lst");
        Files.writeString(tor, "1.2.3.4\n");
        Files.writeString(dir.resolve("ignored.csv"), "5.6.7.8\n");
        ListRegistry r = ListRegistry.load(dir);
        assertTrue(r.get("tor-exit-nodes").ips().contains("1.2.3.4"));
        assertNull(r.get("ignored"));
        assertNull(r.reloadIfChanged(), "nothing changed");

        Files.writeString(tor, "5.6.7.8\n9.9.9.9\n");
        Files.setLastModifiedTime(tor, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Files.writeString(dir.resolve("iocs.txt"), "bad.example\n");
        assertNotNull(r.reloadIfChanged());
        assertFalse(r.get("tor-exit-nodes").ips().contains("1.2.3.4"));
        assertTrue(r.get("tor-exit-nodes").ips().contains("9.9.9.9"));
        assertTrue(r.get("iocs").domains().contains("x.bad.example"));

        Files.delete(dir.resolve("iocs.txt"));
        assertNotNull(r.reloadIfChanged());
        assertFalse(r.has("iocs"));
        assertEquals(3, r.reloads());
    }
}
