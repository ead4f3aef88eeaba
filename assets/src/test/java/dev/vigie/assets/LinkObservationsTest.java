package dev.vigie.assets;

import static dev.vigie.assets.LinkFrames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.alerts.Alert;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the tracker learns from crafted ARP, DHCP and name frames, and the link detections they raise. */
class LinkObservationsTest {
    static final long S = 1_000_000_000L, T0 = 1_700_000_000L * S;
    static final long A = mac("00:0c:29:4b:a1:17"), B = mac("02:77:0a:00:00:05"), C = mac("02:77:0a:00:00:06");

    private static List<Alert> run(Inventory ref, java.util.function.Consumer<LinkFrames> frames) {
        List<Alert> alerts = new ArrayList<>();
        try (LinkFrames f = new LinkFrames()) {
            AssetDetector d = new AssetDetector(ref, Duration.ZERO, alerts::add).attach(f.tracker);
            frames.accept(f);
            d.flush();
        }
        return alerts;
    }

    private static List<String> ids(List<Alert> alerts) {
        return alerts.stream().map(Alert::ruleId).toList();
    }

    @Test
    void dhcpDiscoverNamesTheMacAndTheAckGivesItsAddress() {
        try (LinkFrames f = new LinkFrames()) {
            f.feed(udp(A, 0, 68, -1, 67, dhcp(1, A, 0, 0, option(53, new byte[]{1}), option(12, "kali"),
                    option(55, new byte[]{1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42}), option(60, "dhcpcd-9.4.1:Linux-6.1"))), T0);
            f.feed(udp(mac("02:77:01:00:00:35"), ip("10.77.1.53"), 67, ip("10.77.10.154"), 68,
                    dhcp(2, A, 0, ip("10.77.10.154"), option(53, new byte[]{5}))), T0 + S);
            AssetRecord r = f.tracker.record("00:0c:29:4b:a1:17");
            assertNotNull(r);
            assertEquals("kali", r.hostname());
            assertEquals(List.of("kali (dhcp)"), r.hostnames());
            assertEquals("VMware, Inc.", r.vendor());
            assertEquals("10.77.10.154", r.ip());
            assertEquals("1,28,2,3,15,6,119,12,44,47,26,121,42", r.dhcpFingerprint());
            assertEquals("Linux", r.osFamily());
            assertTrue(r.osConfidence() >= 0.9, r.osReasons());
            assertEquals(2, f.tracker.counters().dhcpMessages);
        }
    }

    @Test
    void ptrMdnsAndNetbiosAnswersNameTheAddress() {
        try (LinkFrames f = new LinkFrames()) {
            f.feed(arp(2, B, ip("10.0.0.5"), C, ip("10.0.0.6")), T0);
            f.feed(udp(C, ip("10.0.0.53"), 53, ip("10.0.0.6"), 40000,
                    dnsAnswer("5.0.0.10.in-addr.arpa", 12, name("ws05.hopital.lan"))), T0 + S);
            f.feed(udp(B, ip("10.0.0.5"), 5353, ip("224.0.0.251"), 5353,
                    dnsAnswer("ws05-mac.local", 1, new byte[]{10, 0, 0, 5})), T0 + 2 * S);
            // NetBIOS name registration: question name + additional NB record with the address
            byte[] nb = netbiosRegistration("WS05-PC", ip("10.0.0.5"));
            f.feed(udp(B, ip("10.0.0.5"), 137, ip("10.0.0.255"), 137, nb), T0 + 3 * S);
            AssetRecord r = f.tracker.record("02:77:0a:00:00:05");
            assertEquals(List.of("ws05.hopital.lan (dns-ptr)", "ws05-mac (mdns)", "ws05-pc (netbios)"), r.hostnames());
        }
    }

    static byte[] netbiosRegistration(String name, int address) {
        byte[] encoded = new byte[34];
        encoded[0] = 32;
        byte[] raw = (name + " ".repeat(15 - name.length())).getBytes(StandardCharsets.US_ASCII);
        byte[] sixteen = new byte[16];
        System.arraycopy(raw, 0, sixteen, 0, 15);
        sixteen[15] = 0;
        for (int i = 0; i < 16; i++) {
            encoded[1 + 2 * i] = (byte) ('A' + ((sixteen[i] >> 4) & 15));
            encoded[2 + 2 * i] = (byte) ('A' + (sixteen[i] & 15));
        }
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        put(o, 0x1111, 2);
        put(o, 0x2910, 2); // registration (opcode 5), RD
        put(o, 1, 2);
        put(o, 0, 2);
        put(o, 0, 2);
        put(o, 1, 2);
        o.writeBytes(encoded);
        put(o, 0x20, 2);
        put(o, 1, 2);
        o.write(0xC0);
        o.write(12);
        put(o, 0x20, 2);
        put(o, 1, 2);
        put(o, 300000, 4);
        put(o, 6, 2);
        put(o, 0, 2);
        put(o, address & 0xFFFFFFFFL, 4);
        return o.toByteArray();
    }

    @Test
    void anAddressClaimedByASecondMacIsAConflictAndASpoofAgainstTheReference() {
        List<Alert> none = run(null, f -> {
            f.feed(arp(2, B, ip("10.0.0.1"), C, ip("10.0.0.6")), T0);
            f.feed(arp(2, C, ip("10.0.0.6"), B, ip("10.0.0.1")), T0 + S);
        });
        assertEquals(List.of(), ids(none), "two hosts, each its own address: nothing");
        List<Alert> conflict = run(null, f -> {
            f.feed(arp(2, B, ip("10.0.0.1"), C, ip("10.0.0.6")), T0);
            f.feed(arp(2, C, ip("10.0.0.1"), B, ip("10.0.0.5")), T0 + S);
        });
        assertTrue(ids(conflict).contains("vigie.asset.address_conflict"), ids(conflict).toString());
        Inventory ref = new Inventory(List.of(AssetRecord.declared("02:77:0a:00:00:05", "10.0.0.1", "gw", null, "network device", null, List.of())), "cmdb");
        List<Alert> spoof = run(ref, f -> {
            f.feed(arp(2, B, ip("10.0.0.1"), C, ip("10.0.0.6")), T0);
            f.feed(arp(2, C, ip("10.0.0.1"), B, ip("10.0.0.5")), T0 + S);
        });
        assertTrue(ids(spoof).contains("vigie.asset.arp_spoof"), ids(spoof).toString());
        Alert a = spoof.stream().filter(x -> x.ruleId().equals("vigie.asset.arp_spoof")).findFirst().orElseThrow();
        assertEquals("02:77:0a:00:00:06", a.evidence().get("claimed_by"));
        assertEquals("02:77:0a:00:00:05", a.evidence().get("reference_owner"));
    }

    @Test
    void oneMacClaimingTwoAddressesAndGratuitousStorms() {
        List<Alert> multi = run(null, f -> {
            f.feed(arp(2, B, ip("172.16.0.1"), C, ip("172.16.0.107")), T0);
            f.feed(arp(1, B, ip("172.16.0.105"), 0, ip("172.16.0.1")), T0 + 60 * S);
        });
        assertEquals(List.of("vigie.asset.arp_multi_claim"), ids(multi));
        assertEquals(List.of("172.16.0.1", "172.16.0.105"), multi.get(0).evidence().get("claimed"));
        // the same two claims ten minutes apart: a readdressing, not a claim of two
        assertEquals(List.of(), ids(run(null, f -> {
            f.feed(arp(2, B, ip("172.16.0.1"), C, ip("172.16.0.107")), T0);
            f.feed(arp(1, B, ip("172.16.0.105"), 0, ip("172.16.0.1")), T0 + 600 * S);
        })));
        List<Alert> storm = run(null, f -> {
            for (int i = 0; i < 25; i++) f.feed(arp(1, B, ip("10.0.0.5"), 0, ip("10.0.0.5")), T0 + i * S / 10);
        });
        assertEquals(List.of("vigie.asset.garp_storm"), ids(storm));
        assertEquals(List.of(), ids(run(null, f -> {
            for (int i = 0; i < 25; i++) f.feed(arp(1, B, ip("10.0.0.5"), 0, ip("10.0.0.5")), T0 + i * 60 * S);
        })), "one announcement a minute is not a storm");
    }

    @Test
    void offensiveHostnameWaitsForTheLeaseSoTheAlertNamesTheAddress() {
        List<Alert> alerts = run(new Inventory(List.of(), "empty"), f -> {
            f.feed(udp(A, 0, 68, -1, 67, dhcp(1, A, 0, 0, option(53, new byte[]{1}), option(12, "kali"))), T0);
            f.feed(udp(mac("02:77:01:00:00:35"), ip("10.77.1.53"), 67, ip("10.77.10.154"), 68,
                    dhcp(2, A, 0, ip("10.77.10.154"), option(53, new byte[]{5}))), T0 + S);
            f.feed(arp(1, A, ip("10.77.10.154"), 0, ip("10.77.1.53")), T0 + 10 * S);
        });
        Alert host = alerts.stream().filter(a -> a.ruleId().equals("vigie.asset.offensive_hostname")).findFirst().orElseThrow();
        assertEquals("10.77.10.154", host.srcIp());
        Alert fresh = alerts.stream().filter(a -> a.ruleId().equals("vigie.asset.new")).findFirst().orElseThrow();
        assertEquals("kali", fresh.evidence().get("hostname"));
        assertEquals("VMware, Inc.", fresh.evidence().get("vendor"));
        assertEquals("Kali Linux", fresh.evidence().get("os"));
        assertNull(run(null, f -> f.feed(udp(B, 0, 68, -1, 67, dhcp(1, B, 0, 0, option(12, "kalinda-desk"))), T0))
                .stream().findFirst().orElse(null), "kalinda is not kali");
    }

    @Test
    void theInventoryIsBoundedAndEvictsTheLeastRecentlySeen() {
        try (LinkFrames f = new LinkFrames(AssetConfig.defaults().withMaxAssets(1000))) {
            for (int i = 0; i < 5000; i++) {
                f.feed(arp(1, 0x020000000000L + i, ip("10.1.0.0") + i, 0, ip("10.1.255.254")), T0 + i * 1000L);
            }
            assertEquals(1000, f.tracker.size());
            assertEquals(4000, f.tracker.counters().assetsEvicted);
            assertNull(f.tracker.record("02:00:00:00:00:00"), "the first seen went first");
            assertNotNull(f.tracker.record("02:00:00:00:13:87"), "the last (4999 = 0x1387) is kept");
        }
    }
}
