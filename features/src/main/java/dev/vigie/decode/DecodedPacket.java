package dev.vigie.decode;

/**
 * The decoded headers of one frame, as a reusable flyweight filled by {@link PacketDecoder#decode}. Offsets point
 * into the {@code CapturedPacket}'s buffer; nothing here is allocated per packet.
 *
 * <p>Addresses are held as two longs each so that IPv4 and IPv6 share one code path: an IPv4 address is
 * {@code hi = 0, lo = unsigned 32-bit address}; an IPv6 address is its 16 bytes big-endian split in two.
 * {@link #ipVersion} says which.
 */
public final class DecodedPacket {
    // ---- link layer
    /** Source and destination MAC as 48-bit values, or -1 when the link layer has none (raw IP, loopback, SLL dst). */
    public long srcMac = -1;
    public long dstMac = -1;
    /** Outer and inner 802.1Q VLAN ids (12 bits), 0 when untagged. QinQ: outer = service tag, inner = customer. */
    public int vlanOuter;
    public int vlanInner;
    /**
     * EtherType of the network layer after any VLAN tags (0x0800 IPv4, 0x86DD IPv6, 0x0806 ARP...), -1 if none.
     * Link types without an EtherType (raw IP, BSD loopback) get the one their network protocol implies, so that
     * consumers can filter on one field. An Ethernet 802.3 length frame (LLC, STP...) has
     * {@link PacketDecoder#ETHERTYPE_802_3_LENGTH} (0): it has no EtherType but did get past the link layer.
     */
    public int etherType = -1;

    /**
     * Offset in the frame buffer of the first byte after the link-layer header and any VLAN tags (the IP or ARP
     * header), or -1 when the link layer could not be decoded. Lets the asset inventory read ARP, and anyone
     * re-parse what the decoder skipped, without knowing the link type.
     */
    public int networkOffset = -1;

    // ---- network layer
    /** 4 or 6 when an IP header was decoded, 0 otherwise (ARP, unknown EtherType, malformed). */
    public int ipVersion;
    public long srcHi, srcLo, dstHi, dstLo;
    /** IP protocol number (IPv4 protocol, or IPv6 upper-layer next header after extension headers). */
    public int protocol;
    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl;
    /** Length of the IP packet per its own header (IPv4 total length; IPv6 40 + payload length). */
    public int ipTotalLength;
    /** Length of the IP header including IPv4 options or IPv6 extension headers. */
    public int ipHeaderLength;
    /** IPv4 DSCP/ECN byte or IPv6 traffic class. */
    public int tos;
    /** True when this packet is a fragment (IPv4 MF set or offset &gt; 0; IPv6 fragment header present). */
    public boolean fragment;
    /** True for a fragment with offset 0 (it carries the transport header, hence the ports). */
    public boolean firstFragment;
    /** IPv4 identification or IPv6 fragment identification; valid when {@link #fragment}. */
    public long fragmentId;

    // ---- transport layer (valid when hasTransport)
    /** True when TCP/UDP ports or ICMP type/code were decoded. False for non-first fragments and other protocols. */
    public boolean hasTransport;
    public int srcPort;
    public int dstPort;
    /** ICMP / ICMPv6 type and code (ports stay 0 for ICMP; the flow layer maps them per Community ID). */
    public int icmpType = -1;
    public int icmpCode = -1;
    /** TCP flag bits as on the wire: FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80 (NS in 0x100). */
    public int tcpFlags;
    public long tcpSeq;   // unsigned 32-bit
    public long tcpAck;   // unsigned 32-bit
    /** Raw (unscaled) TCP window. */
    public int tcpWindow;
    public int tcpHeaderLength;
    /** TCP options: MSS (-1 absent), window scale shift (-1 absent), SACK-permitted, timestamps present. */
    public int tcpMss = -1;
    public int tcpWindowScale = -1;
    public boolean tcpSackPermitted;
    public boolean tcpTimestamps;

    // ---- payload
    /**
     * Offset of the transport payload in the frame buffer: after the TCP or UDP header, after the 8-byte ICMP /
     * ICMPv6 header (for error messages that is the quoted datagram), and at the IP payload for other protocols,
     * non-first fragments, ESP and No Next Header. It can lie past the captured bytes when the snaplen cut the
     * headers; only {@code [payloadOffset, payloadOffset + payloadCaptured)} is ever readable.
     */
    public int payloadOffset;
    /** Payload length the headers claim (from IP lengths), even if the capture cut it. */
    public int payloadLength;
    /** Payload bytes actually present in the buffer (&lt;= payloadLength). */
    public int payloadCaptured;

    // ---- outcome
    /**
     * Why the frame was {@link DecodeResult#MALFORMED}, or an anomaly noted in a frame that still decoded
     * ({@link DecodeError#BAD_TCP_OPTION}, {@link DecodeError#TOO_MANY_VLAN_TAGS}, TCP options cut by the snaplen as
     * {@link DecodeError#TRUNCATED_TCP_HEADER}, {@link DecodeError#UNKNOWN_LINK_TYPE}); null when clean. It is the
     * one reason this frame was counted under in {@link DecodeCounters#errors}: a frame is counted at most once,
     * and a failure takes precedence over an earlier anomaly. On MALFORMED, fields decoded before the failure keep
     * their values, but {@link #ipVersion} is 0 and {@link #hasTransport} false.
     */
    public DecodeError error;

    public static final int TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08,
            TCP_ACK = 0x10, TCP_URG = 0x20, TCP_ECE = 0x40, TCP_CWR = 0x80;
    public static final int PROTO_ICMP = 1, PROTO_TCP = 6, PROTO_UDP = 17, PROTO_ICMPV6 = 58;

    /** Resets every field to its "absent" value; called by the decoder before each frame. */
    public void clear() {
        srcMac = -1;
        dstMac = -1;
        vlanOuter = 0;
        vlanInner = 0;
        etherType = -1;
        networkOffset = -1;
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        protocol = 0;
        ttl = 0;
        ipTotalLength = 0;
        ipHeaderLength = 0;
        tos = 0;
        fragment = false;
        firstFragment = false;
        fragmentId = 0;
        hasTransport = false;
        srcPort = 0;
        dstPort = 0;
        icmpType = -1;
        icmpCode = -1;
        tcpFlags = 0;
        tcpSeq = 0;
        tcpAck = 0;
        tcpWindow = 0;
        tcpHeaderLength = 0;
        tcpMss = -1;
        tcpWindowScale = -1;
        tcpSackPermitted = false;
        tcpTimestamps = false;
        payloadOffset = 0;
        payloadLength = 0;
        payloadCaptured = 0;
        error = null;
    }
}
