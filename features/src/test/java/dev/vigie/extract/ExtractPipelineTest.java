package dev.vigie.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.capture.CaptureError;
import dev.vigie.capture.LinkType;
import dev.vigie.capture.TestCaptures;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.decode.Frames;
import dev.vigie.flow.FlowConfig;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crafted captures through reader, decoder, flow table and Arrow rows, with hand-computed expectations. */
class ExtractPipelineTest {
    @TempDir
    Path tmp;

    static final long CLIENT = 0x0A000001L, SERVER = 0x0A000002L; // 10.0.0.1, 10.0.0.2

    static byte[] tcpFrame(long src, long dst, int sport, int dport, int flags, long seq, byte[] payload) {
        Frames.Tcp t = Frames.tcp();
        t.srcPort = sport;
        t.dstPort = dport;
        t.flags = flags;
        t.seq = seq;
        if ((flags & DecodedPacket.TCP_SYN) != 0) {
            t.options(Frames.allTcpOptions()); // MSS 1460, window scale 7, SACK-permitted, timestamps
        }
        Frames.Ipv4 ip = Frames.ipv4().protocol(DecodedPacket.PROTO_TCP);
        ip.src = src;
        ip.dst = dst;
        return Frames.ethernet(0x0800, ip.build(t.build(payload)));
    }

    static byte[] udpFrame(long src, long dst, int sport, int dport, byte[] payload) {
        Frames.Ipv4 ip = Frames.ipv4().protocol(DecodedPacket.PROTO_UDP);
        ip.src = src;
        ip.dst = dst;
        return Frames.ethernet(0x0800, ip.build(Frames.udp(sport, dport, payload)));
    }

    Path write(String name, byte[] content) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void snaplenCutPacketsCountWireLengthsAndTruncatedLastRecordKeepsEarlierPackets() throws Exception {
        int syn = DecodedPacket.TCP_SYN, ack = DecodedPacket.TCP_ACK, psh = DecodedPacket.TCP_PSH;
        TestCaptures.Pcap pcap = new TestCaptures.Pcap(ByteOrder.LITTLE_ENDIAN, false, 96, LinkType.ETHERNET);
        pcap.record(100, 0, tcpFrame(CLIENT, SERVER, 40000, 80, syn, 1000, new byte[0]));
        pcap.record(100, 1000, tcpFrame(SERVER, CLIENT, 80, 40000, syn | ack, 5000, new byte[0]));
        pcap.record(100, 2000, tcpFrame(CLIENT, SERVER, 40000, 80, ack, 1001, new byte[0]));
        // 1000 bytes of payload on the wire, cut to 96 bytes by the snaplen
        byte[] big = tcpFrame(CLIENT, SERVER, 40000, 80, ack | psh, 1001, new byte[1000]);
        byte[] cut = java.util.Arrays.copyOf(big, 96);
        pcap.record(100, 3000, 96, big.length, cut);
        byte[] whole = pcap.bytes();
        // the file ends in the middle of a fifth record
        byte[] lastRecord = new TestCaptures.Pcap(ByteOrder.LITTLE_ENDIAN, false, 96, LinkType.ETHERNET)
                .record(100, 4000, tcpFrame(SERVER, CLIENT, 80, 40000, ack, 5001, new byte[0])).bytes();
        byte[] truncated = new byte[whole.length + 30];
        System.arraycopy(whole, 0, truncated, 0, whole.length);
        System.arraycopy(lastRecord, 24, truncated, whole.length, 30);

        ExtractHarness h = ExtractHarness.run(FlowConfig.DEFAULTS, write("cut.pcap", truncated));
        assertEquals(4, h.counters.capture.packets);
        assertEquals(1, h.counters.faults.size());
        assertEquals(CaptureError.TRUNCATED_RECORD, h.counters.faults.get(0).error());
        assertEquals(1, h.rows.size());
        Map<String, Object> r = h.rows.get(0);
        assertEquals(3L, r.get("orig_pkts"));
        assertEquals(1L, r.get("resp_pkts"));
        assertEquals(1000L, r.get("orig_bytes"), "payload per the IP header, not per the captured bytes");
        assertEquals((40L + 24) + 40 + 1040, r.get("orig_ip_bytes"), "SYN with 21 option bytes padded to 24, ACK, and the 1,000-byte segment");
        assertEquals(1000, r.get("orig_payload_max"));
        assertEquals(Boolean.TRUE, r.get("orig_sack_ok"));
        assertEquals(Boolean.TRUE, r.get("orig_tcp_ts"));
        assertEquals("S1", r.get("conn_state"));
        assertEquals("ShAD", r.get("history"));
        assertEquals("eof", r.get("end_reason"));
        assertEquals(1460, r.get("orig_mss"));
        assertEquals(7, r.get("orig_wscale"));
        assertEquals(64, r.get("orig_ttl_first"));
        assertNotNull(r.get("community_id"));
        assertEquals("10.0.0.1", r.get("orig_h"));
        assertEquals(40000, r.get("orig_p"));
        assertEquals(1, h.counters.capture.truncatedBySnaplen);
    }

    @Test
    void ipv4FragmentsJoinTheirFlowAndUnknownEtherTypesAreCounted() throws Exception {
        TestCaptures.Pcap pcap = new TestCaptures.Pcap(ByteOrder.BIG_ENDIAN, true, 65535, LinkType.ETHERNET);
        // a 2,000-byte UDP datagram in two fragments: the first carries the UDP header (ports), the second not
        byte[] udpHeaderAndData = Frames.udp(5353, 9999, new byte[2000 - 8]);
        byte[] part1 = java.util.Arrays.copyOfRange(udpHeaderAndData, 0, 1480);
        byte[] part2 = java.util.Arrays.copyOfRange(udpHeaderAndData, 1480, udpHeaderAndData.length);
        Frames.Ipv4 f1 = Frames.ipv4().protocol(DecodedPacket.PROTO_UDP).fragment(true, 0);
        f1.src = CLIENT;
        f1.dst = SERVER;
        f1.id = 77;
        Frames.Ipv4 f2 = Frames.ipv4().protocol(DecodedPacket.PROTO_UDP).fragment(false, 1480 / 8);
        f2.src = CLIENT;
        f2.dst = SERVER;
        f2.id = 77;
        pcap.record(200, 0, Frames.ethernet(0x0800, f1.build(part1)));
        pcap.record(200, 5, Frames.ethernet(0x0800, f2.build(part2)));
        pcap.record(200, 10, udpFrame(SERVER, CLIENT, 9999, 5353, new byte[10]));
        pcap.record(200, 20, Frames.ethernet(0x88B5, new byte[46])); // local experimental EtherType
        ExtractHarness h = ExtractHarness.run(FlowConfig.DEFAULTS, write("frag.pcap", pcap.bytes()));
        assertEquals(1, h.rows.size(), h.rows.toString());
        Map<String, Object> r = h.rows.get(0);
        assertEquals(2L, r.get("orig_pkts"));
        assertEquals(2, r.get("fragments"));
        assertEquals(5353, r.get("orig_p"));
        assertEquals(20L + 1480 + 20 + 520, r.get("orig_ip_bytes"));
        assertEquals(1L, r.get("resp_pkts"));
        assertEquals("SF", r.get("conn_state"));
        assertEquals(1, h.counters.decode.otherEtherType);
        assertEquals(1, h.counters.decode.byEtherType[0x88B5]);
        assertEquals(0, h.counters.flows.orphanFragments);
    }

    @Test
    void oneSidedUdpHasNullResponderStatistics() throws Exception {
        TestCaptures.Pcap pcap = new TestCaptures.Pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, LinkType.ETHERNET);
        pcap.record(300, 0, udpFrame(CLIENT, SERVER, 1234, 53, new byte[30]));
        ExtractHarness h = ExtractHarness.run(FlowConfig.DEFAULTS, write("one.pcap", pcap.bytes()));
        Map<String, Object> r = h.rows.get(0);
        assertEquals("S0", r.get("conn_state"));
        assertEquals(0L, r.get("resp_pkts"));
        assertNull(r.get("resp_payload_mean"));
        assertNull(r.get("orig_iat_mean"), "one packet has no inter-arrival time");
        assertNull(r.get("orig_mss"));
        assertEquals(0.0, (Double) r.get("duration"));
    }

    @Test
    void everyFaultKeepsGoingWithTheOtherInputs() throws Exception {
        TestCaptures.Pcap good = new TestCaptures.Pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, LinkType.ETHERNET);
        good.record(400, 0, udpFrame(CLIENT, SERVER, 1, 2, new byte[4]));
        Path empty = write("empty.pcap", new byte[0]);
        Path garbage = write("garbage.pcap", "this is not a capture file at all".getBytes());
        ExtractHarness h = ExtractHarness.run(FlowConfig.DEFAULTS, empty, write("good.pcap", good.bytes()), garbage, tmp);
        assertEquals(1, h.rows.size());
        assertEquals(3, h.counters.faults.size(), h.counters.faults.toString());
        assertTrue(h.counters.faults.stream().anyMatch(f -> f.error() == CaptureError.EMPTY_FILE));
        assertTrue(h.counters.faults.stream().anyMatch(f -> f.error() == CaptureError.BAD_MAGIC));
        assertTrue(h.counters.faults.stream().anyMatch(f -> f.error() == CaptureError.NOT_A_FILE));
    }
}
