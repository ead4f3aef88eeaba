package dev.vigie.assets;

import static dev.vigie.assets.LinkFrames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * 100,000 assets, each with a DHCP name, fingerprint and vendor class, an ARP binding and a NetBIOS name, fit in
 * 100 MB: by the inventory's own accounting (what it reports) and by the heap measured after collection.
 */
class AssetMemoryTest {
    static final long S = 1_000_000_000L, T0 = 1_700_000_000L * S;

    @Test
    void oneHundredThousandAssetsFitInOneHundredMegabytes() {
        Runtime rt = Runtime.getRuntime();
        long before = usedAfterGc(rt);
        try (LinkFrames f = new LinkFrames()) {
            byte[] params = {1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, (byte) 249, (byte) 252};
            for (int i = 0; i < 100_000; i++) {
                long mac = 0x00_1c_42_00_00_00L + i;
                int ip = ip("10.128.0.0") + i + 1;
                f.feed(udp(mac, 0, 68, -1, 67, dhcp(1, mac, 0, 0, option(53, new byte[]{3}),
                        option(12, "pc-" + Integer.toHexString(i)), option(55, params), option(60, "MSFT 5.0"))), T0 + i * 1000L);
                f.feed(arp(2, mac, ip, 0x00_1c_42_ff_ff_ffL, ip("10.128.0.1")), T0 + i * 1000L + 1);
                f.feed(udp(mac, ip, 137, ip("10.255.255.255"), 137,
                        LinkObservationsTest.netbiosRegistration("PC-" + Integer.toHexString(i).toUpperCase(), ip)), T0 + i * 1000L + 2);
            }
            assertEquals(100_000, f.tracker.size());
            long estimated = f.tracker.estimatedBytes();
            long measured = usedAfterGc(rt) - before;
            System.out.printf("100,000 assets: %,d bytes by the inventory's accounting (%d per asset), %,d measured on the heap (%d per asset)%n",
                    estimated, estimated / 100_000, measured, measured / 100_000);
            assertTrue(estimated <= 100L << 20, "accounting " + estimated);
            assertTrue(measured <= 100L << 20, "heap " + measured);
            AssetRecord one = f.tracker.record("00:1c:42:00:00:2a");
            assertEquals("pc-2a", one.hostname());
            assertEquals("Windows", one.osFamily());
        }
    }

    static long usedAfterGc(Runtime rt) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
