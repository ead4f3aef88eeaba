package dev.vigie.decode;

import static dev.vigie.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.capture.LinkType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketDecoderTest {
    private final DecodeCounters counters = new DecodeCounters();
    private final PacketDecoder decoder = new PacketDecoder(counters);
    private final DecodedPacket out = new DecodedPacket();
    private final CapturedPacket frame = new CapturedPacket();
    private long frames;
    private long malformed;
    /** Every error reason some test in this class produced; checked against the enum in one test below. */
    private static final Set<DecodeError> SEEN = EnumSet.noneOf(DecodeError.class);

    private DecodeResult decode(int linkType, byte[] bytes) {
        return decode(linkType, bytes, bytes.length, bytes.length);
    }

    private DecodeResult decode(int linkType, byte[] bytes, int captureLength, int originalLength) {
        // Exactly the captured bytes: a read past captureLength throws instead of quietly reading stale data.
        frame.data = Arrays.copyOf(bytes, captureLength);
        frame.captureLength = captureLength;
        frame.originalLength = originalLength;
        frame.linkType = linkType;
        DecodeResult r = decoder.decode(frame, out);
        frames++;
        if (r == DecodeResult.MALFORMED) {
            malformed++;
        }
        if (out.error != null) {
            synchronized (SEEN) {
                SEEN.add(out.error);
            }
        }
        assertNull(DecodeInvariants.check(frame, out, r));
        return r;
    }

    private void assertMalformed(DecodeError reason, DecodeResult r) {
        assertEquals(DecodeResult.MALFORMED, r);
        assertEquals(reason, out.error);
        assertEquals(1, counters.errors.get(reason));
        assertEquals(1, counters.errors.total(), "a malformed frame is counted once");
    }

    @AfterEach
    void countersAddUp() {
        assertNull(DecodeInvariants.checkCounters(counters, frames, malformed));
    }

    private static byte[] tcpSynV4() {
        return ipv4().build(tcp().options(allTcpOptions()).build(new byte[0]));
    }

    // ------------------------------------------------------------------------------------------------ Ethernet

    @Test
    void ethernetIpv4TcpWithEveryOption() {
        Tcp t = tcp().options(allTcpOptions());
        t.flags = DecodedPacket.TCP_SYN | DecodedPacket.TCP_ECE | DecodedPacket.TCP_CWR | 0x100;
        byte[] payload = pattern(10);
        DecodeResult r = decode(LinkType.ETHERNET, ethernet(0x0800, ipv4().build(t.build(payload))));

        assertEquals(DecodeResult.IP, r);
        assertNull(out.error);
        assertEquals(MAC_A, out.srcMac);
        assertEquals(MAC_B, out.dstMac);
        assertEquals(0x0800, out.etherType);
        assertEquals(14, out.networkOffset);
        assertEquals(0, out.vlanOuter);
        assertEquals(4, out.ipVersion);
        assertEquals(0, out.srcHi);
        assertEquals(IP_A, out.srcLo);
        assertEquals(IP_B, out.dstLo);
        assertEquals(6, out.protocol);
        assertEquals(64, out.ttl);
        assertEquals(0x28, out.tos);
        assertEquals(0x1234, out.fragmentId);
        assertFalse(out.fragment);
        assertEquals(20, out.ipHeaderLength);
        assertEquals(20 + 44 + 10, out.ipTotalLength);

        assertTrue(out.hasTransport);
        assertEquals(49152, out.srcPort);
        assertEquals(443, out.dstPort);
        assertEquals(0xF000_0001L, out.tcpSeq);
        assertEquals(0x8000_0002L, out.tcpAck);
        assertEquals(0x1C2, out.tcpFlags, "SYN, ECE, CWR and the NS bit");
        assertEquals(64240, out.tcpWindow);
        assertEquals(44, out.tcpHeaderLength, "21 bytes of options, padded");
        assertEquals(1460, out.tcpMss);
        assertEquals(7, out.tcpWindowScale);
        assertTrue(out.tcpSackPermitted);
        assertTrue(out.tcpTimestamps);
        assertEquals(-1, out.icmpType);

        assertEquals(14 + 20 + 44, out.payloadOffset);
        assertEquals(10, out.payloadLength);
        assertEquals(10, out.payloadCaptured);
        assertEquals(payload[0], frame.data[out.payloadOffset]);

        assertEquals(1, counters.ipv4);
        assertEquals(1, counters.tcp);
        assertEquals(0, counters.errors.total());
    }

    @Test
    void tcpWithoutOptionsLeavesOptionFieldsAbsent() {
        decode(LinkType.ETHERNET, ethernet(0x0800, ipv4().build(tcp().build(pattern(3)))));
        assertEquals(20, out.tcpHeaderLength);
        assertEquals(-1, out.tcpMss);
        assertEquals(-1, out.tcpWindowScale);
        assertFalse(out.tcpSackPermitted);
        assertFalse(out.tcpTimestamps);
        assertEquals(DecodedPacket.TCP_SYN, out.tcpFlags);
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] f = padTo60(ethernet(0x0800, ipv4().protocol(17).build(udp(5353, 53, pattern(4)))));
        assertEquals(60, f.length);
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f));
        assertEquals(14 + 20 + 8, out.payloadOffset);
        assertEquals(4, out.payloadLength);
        assertEquals(4, out.payloadCaptured);
        assertEquals(32, out.ipTotalLength);
        assertEquals(1, counters.udp);
    }

    @Test
    void snaplenCutPayload() {
        byte[] f = ethernet(0x0800, ipv4().build(tcp().build(pattern(1000))));
        assertEquals(1054, f.length);
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f, 96, f.length));
        assertNull(out.error, "a cut payload is normal, not an error");
        assertEquals(1040, out.ipTotalLength);
        assertEquals(54, out.payloadOffset);
        assertEquals(1000, out.payloadLength);
        assertEquals(96 - 54, out.payloadCaptured);
    }

    @Test
    void tcpOptionsCutBySnaplenStillDecode() {
        // Old tcpdump's 68-byte snaplen cuts a SYN's options: keep the flow, note the cut.
        byte[] f = ethernet(0x0800, tcpSynV4());
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f, 14 + 20 + 20 + 7, f.length));
        assertEquals(DecodeError.TRUNCATED_TCP_HEADER, out.error);
        assertTrue(out.hasTransport);
        assertEquals(443, out.dstPort);
        assertEquals(1460, out.tcpMss, "options wholly captured are read");
        assertEquals(-1, out.tcpWindowScale, "the cut option is not");
        assertEquals(0, out.payloadCaptured);
        assertEquals(1, counters.tcp);
        assertEquals(1, counters.errors.get(DecodeError.TRUNCATED_TCP_HEADER));
    }

    @Test
    void unknownEtherTypeIsCountedByValue() {
        assertEquals(DecodeResult.OTHER, decode(LinkType.ETHERNET, padTo60(ethernet(0x88CC, pattern(20)))));
        assertEquals(0x88CC, out.etherType);
        assertEquals(14, out.networkOffset);
        assertEquals(1, counters.otherEtherType);
        assertEquals(1, counters.byEtherType[0x88CC]);
        assertEquals(0, counters.errors.total());
    }

    @Test
    void ieee8023LengthFramesShareOneBucket() {
        // Spanning tree BPDU: 802.3 length 38, LLC 42 42 03.
        byte[] llc = new Bytes().u8(0x42).u8(0x42).u8(0x03).bytes(pattern(35)).array();
        decode(LinkType.ETHERNET, padTo60(ethernet(llc.length, llc)));
        assertEquals(DecodeResult.OTHER, decode(LinkType.ETHERNET, padTo60(ethernet(1500, llc))));
        assertEquals(PacketDecoder.ETHERTYPE_802_3_LENGTH, out.etherType);
        assertEquals(2, counters.byEtherType[PacketDecoder.ETHERTYPE_802_3_LENGTH]);
        assertEquals(2, counters.otherEtherType);
        // 0x05DC < type < 0x0600 is neither a length nor an EtherType: counted as itself.
        decode(LinkType.ETHERNET, padTo60(ethernet(0x05FF, llc)));
        assertEquals(1, counters.byEtherType[0x05FF]);
    }

    @Test
    void arp() {
        assertEquals(DecodeResult.ARP, decode(LinkType.ETHERNET, padTo60(ethernet(0x0806, arpRequest()))));
        assertEquals(0x0806, out.etherType);
        assertEquals(14, out.networkOffset);
        assertEquals(0, out.ipVersion);
        assertEquals(1, counters.arp);
    }

    @Test
    void truncatedArpAddresses() {
        byte[] f = ethernet(0x0806, Arrays.copyOf(arpRequest(), 20));
        assertMalformed(DecodeError.TRUNCATED_ARP, decode(LinkType.ETHERNET, f));
        assertEquals(0, counters.arp);
    }

    @Test
    void truncatedArpFixedHeader() {
        assertMalformed(DecodeError.TRUNCATED_ARP,
                decode(LinkType.ETHERNET, ethernet(0x0806, Arrays.copyOf(arpRequest(), 7))));
    }

    @Test
    void truncatedEthernetHeader() {
        assertMalformed(DecodeError.TRUNCATED_LINK_HEADER, decode(LinkType.ETHERNET, new byte[13]));
        assertEquals(-1, out.networkOffset);
    }

    // ----------------------------------------------------------------------------------------------------- VLAN

    @Test
    void singleVlanTag() {
        byte[] f = ethernetTagged(new int[][] {{0x8100, 100}}, 0x0800, tcpSynV4());
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f));
        assertEquals(100, out.vlanOuter);
        assertEquals(0, out.vlanInner);
        assertEquals(18, out.networkOffset);
        assertEquals(0x0800, out.etherType);
        assertEquals(1460, out.tcpMss);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x88A8, 0x9100, 0x8100})
    void qinq(int outerTpid) {
        byte[] f = ethernetTagged(new int[][] {{outerTpid, 4001}, {0x8100, 42}}, 0x86DD,
                ipv6(17, udp(1, 2, pattern(3))));
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f));
        assertEquals(4001, out.vlanOuter);
        assertEquals(42, out.vlanInner);
        assertEquals(22, out.networkOffset);
        assertEquals(6, out.ipVersion);
        assertEquals(2, out.dstPort);
    }

    @Test
    void threeTagsAreCountedButDecoded() {
        byte[] f = ethernetTagged(new int[][] {{0x88A8, 1}, {0x8100, 2}, {0x8100, 3}}, 0x0800, tcpSynV4());
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f));
        assertEquals(DecodeError.TOO_MANY_VLAN_TAGS, out.error);
        assertEquals(1, out.vlanOuter);
        assertEquals(2, out.vlanInner);
        assertEquals(26, out.networkOffset);
        assertEquals(443, out.dstPort);
        assertEquals(1, counters.errors.get(DecodeError.TOO_MANY_VLAN_TAGS));
        assertEquals(1, counters.ipv4);
    }

    @Test
    void beyondTheTagLimitIsMalformed() {
        int[][] tags = new int[PacketDecoder.MAX_VLAN_TAGS + 1][];
        Arrays.fill(tags, new int[] {0x8100, 7});
        assertMalformed(DecodeError.TOO_MANY_VLAN_TAGS,
                decode(LinkType.ETHERNET, ethernetTagged(tags, 0x0800, tcpSynV4())));
    }

    @Test
    void aFailureAfterAnAnomalyIsCountedOnceByTheFailure() {
        byte[] f = ethernetTagged(new int[][] {{0x8100, 1}, {0x8100, 2}, {0x8100, 3}}, 0x0800, new byte[10]);
        assertMalformed(DecodeError.TRUNCATED_IPV4_HEADER, decode(LinkType.ETHERNET, f));
        assertEquals(0, counters.errors.get(DecodeError.TOO_MANY_VLAN_TAGS));
    }

    @Test
    void truncatedVlanTag() {
        byte[] f = new Bytes().mac(MAC_B).mac(MAC_A).u16(0x8100).u16(5).u8(0x08).array();
        assertMalformed(DecodeError.TRUNCATED_VLAN_TAG, decode(LinkType.ETHERNET, f));
    }

    // -------------------------------------------------------------------------------------------- SLL, SLL2

    @Test
    void linuxCookedWithMac() {
        assertEquals(DecodeResult.IP, decode(LinkType.LINUX_SLL, sll(6, 0x0800, tcpSynV4())));
        assertEquals(MAC_A, out.srcMac);
        assertEquals(-1, out.dstMac);
        assertEquals(16, out.networkOffset);
        assertEquals(443, out.dstPort);
    }

    @Test
    void linuxCookedWithoutMac() {
        // A tunnel device: no link-layer address.
        assertEquals(DecodeResult.IP, decode(LinkType.LINUX_SLL, sll(0, 0x86DD, ipv6(6, tcp().build(new byte[0])))));
        assertEquals(-1, out.srcMac);
        assertEquals(6, out.ipVersion);
    }

    @Test
    void linuxCookedVlanAndArp() {
        byte[] tagged = new Bytes().u16(300).u16(0x0806).bytes(arpRequest()).array();
        assertEquals(DecodeResult.ARP, decode(LinkType.LINUX_SLL, sll(6, 0x8100, tagged)));
        assertEquals(300, out.vlanOuter);
    }

    @Test
    void linuxCookedProtocolCodesAreTheirOwnBuckets() {
        assertEquals(DecodeResult.OTHER, decode(LinkType.LINUX_SLL, sll(6, 0x0004, pattern(10))));
        assertEquals(4, out.etherType);
        assertEquals(1, counters.byEtherType[4]);
    }

    @Test
    void linuxCooked2() {
        assertEquals(DecodeResult.IP, decode(LinkType.LINUX_SLL2, sll2(0x86DD, 6, ipv6(6, tcp().build(pattern(5))))));
        assertEquals(MAC_A, out.srcMac);
        assertEquals(-1, out.dstMac);
        assertEquals(20, out.networkOffset);
        assertEquals(IP6_HI, out.srcHi);
        assertEquals(IP6_A_LO, out.srcLo);
        assertEquals(IP6_HI, out.dstHi);
        assertEquals(IP6_B_LO, out.dstLo);
        assertEquals(5, out.payloadLength);
        decode(LinkType.LINUX_SLL2, sll2(0x0800, 0, tcpSynV4()));
        assertEquals(-1, out.srcMac);
    }

    @Test
    void truncatedCookedHeaders() {
        assertMalformed(DecodeError.TRUNCATED_LINK_HEADER, decode(LinkType.LINUX_SLL, new byte[15]));
        DecodeCounters fresh = new DecodeCounters();
        PacketDecoder other = new PacketDecoder(fresh);
        frame.data = sll2(0x0800, 6, new byte[0]);
        frame.captureLength = 19;
        frame.linkType = LinkType.LINUX_SLL2;
        assertEquals(DecodeResult.MALFORMED, other.decode(frame, out));
        assertEquals(1, fresh.errors.get(DecodeError.TRUNCATED_LINK_HEADER));
    }

    // ----------------------------------------------------------------------------------------------- raw IP

    @ParameterizedTest
    @ValueSource(ints = {LinkType.RAW, LinkType.RAW_ALT12, LinkType.RAW_ALT14})
    void rawChoosesByVersion(int linkType) {
        assertEquals(DecodeResult.IP, decode(linkType, tcpSynV4()));
        assertEquals(4, out.ipVersion);
        assertEquals(0x0800, out.etherType);
        assertEquals(0, out.networkOffset);
        assertEquals(-1, out.srcMac);
        assertEquals(DecodeResult.IP, decode(linkType, ipv6(17, udp(53, 5353, pattern(12)))));
        assertEquals(6, out.ipVersion);
        assertEquals(0x86DD, out.etherType);
        assertEquals(12, out.payloadLength);
        assertEquals(0xB8, out.tos);
        assertEquals(57, out.ttl);
    }

    @Test
    void rawWithAnotherVersion() {
        byte[] f = tcpSynV4();
        f[0] = 0x55;
        assertMalformed(DecodeError.BAD_IP_VERSION, decode(LinkType.RAW, f));
    }

    @Test
    void emptyRawFrame() {
        assertMalformed(DecodeError.TRUNCATED_LINK_HEADER, decode(LinkType.RAW, new byte[0]));
    }

    @Test
    void ipv4AndIpv6LinkTypes() {
        assertEquals(DecodeResult.IP, decode(LinkType.IPV4, tcpSynV4()));
        assertEquals(DecodeResult.IP, decode(LinkType.IPV6, ipv6(59, new byte[0])));
        assertEquals(59, out.protocol);
        assertEquals(2, counters.ipv4 + counters.ipv6);
    }

    @Test
    void ipv4LinkTypeWithAnIpv6Packet() {
        assertMalformed(DecodeError.BAD_IP_VERSION, decode(LinkType.IPV4, ipv6(59, new byte[0])));
    }

    // ---------------------------------------------------------------------------------------- BSD loopback

    @ParameterizedTest
    @ValueSource(ints = {10, 24, 28, 30})
    void nullIpv6FamiliesInEitherByteOrder(int family) {
        byte[] ip = ipv6(6, tcp().build(new byte[0]));
        assertEquals(DecodeResult.IP, decode(LinkType.NULL, nullLittleEndian(family, ip)));
        assertEquals(6, out.ipVersion);
        assertEquals(4, out.networkOffset);
        assertEquals(DecodeResult.IP, decode(LinkType.NULL, nullBigEndian(family, ip)));
        assertEquals(6, out.ipVersion);
    }

    @Test
    void nullIpv4InEitherByteOrder() {
        assertEquals(DecodeResult.IP, decode(LinkType.NULL, nullLittleEndian(2, tcpSynV4())));
        assertEquals(-1, out.srcMac);
        assertEquals(DecodeResult.IP, decode(LinkType.NULL, nullBigEndian(2, tcpSynV4())));
        assertEquals(2, counters.tcp);
    }

    @Test
    void nullUnknownFamily() {
        assertEquals(DecodeResult.OTHER, decode(LinkType.NULL, nullLittleEndian(7, pattern(30))));
        assertEquals(1, counters.otherEtherType);
        assertEquals(-1, out.etherType);
    }

    @Test
    void loopIsNetworkOrderOnly() {
        assertEquals(DecodeResult.IP, decode(LinkType.LOOP, nullBigEndian(2, tcpSynV4())));
        assertEquals(DecodeResult.IP, decode(LinkType.LOOP, nullBigEndian(24, ipv6(59, new byte[0]))));
        assertEquals(DecodeResult.OTHER, decode(LinkType.LOOP, nullLittleEndian(2, tcpSynV4())));
    }

    @Test
    void truncatedLoopbackHeader() {
        assertMalformed(DecodeError.TRUNCATED_LINK_HEADER, decode(LinkType.NULL, new byte[] {2, 0, 0}));
    }

    @Test
    void unknownLinkType() {
        assertEquals(DecodeResult.OTHER, decode(147, tcpSynV4()));
        assertEquals(DecodeResult.OTHER, decode(147, tcpSynV4()));
        assertEquals(DecodeResult.OTHER, decode(-3, new byte[0]));
        assertEquals(DecodeError.UNKNOWN_LINK_TYPE, out.error);
        assertEquals(Map.of(147, 2L, -3, 1L), counters.byUnknownLinkType);
        assertEquals(3, counters.errors.get(DecodeError.UNKNOWN_LINK_TYPE));
        assertEquals(0, counters.ipv4);
    }

    // ------------------------------------------------------------------------------------------------- IPv4

    @Test
    void ipv4OptionsAreSkipped() {
        Ipv4 ip = ipv4().protocol(17);
        ip.options = new byte[] {(byte) 0x94, 4, 0, 0, 1, 1, 1, 0}; // router alert, NOP, NOP, NOP, EOL
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, ethernet(0x0800, ip.build(udp(67, 68, pattern(9))))));
        assertEquals(28, out.ipHeaderLength);
        assertEquals(67, out.srcPort);
        assertEquals(68, out.dstPort);
        assertEquals(14 + 28 + 8, out.payloadOffset);
        assertEquals(9, out.payloadLength);
    }

    @Test
    void firstIpv4Fragment() {
        Ipv4 ip = ipv4().protocol(17).fragment(true, 0);
        ip.id = 0xBEEF;
        byte[] f = ethernet(0x0800, ip.build(udp(53, 53, 2000, pattern(1472))));
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f));
        assertTrue(out.fragment);
        assertTrue(out.firstFragment);
        assertTrue(out.hasTransport);
        assertEquals(0xBEEF, out.fragmentId);
        assertEquals(53, out.dstPort);
        assertEquals(1472, out.payloadLength, "the UDP length claims more than this fragment holds");
        assertEquals(1, counters.ipv4Fragments);
        assertEquals(1, counters.udp);
    }

    @Test
    void nonFirstIpv4Fragment() {
        Ipv4 ip = ipv4().protocol(17).fragment(false, 185);
        byte[] f = ethernet(0x0800, ip.build(pattern(536)));
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f));
        assertTrue(out.fragment);
        assertFalse(out.firstFragment);
        assertFalse(out.hasTransport);
        assertEquals(0, out.srcPort);
        assertEquals(17, out.protocol);
        assertEquals(34, out.payloadOffset);
        assertEquals(536, out.payloadLength);
        assertEquals(536, out.payloadCaptured);
        assertEquals(1, counters.ipv4Fragments);
        assertEquals(1, counters.udp, "counted by protocol: it is UDP traffic");
    }

    @Test
    void middleFragmentWithMoreFragmentsSet() {
        decode(LinkType.RAW, ipv4().fragment(true, 100).build(pattern(64)));
        assertTrue(out.fragment);
        assertFalse(out.firstFragment);
        assertFalse(out.hasTransport);
    }

    @Test
    void truncatedIpv4Header() {
        assertMalformed(DecodeError.TRUNCATED_IPV4_HEADER,
                decode(LinkType.ETHERNET, ethernet(0x0800, Arrays.copyOf(tcpSynV4(), 19))));
        assertEquals(0x0800, out.etherType);
    }

    @Test
    void ipv4OptionsCutByTheCapture() {
        Ipv4 ip = ipv4();
        ip.options = new byte[40];
        byte[] f = ip.build(new byte[0]);
        assertMalformed(DecodeError.TRUNCATED_IPV4_HEADER, decode(LinkType.RAW, f, 40, f.length));
    }

    @Test
    void ipv4HeaderLengthBelow20() {
        Ipv4 ip = ipv4();
        ip.ihl = 4;
        assertMalformed(DecodeError.BAD_IPV4_HEADER_LENGTH, decode(LinkType.RAW, ip.build(pattern(20))));
    }

    @Test
    void ipv4TotalLengthBelowHeader() {
        Ipv4 ip = ipv4();
        ip.options = new byte[4];
        ip.totalLength = 22;
        assertMalformed(DecodeError.BAD_IPV4_TOTAL_LENGTH, decode(LinkType.RAW, ip.build(pattern(20))));
    }

    @Test
    void ipv4VersionMismatchUnderEthernet() {
        byte[] ip = tcpSynV4();
        ip[0] = 0x65;
        assertMalformed(DecodeError.BAD_IP_VERSION, decode(LinkType.ETHERNET, ethernet(0x0800, ip)));
    }

    @Test
    void zeroTotalLengthIsSegmentationOffload() {
        Ipv4 ip = ipv4();
        ip.totalLength = 0;
        byte[] f = ethernet(0x0800, ip.build(tcp().build(pattern(3000))));
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f, 200, f.length));
        assertNull(out.error);
        assertEquals(3040, out.ipTotalLength);
        assertEquals(3000, out.payloadLength);
        assertEquals(200 - 54, out.payloadCaptured);
    }

    // ------------------------------------------------------------------------------------------------- IPv6

    @Test
    void ipv6ExtensionChainWithFirstFragment() {
        byte[] upper = tcp().options(allTcpOptions()).build(pattern(8));
        // hop-by-hop (8) -> destination options (16) -> routing (8) -> fragment (8) -> TCP
        byte[] chain = extension(60, 6, extension(43, 14, extension(44, 6,
                fragmentHeader(6, 0, true, 0xCAFEBABEL, upper))));
        byte[] f = ethernet(0x86DD, ipv6(0, chain));
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f));
        assertEquals(6, out.protocol);
        assertEquals(40 + 8 + 16 + 8 + 8, out.ipHeaderLength);
        assertTrue(out.fragment);
        assertTrue(out.firstFragment);
        assertEquals(0xCAFEBABEL, out.fragmentId);
        assertTrue(out.hasTransport);
        assertEquals(443, out.dstPort);
        assertEquals(1460, out.tcpMss);
        assertEquals(8, out.payloadLength);
        assertEquals(14 + 80 + 44, out.payloadOffset);
        assertEquals(1, counters.ipv6Fragments);
        assertEquals(1, counters.tcp);
    }

    @Test
    void nonFirstIpv6Fragment() {
        byte[] f = ipv6(44, fragmentHeader(17, 181, false, 7, pattern(100)));
        assertEquals(DecodeResult.IP, decode(LinkType.RAW, f));
        assertTrue(out.fragment);
        assertFalse(out.firstFragment);
        assertFalse(out.hasTransport);
        assertEquals(17, out.protocol);
        assertEquals(48, out.ipHeaderLength);
        assertEquals(48, out.payloadOffset);
        assertEquals(100, out.payloadLength);
        assertEquals(7, out.fragmentId);
        assertEquals(1, counters.udp);
    }

    @Test
    void authenticationHeaderUsesFourByteUnits() {
        byte[] f = ipv6(51, authenticationHeader(17, udp(500, 500, pattern(4))));
        assertEquals(DecodeResult.IP, decode(LinkType.RAW, f));
        assertEquals(17, out.protocol);
        assertEquals(64, out.ipHeaderLength);
        assertEquals(500, out.srcPort);
        assertEquals(4, out.payloadLength);
    }

    @Test
    void espEndsTheChain() {
        byte[] f = ipv6(0, extension(50, 4, pattern(60)));
        assertEquals(DecodeResult.IP, decode(LinkType.RAW, f));
        assertEquals(50, out.protocol);
        assertFalse(out.hasTransport);
        assertEquals(48, out.payloadOffset);
        assertEquals(60, out.payloadLength);
        assertEquals(1, counters.byIpProtocol[50]);
        assertEquals(1, counters.otherIpProtocol);
    }

    @Test
    void noNextHeader() {
        // Ethernet padding after a bare IPv6 header is not payload, and a zero length is not offload here.
        byte[] f = padTo60(ethernet(0x86DD, ipv6(60, extension(59, 6, new byte[0]))));
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f));
        assertEquals(59, out.protocol);
        assertFalse(out.hasTransport);
        assertEquals(0, out.payloadLength);
        decode(LinkType.ETHERNET, padTo60(ethernet(0x86DD, ipv6(59, new byte[0]))));
        assertEquals(40, out.ipTotalLength);
        assertEquals(0, out.payloadCaptured);
        assertEquals(2, counters.byIpProtocol[59]);
    }

    @Test
    void mobilityHeaderIsWalked() {
        decode(LinkType.RAW, ipv6(135, extension(17, 6, udp(1, 2, new byte[0]))));
        assertEquals(17, out.protocol);
        assertEquals(2, out.dstPort);
    }

    @Test
    void tooManyExtensionHeaders() {
        byte[] rest = udp(1, 2, new byte[0]);
        int nh = 17;
        for (int i = 0; i < PacketDecoder.MAX_IPV6_EXTENSIONS + 1; i++) {
            rest = extension(nh, 6, rest);
            nh = 60;
        }
        assertMalformed(DecodeError.TOO_MANY_IPV6_EXTENSIONS, decode(LinkType.RAW, ipv6(nh, rest)));
    }

    @Test
    void exactlyTheExtensionLimitDecodes() {
        byte[] rest = udp(1, 2, new byte[0]);
        int nh = 17;
        for (int i = 0; i < PacketDecoder.MAX_IPV6_EXTENSIONS; i++) {
            rest = extension(nh, 6, rest);
            nh = 60;
        }
        assertEquals(DecodeResult.IP, decode(LinkType.RAW, ipv6(nh, rest)));
        assertEquals(40 + 8 * PacketDecoder.MAX_IPV6_EXTENSIONS, out.ipHeaderLength);
    }

    @Test
    void extensionLongerThanThePacket() {
        byte[] ext = extension(6, 6, new byte[0]);
        ext[1] = 5; // claims 48 bytes
        assertMalformed(DecodeError.TRUNCATED_IPV6_EXTENSION, decode(LinkType.RAW, ipv6(0, concat(ext, pattern(20)))));
    }

    @Test
    void extensionCutByTheCapture() {
        byte[] f = ipv6(60, extension(6, 30, tcp().build(new byte[0])));
        assertMalformed(DecodeError.TRUNCATED_IPV6_EXTENSION, decode(LinkType.RAW, f, 41, f.length));
    }

    @Test
    void fragmentHeaderBeyondThePayloadLength() {
        byte[] f = ipv6(44, fragmentHeader(6, 0, true, 1, new byte[0]), 4);
        assertMalformed(DecodeError.TRUNCATED_IPV6_EXTENSION, decode(LinkType.RAW, f));
    }

    @Test
    void truncatedIpv6Header() {
        assertMalformed(DecodeError.TRUNCATED_IPV6_HEADER,
                decode(LinkType.ETHERNET, ethernet(0x86DD, Arrays.copyOf(ipv6(59, new byte[0]), 39))));
    }

    @Test
    void ipv6VersionMismatch() {
        byte[] ip = ipv6(59, new byte[0]);
        ip[0] = 0x45;
        assertMalformed(DecodeError.BAD_IP_VERSION, decode(LinkType.ETHERNET, ethernet(0x86DD, ip)));
    }

    @Test
    void ipv6ZeroPayloadLengthIsOffload() {
        byte[] f = ipv6(6, tcp().build(pattern(70_000)), 0);
        assertEquals(DecodeResult.IP, decode(LinkType.RAW, f, 1000, f.length));
        assertEquals(70_000, out.payloadLength);
        assertEquals(1000 - 60, out.payloadCaptured);
    }

    // ------------------------------------------------------------------------------------------- transport

    @Test
    void badTcpOptionLengthStopsOptionsButKeepsTheHeader() {
        byte[] options = new Bytes().u8(2).u8(4).u16(1400).u8(8).u8(40).zeros(2).array(); // TS claims 40
        Tcp t = tcp().options(options);
        t.flags = DecodedPacket.TCP_ACK | DecodedPacket.TCP_PSH;
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4().build(t.build(pattern(5))))));
        assertEquals(DecodeError.BAD_TCP_OPTION, out.error);
        assertTrue(out.hasTransport);
        assertEquals(1400, out.tcpMss, "options before the bad one are kept");
        assertFalse(out.tcpTimestamps);
        assertEquals(0x18, out.tcpFlags);
        assertEquals(5, out.payloadLength);
        assertEquals(1, counters.errors.get(DecodeError.BAD_TCP_OPTION));
        assertEquals(1, counters.tcp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0200", "0201", "020300", "03020000", "0403", "080800000000000000", "0205"})
    void badTcpOptionShapes(String hex) {
        byte[] options = java.util.HexFormat.of().parseHex(hex);
        assertEquals(DecodeResult.IP, decode(LinkType.RAW, ipv4().build(tcp().options(options).build(new byte[0]))));
        assertEquals(DecodeError.BAD_TCP_OPTION, out.error, hex);
        assertEquals(-1, out.tcpMss);
    }

    @Test
    void unknownTcpOptionsAreSkipped() {
        byte[] options = new Bytes().u8(30).u8(6).u32(0).u8(3).u8(3).u8(14).array(); // MPTCP, then WS
        decode(LinkType.RAW, ipv4().build(tcp().options(options).build(new byte[0])));
        assertNull(out.error);
        assertEquals(14, out.tcpWindowScale);
    }

    @Test
    void truncatedTcpHeader() {
        assertMalformed(DecodeError.TRUNCATED_TCP_HEADER,
                decode(LinkType.RAW, ipv4().build(Arrays.copyOf(tcp().build(new byte[0]), 19))));
    }

    @Test
    void tcpHeaderCutByTheIpLengthNotTheCapture() {
        Ipv4 ip = ipv4();
        ip.totalLength = 20 + 12;
        byte[] f = padTo60(ethernet(0x0800, ip.build(tcp().build(new byte[0]))));
        assertMalformed(DecodeError.TRUNCATED_TCP_HEADER, decode(LinkType.ETHERNET, f));
    }

    @Test
    void tcpDataOffsetBelowFive() {
        Tcp t = tcp();
        t.dataOffset = 4;
        assertMalformed(DecodeError.BAD_TCP_HEADER_LENGTH, decode(LinkType.RAW, ipv4().build(t.build(pattern(8)))));
    }

    @Test
    void tcpDataOffsetPastTheSegment() {
        Tcp t = tcp();
        t.dataOffset = 15;
        assertMalformed(DecodeError.BAD_TCP_HEADER_LENGTH, decode(LinkType.RAW, ipv4().build(t.build(pattern(8)))));
    }

    @Test
    void udpLengthShorterThanThePacket() {
        decode(LinkType.RAW, ipv4().protocol(17).build(udp(1, 2, 12, pattern(20))));
        assertEquals(4, out.payloadLength);
        assertEquals(4, out.payloadCaptured);
    }

    @Test
    void udpLengthLongerThanThePacket() {
        decode(LinkType.RAW, ipv4().protocol(17).build(udp(1, 2, 9000, pattern(20))));
        assertEquals(20, out.payloadLength);
    }

    @Test
    void udpLengthBelowEight() {
        assertMalformed(DecodeError.BAD_UDP_LENGTH,
                decode(LinkType.RAW, ipv4().protocol(17).build(udp(1, 2, 7, pattern(20)))));
    }

    @Test
    void truncatedUdpHeader() {
        assertMalformed(DecodeError.TRUNCATED_UDP_HEADER,
                decode(LinkType.RAW, ipv6(17, Arrays.copyOf(udp(1, 2, new byte[0]), 6))));
    }

    @Test
    void icmpEcho() {
        byte[] f = ethernet(0x0800, ipv4().protocol(1).build(icmp(8, 0, pattern(56))));
        assertEquals(DecodeResult.IP, decode(LinkType.ETHERNET, f));
        assertTrue(out.hasTransport);
        assertEquals(8, out.icmpType);
        assertEquals(0, out.icmpCode);
        assertEquals(0, out.srcPort);
        assertEquals(0, out.dstPort);
        assertEquals(14 + 20 + 8, out.payloadOffset);
        assertEquals(56, out.payloadLength);
        assertEquals(1, counters.icmp);
    }

    @Test
    void icmpv6ErrorQuotesTheDatagram() {
        byte[] quoted = ipv6(17, udp(1, 2, new byte[0]));
        assertEquals(DecodeResult.IP, decode(LinkType.RAW, ipv6(58, icmp(1, 4, quoted))));
        assertEquals(1, out.icmpType);
        assertEquals(4, out.icmpCode);
        assertEquals(48, out.payloadOffset);
        assertEquals(0x60, frame.data[out.payloadOffset] & 0xF0);
        assertEquals(1, counters.icmpv6);
    }

    @Test
    void icmpv6AfterHopByHop() {
        // MLD report: hop-by-hop with router alert, then ICMPv6 143.
        decode(LinkType.RAW, ipv6(0, extension(58, 6, icmp(143, 0, pattern(20)))));
        assertEquals(143, out.icmpType);
        assertEquals(48, out.ipHeaderLength);
    }

    @Test
    void icmpNumbersInTheWrongIpVersionAreOtherProtocols() {
        decode(LinkType.RAW, ipv6(1, icmp(8, 0, new byte[0])));
        assertFalse(out.hasTransport);
        decode(LinkType.RAW, ipv4().protocol(58).build(icmp(128, 0, new byte[0])));
        assertFalse(out.hasTransport);
        assertEquals(2, counters.otherIpProtocol);
        assertEquals(1, counters.byIpProtocol[1]);
        assertEquals(1, counters.byIpProtocol[58]);
    }

    @Test
    void truncatedIcmpHeader() {
        assertMalformed(DecodeError.TRUNCATED_ICMP_HEADER,
                decode(LinkType.RAW, ipv4().protocol(1).build(new byte[] {8, 0, 0, 0})));
    }

    @Test
    void otherProtocolPayloadIsTheIpPayload() {
        decode(LinkType.RAW, ipv4().protocol(47).build(pattern(30))); // GRE
        assertEquals(47, out.protocol);
        assertFalse(out.hasTransport);
        assertEquals(20, out.payloadOffset);
        assertEquals(30, out.payloadLength);
        assertEquals(1, counters.byIpProtocol[47]);
    }

    // -------------------------------------------------------------------------------------- robustness, reuse

    @Test
    void everyFieldIsResetBetweenFrames() {
        decode(LinkType.ETHERNET, ethernetTagged(new int[][] {{0x8100, 9}}, 0x0800,
                ipv4().fragment(true, 0).build(tcp().options(allTcpOptions()).build(pattern(4)))));
        decode(LinkType.ETHERNET, padTo60(ethernet(0x0806, arpRequest())));
        DecodedPacket fresh = new DecodedPacket();
        fresh.srcMac = MAC_A;
        fresh.dstMac = MAC_B;
        fresh.etherType = 0x0806;
        fresh.networkOffset = 14;
        assertEquals(describe(fresh), describe(out));
    }

    private static String describe(DecodedPacket p) {
        StringBuilder sb = new StringBuilder();
        for (java.lang.reflect.Field f : DecodedPacket.class.getFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                try {
                    sb.append(f.getName()).append('=').append(f.get(p)).append(' ');
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return sb.toString();
    }

    @Test
    void hostileFrameBookkeepingNeverThrows() {
        CapturedPacket f = new CapturedPacket();
        f.linkType = LinkType.ETHERNET;
        f.captureLength = Integer.MAX_VALUE;
        f.originalLength = Integer.MIN_VALUE;
        Arrays.fill(f.data, (byte) 0xFF);
        assertDoesNotThrow(() -> decoder.decode(f, out));
        f.captureLength = -5;
        assertEquals(DecodeResult.MALFORMED, decoder.decode(f, out));
        f.data = null;
        f.captureLength = 100;
        assertEquals(DecodeResult.MALFORMED, decoder.decode(f, out));
        f.linkType = LinkType.RAW;
        assertEquals(DecodeResult.MALFORMED, decoder.decode(f, out));
        frames += 4;
        malformed += 3; // 0xFF...: EtherType 0xFFFF is OTHER
    }

    @Test
    void decodingAllocatesNothing() {
        List<CapturedPacket> mix = new ArrayList<>();
        for (MiniPcap.Frame f : PacketDecoderPropertyTest.craftedFrames()) {
            CapturedPacket p = new CapturedPacket();
            p.data = f.data();
            p.captureLength = f.data().length;
            p.originalLength = f.originalLength();
            p.linkType = f.linkType();
            mix.add(p);
        }
        CapturedPacket[] frames = mix.toArray(new CapturedPacket[0]);
        DecodedPacket o = new DecodedPacket();
        PacketDecoder d = new PacketDecoder(new DecodeCounters());
        long before = 0;
        for (int i = 0; i < 400_000; i++) {
            if (i == 200_000) {
                before = PacketDecoderBenchTest.allocatedBytes();
            }
            d.decode(frames[i % frames.length], o);
        }
        long allocated = PacketDecoderBenchTest.allocatedBytes() - before;
        assertTrue(allocated < 10_000, allocated + " bytes allocated by 200,000 decodes");
    }

    @Test
    void everyErrorReasonIsExercised() {
        // Runs each producing test's frame again here, so that the check does not depend on test order.
        List<Consumer<PacketDecoderTest>> producers = List.of(
                PacketDecoderTest::truncatedEthernetHeader,
                PacketDecoderTest::truncatedVlanTag,
                PacketDecoderTest::beyondTheTagLimitIsMalformed,
                PacketDecoderTest::truncatedArpFixedHeader,
                PacketDecoderTest::truncatedIpv4Header,
                PacketDecoderTest::ipv4HeaderLengthBelow20,
                PacketDecoderTest::ipv4TotalLengthBelowHeader,
                PacketDecoderTest::ipv4VersionMismatchUnderEthernet,
                PacketDecoderTest::truncatedIpv6Header,
                PacketDecoderTest::extensionLongerThanThePacket,
                PacketDecoderTest::tooManyExtensionHeaders,
                PacketDecoderTest::truncatedTcpHeader,
                PacketDecoderTest::tcpDataOffsetBelowFive,
                PacketDecoderTest::badTcpOptionLengthStopsOptionsButKeepsTheHeader,
                PacketDecoderTest::truncatedUdpHeader,
                PacketDecoderTest::udpLengthBelowEight,
                PacketDecoderTest::truncatedIcmpHeader,
                PacketDecoderTest::unknownLinkType);
        for (Consumer<PacketDecoderTest> producer : producers) {
            PacketDecoderTest t = new PacketDecoderTest();
            producer.accept(t);
            t.countersAddUp();
        }
        assertEquals(EnumSet.allOf(DecodeError.class), SEEN);
    }
}
