package dev.vigie.assets;

import static dev.vigie.assets.LinkFrames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hostile ARP, DHCP and name frames: counted, never thrown, never looping. */
class HostileLinkTest {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long M = mac("02:00:00:00:00:01");

    @Test
    void randomBytesAfterValidHeadersNeverThrow() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[][] ports = {{68, 67}, {67, 68}, {53, 40000}, {5353, 5353}, {5355, 40000}, {137, 137}};
        try (LinkFrames f = new LinkFrames()) {
            for (int i = 0; i < 20_000; i++) {
                byte[] payload = new byte[rnd.nextInt(0, 700)];
                for (int k = 0; k < payload.length; k++) payload[k] = (byte) rnd.nextInt(256);
                if (i % 3 == 0 && payload.length > 240) { // a valid cookie so that the options are walked
                    payload[0] = 1; payload[1] = 1; payload[2] = 6;
                    payload[236] = 0x63; payload[237] = (byte) 0x82; payload[238] = 0x53; payload[239] = 0x63;
                }
                int[] p = ports[i % ports.length];
                f.feed(udp(M, ip("10.0.0.2"), p[0], ip("10.0.0.3"), p[1], payload), T0 + i);
                byte[] arpBody = Arrays.copyOf(arp(rnd.nextInt(0, 4), rnd.nextLong() & 0xFFFFFFFFFFFFL, rnd.nextInt(),
                        rnd.nextLong() & 0xFFFFFFFFFFFFL, rnd.nextInt()), 14 + rnd.nextInt(0, 40));
                f.feed(arpBody, T0 + i);
            }
            AssetCounters c = f.tracker.counters();
            assertTrue(c.dhcpMalformed + c.nameMalformed + c.arpMalformed > 1000, c.toString());
            assertTrue(f.tracker.size() <= 20_000 + 10);
        }
    }

    @Test
    void aCompressionLoopAndLengthsPastTheEndAreMalformed() {
        try (LinkFrames f = new LinkFrames()) {
            // answer owner name = pointer to itself (offset 12)
            byte[] loop = {0x42, 0x42, (byte) 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 10, 0, 0, 1};
            f.feed(udp(M, ip("10.0.0.2"), 5353, ip("224.0.0.251"), 5353, loop), T0);
            // rdlength past the end
            byte[] past = dnsAnswer("a.local", 1, new byte[]{10, 0, 0, 1});
            past[past.length - 5] = 0x7F;
            f.feed(udp(M, ip("10.0.0.2"), 5353, ip("224.0.0.251"), 5353, past), T0 + 1);
            assertEquals(2, f.tracker.counters().nameMalformed);
            // DHCP option whose length runs past the message; 300 pad-free empty options
            byte[] bad = dhcp(1, M, 0, 0, new byte[]{12, (byte) 200, 'x'});
            bad = Arrays.copyOf(bad, bad.length - 1); // drop the end option
            f.feed(udp(M, 0, 68, -1, 67, bad), T0 + 2);
            byte[][] many = new byte[300][];
            for (int i = 0; i < many.length; i++) many[i] = new byte[]{(byte) 200, 0};
            f.feed(udp(M, 0, 68, -1, 67, dhcp(1, M, 0, 0, many)), T0 + 3);
            assertEquals(2, f.tracker.counters().dhcpMalformed);
            // ARP with a hardware length that is not Ethernet's
            long other = mac("02:00:00:00:00:09");
            byte[] odd = arp(1, other, ip("10.0.0.2"), 0, ip("10.0.0.3"));
            odd[14 + 4] = 8;
            f.feed(odd, T0 + 4);
            assertEquals(null, f.tracker.record("02:00:00:00:00:09"), "not read as an Ethernet/IPv4 binding");
        }
    }
}
