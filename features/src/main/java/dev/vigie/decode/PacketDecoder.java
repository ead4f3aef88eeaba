package dev.vigie.decode;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.capture.LinkType;

/**
 * Decodes link, network and transport headers of one frame into a {@link DecodedPacket}, without allocating and
 * without throwing: every malformed case is counted in {@link DecodeCounters} by reason.
 *
 * <p>Every length read from the wire is checked against two ends before use: the end its own header claims (IPv4
 * total length, IPv6 payload length) and the end of what was captured. Headers must fit in both; payload fields
 * report the claimed length ({@code payloadLength}) and what the buffer holds ({@code payloadCaptured}) apart, so a
 * snaplen cut is visible and Ethernet padding past the IP packet is never taken for payload.
 *
 * <p>Counting, so that summaries add up:
 * <ul>
 *   <li>every frame lands in exactly one of {@code ipv4}, {@code ipv6}, {@code arp}, {@code otherEtherType},
 *       {@code byUnknownLinkType} or a MALFORMED error reason;</li>
 *   <li>{@code tcp + udp + icmp + icmpv6 + otherIpProtocol == ipv4 + ipv6}: IP packets are counted by their
 *       protocol number, non-first fragments included (they carry no ports but are that protocol's traffic);
 *       ICMP counts only over IPv4 and ICMPv6 only over IPv6, the crossed cases are "other";</li>
 *   <li>{@code byIpProtocol} sums to {@code otherIpProtocol} and {@code byEtherType} to {@code otherEtherType}
 *       (less BSD loopback frames of an unknown address family, which have no EtherType to file them under);
 *       all 802.3 length frames share the bucket {@link #ETHERTYPE_802_3_LENGTH};</li>
 *   <li>{@code errors} counts each frame at most once: the reason it failed at, or else the first anomaly noted in
 *       a frame that still decoded (see {@link DecodedPacket#error}).</li>
 * </ul>
 *
 * <p>Choices where the wire leaves room:
 * <ul>
 *   <li>more than two VLAN tags: counted as {@link DecodeError#TOO_MANY_VLAN_TAGS} and decoding goes on past them
 *       (a VLAN-hopping probe is worth seeing in the flow table); beyond {@link #MAX_VLAN_TAGS} the frame is
 *       MALFORMED;</li>
 *   <li>an IPv4 total length of 0, or an IPv6 payload length of 0 with a next header other than 59, is taken to
 *       mean "to the end of the frame": that is how segmentation offload (TSO/GSO, Linux BIG TCP) and jumbograms
 *       show up in captures taken on the sending host;</li>
 *   <li>TCP options cut by the snaplen: the fixed header and the options captured are decoded, the frame is still
 *       IP, and the cut is noted as {@link DecodeError#TRUNCATED_TCP_HEADER};</li>
 *   <li>ICMP and ICMPv6 need their 8-byte header (every message type defined has at least that); the payload
 *       starts after it.</li>
 * </ul>
 */
public final class PacketDecoder {
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;
    /** Pre-standard QinQ service tag, still sent by some switches. */
    public static final int ETHERTYPE_QINQ_OLD = 0x9100;
    /**
     * The {@code byEtherType} bucket (and {@link DecodedPacket#etherType} value) of Ethernet 802.3 frames, whose
     * type field is a length (at most 1500). The lengths themselves say nothing about the protocol, and 0 is not a
     * valid length for a frame carrying LLC, so they all share this one bucket.
     */
    public static final int ETHERTYPE_802_3_LENGTH = 0;
    /** Largest 802.3 length; type values above it (up to 0x05FF) are invalid and counted as unknown EtherTypes. */
    public static final int MAX_802_3_LENGTH = 1500;

    /** VLAN tags we walk past before giving up on the frame; real networks stack at most two. */
    public static final int MAX_VLAN_TAGS = 8;
    /** IPv6 extension headers we walk before giving up: long chains are an evasion technique, not traffic. */
    public static final int MAX_IPV6_EXTENSIONS = 8;

    public static final int ETHERNET_HEADER_LENGTH = 14;
    public static final int SLL_HEADER_LENGTH = 16;
    public static final int SLL2_HEADER_LENGTH = 20;
    public static final int NULL_HEADER_LENGTH = 4;

    /** Address families seen in BSD NULL / LOOP headers. */
    public static final int AF_INET = 2;
    public static final int AF_INET6_LINUX = 10;
    public static final int AF_INET6_NETBSD_OPENBSD = 24;
    public static final int AF_INET6_FREEBSD = 28;
    public static final int AF_INET6_DARWIN = 30;

    private static final int IPV4_MIN_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_MIN_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int ICMP_HEADER = 8;
    private static final int ARP_FIXED_HEADER = 8;
    private static final int IPV4_MF = 0x2000;
    private static final int IPV4_OFFSET_MASK = 0x1FFF;
    private static final int NO_NEXT_HEADER = 59;
    private static final int PROTO_ESP = 50;
    private static final int IPV6_FRAGMENT = 44;
    private static final int IPV6_AH = 51;
    /** Bound on a length taken from the frame (offload case), so that a hostile original length cannot overflow. */
    private static final int MAX_FRAME_LENGTH = 1 << 24;

    private final DecodeCounters counters;
    private final long[] byEtherType;
    private final long[] byIpProtocol;
    /** Original (wire) length of the frame being decoded, clamped; only the offload case reads it. */
    private int wireLength;

    public PacketDecoder(DecodeCounters counters) {
        this.counters = counters;
        this.byEtherType = counters.byEtherType;
        this.byIpProtocol = counters.byIpProtocol;
    }

    public DecodeCounters counters() {
        return counters;
    }

    /** Decodes {@code frame} into {@code out} (cleared first). */
    public DecodeResult decode(CapturedPacket frame, DecodedPacket out) {
        out.clear();
        final byte[] b = frame.data;
        int len = frame.captureLength;
        if (b == null || len < 0) {
            len = 0;
        } else if (len > b.length) {
            len = b.length;
        }
        wireLength = Math.max(len, Math.min(frame.originalLength, MAX_FRAME_LENGTH));

        final DecodeResult result;
        switch (frame.linkType) {
            case LinkType.ETHERNET:
                result = ethernet(b, len, out);
                break;
            case LinkType.LINUX_SLL:
                result = sll(b, len, out);
                break;
            case LinkType.LINUX_SLL2:
                result = sll2(b, len, out);
                break;
            case LinkType.RAW:
            case LinkType.RAW_ALT12:
            case LinkType.RAW_ALT14:
                result = rawIp(b, len, out);
                break;
            case LinkType.IPV4:
                result = len == 0 ? fail(out, DecodeError.TRUNCATED_LINK_HEADER) : ipv4(b, len, 0, out);
                break;
            case LinkType.IPV6:
                result = len == 0 ? fail(out, DecodeError.TRUNCATED_LINK_HEADER) : ipv6(b, len, 0, out);
                break;
            case LinkType.NULL:
                result = bsdLoopback(b, len, out, true);
                break;
            case LinkType.LOOP:
                result = bsdLoopback(b, len, out, false);
                break;
            default:
                result = unknownLinkType(frame.linkType, out);
                break;
        }

        if (result == DecodeResult.IP) {
            countIp(out);
        }
        final DecodeError error = out.error;
        if (error != null) {
            counters.errors.increment(error);
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------------ link layer

    private DecodeResult ethernet(byte[] b, int len, DecodedPacket out) {
        if (len < ETHERNET_HEADER_LENGTH) {
            return fail(out, DecodeError.TRUNCATED_LINK_HEADER);
        }
        out.dstMac = mac(b, 0);
        out.srcMac = mac(b, 6);
        return etherType(b, len, u16(b, 12), ETHERNET_HEADER_LENGTH, true, out);
    }

    private DecodeResult sll(byte[] b, int len, DecodedPacket out) {
        if (len < SLL_HEADER_LENGTH) {
            return fail(out, DecodeError.TRUNCATED_LINK_HEADER);
        }
        if (u16(b, 4) == 6) {
            out.srcMac = mac(b, 6);
        }
        return etherType(b, len, u16(b, 14), SLL_HEADER_LENGTH, false, out);
    }

    private DecodeResult sll2(byte[] b, int len, DecodedPacket out) {
        if (len < SLL2_HEADER_LENGTH) {
            return fail(out, DecodeError.TRUNCATED_LINK_HEADER);
        }
        if ((b[11] & 0xFF) == 6) {
            out.srcMac = mac(b, 12);
        }
        return etherType(b, len, u16(b, 0), SLL2_HEADER_LENGTH, false, out);
    }

    private DecodeResult rawIp(byte[] b, int len, DecodedPacket out) {
        if (len == 0) {
            // No link header to be short of, but nothing says what the frame is either.
            return fail(out, DecodeError.TRUNCATED_LINK_HEADER);
        }
        final int version = (b[0] & 0xFF) >>> 4;
        if (version == 4) {
            return ipv4(b, len, 0, out);
        }
        if (version == 6) {
            return ipv6(b, len, 0, out);
        }
        return fail(out, DecodeError.BAD_IP_VERSION);
    }

    /**
     * NULL carries the address family in the capturing host's byte order, which the file does not record: a
     * family is a small number, so whichever order makes it fit in one byte is the right one. LOOP is always
     * network order.
     */
    private DecodeResult bsdLoopback(byte[] b, int len, DecodedPacket out, boolean hostOrder) {
        if (len < NULL_HEADER_LENGTH) {
            return fail(out, DecodeError.TRUNCATED_LINK_HEADER);
        }
        int family = u32(b, 0);
        if (hostOrder && (family >>> 8) != 0) {
            family = Integer.reverseBytes(family);
        }
        switch (family) {
            case AF_INET:
                return ipv4(b, len, NULL_HEADER_LENGTH, out);
            case AF_INET6_LINUX:
            case AF_INET6_NETBSD_OPENBSD:
            case AF_INET6_FREEBSD:
            case AF_INET6_DARWIN:
                return ipv6(b, len, NULL_HEADER_LENGTH, out);
            default:
                out.networkOffset = NULL_HEADER_LENGTH;
                counters.otherEtherType++;
                return DecodeResult.OTHER;
        }
    }

    private DecodeResult unknownLinkType(int linkType, DecodedPacket out) {
        // Boxes, but only for link types we never decode: off the hot path by definition.
        counters.byUnknownLinkType.merge(linkType, 1L, Long::sum);
        warn(out, DecodeError.UNKNOWN_LINK_TYPE);
        return DecodeResult.OTHER;
    }

    /**
     * Dispatches on an EtherType whose payload starts at {@code off}, walking VLAN tags first. SLL carries VLAN tags
     * in-line too when the kernel did not strip them, so both Ethernet and SLL come through here.
     */
    private DecodeResult etherType(byte[] b, int len, int type, int off, boolean ethernet, DecodedPacket out) {
        int tags = 0;
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
            if (tags == MAX_VLAN_TAGS) {
                return fail(out, DecodeError.TOO_MANY_VLAN_TAGS);
            }
            if (off + 4 > len) {
                return fail(out, DecodeError.TRUNCATED_VLAN_TAG);
            }
            final int vid = u16(b, off) & 0x0FFF;
            if (tags == 0) {
                out.vlanOuter = vid;
            } else if (tags == 1) {
                out.vlanInner = vid;
            }
            tags++;
            type = u16(b, off + 2);
            off += 4;
        }
        if (tags > 2) {
            warn(out, DecodeError.TOO_MANY_VLAN_TAGS);
        }

        switch (type) {
            case ETHERTYPE_IPV4:
                return ipv4(b, len, off, out);
            case ETHERTYPE_IPV6:
                return ipv6(b, len, off, out);
            case ETHERTYPE_ARP:
                return arp(b, len, off, out);
            default:
                out.networkOffset = off;
                // In SLL, small protocol values are Linux codes (4 = 802.2 LLC, 1 = Novell 802.3, 0xC = CAN...),
                // distinct protocols that deserve their own buckets; in Ethernet they are mere lengths.
                final int bucket = ethernet && type <= MAX_802_3_LENGTH ? ETHERTYPE_802_3_LENGTH : type;
                out.etherType = bucket;
                counters.otherEtherType++;
                byEtherType[bucket]++;
                return DecodeResult.OTHER;
        }
    }

    // --------------------------------------------------------------------------------------------- network layer

    private DecodeResult arp(byte[] b, int len, int off, DecodedPacket out) {
        out.etherType = ETHERTYPE_ARP;
        out.networkOffset = off;
        if (off + ARP_FIXED_HEADER > len) {
            return fail(out, DecodeError.TRUNCATED_ARP);
        }
        final int addresses = 2 * ((b[off + 4] & 0xFF) + (b[off + 5] & 0xFF));
        if (off + ARP_FIXED_HEADER + addresses > len) {
            return fail(out, DecodeError.TRUNCATED_ARP);
        }
        counters.arp++;
        return DecodeResult.ARP;
    }

    private DecodeResult ipv4(byte[] b, int len, int off, DecodedPacket out) {
        out.etherType = ETHERTYPE_IPV4;
        out.networkOffset = off;
        if (len - off < IPV4_MIN_HEADER) {
            return fail(out, DecodeError.TRUNCATED_IPV4_HEADER);
        }
        final int versionIhl = b[off] & 0xFF;
        if ((versionIhl >>> 4) != 4) {
            return fail(out, DecodeError.BAD_IP_VERSION);
        }
        final int headerLength = (versionIhl & 0x0F) << 2;
        if (headerLength < IPV4_MIN_HEADER) {
            return fail(out, DecodeError.BAD_IPV4_HEADER_LENGTH);
        }
        int totalLength = u16(b, off + 2);
        if (totalLength == 0) {
            totalLength = wireLength - off;
        }
        if (totalLength < headerLength) {
            return fail(out, DecodeError.BAD_IPV4_TOTAL_LENGTH);
        }
        if (off + headerLength > len) {
            return fail(out, DecodeError.TRUNCATED_IPV4_HEADER);
        }

        out.ipVersion = 4;
        out.tos = b[off + 1] & 0xFF;
        out.ipTotalLength = totalLength;
        out.ipHeaderLength = headerLength;
        out.fragmentId = u16(b, off + 4);
        out.ttl = b[off + 8] & 0xFF;
        out.protocol = b[off + 9] & 0xFF;
        out.srcLo = u32(b, off + 12) & 0xFFFF_FFFFL;
        out.dstLo = u32(b, off + 16) & 0xFFFF_FFFFL;

        final int end = off + totalLength;
        final int capturedEnd = Math.min(end, len);
        final int transport = off + headerLength;
        final int fragmentField = u16(b, off + 6);
        if ((fragmentField & (IPV4_MF | IPV4_OFFSET_MASK)) != 0) {
            out.fragment = true;
            if ((fragmentField & IPV4_OFFSET_MASK) != 0) {
                setPayload(out, transport, end - transport, capturedEnd);
                return DecodeResult.IP;
            }
            out.firstFragment = true;
        }
        return transport(b, transport, end, capturedEnd, out);
    }

    private DecodeResult ipv6(byte[] b, int len, int off, DecodedPacket out) {
        out.etherType = ETHERTYPE_IPV6;
        out.networkOffset = off;
        if (len - off < IPV6_HEADER) {
            return fail(out, DecodeError.TRUNCATED_IPV6_HEADER);
        }
        if ((b[off] & 0xF0) != 0x60) {
            return fail(out, DecodeError.BAD_IP_VERSION);
        }
        int nextHeader = b[off + 6] & 0xFF;
        int payloadLength = u16(b, off + 4);
        if (payloadLength == 0 && nextHeader != NO_NEXT_HEADER) {
            payloadLength = Math.max(0, wireLength - off - IPV6_HEADER);
        }

        out.ipVersion = 6;
        out.tos = (u16(b, off) >>> 4) & 0xFF;
        out.ttl = b[off + 7] & 0xFF;
        out.ipTotalLength = IPV6_HEADER + payloadLength;
        out.srcHi = u64(b, off + 8);
        out.srcLo = u64(b, off + 16);
        out.dstHi = u64(b, off + 24);
        out.dstLo = u64(b, off + 32);

        final int end = off + IPV6_HEADER + payloadLength;
        final int capturedEnd = Math.min(end, len);
        int p = off + IPV6_HEADER;
        int extensions = 0;
        while (isIpv6Extension(nextHeader)) {
            if (extensions == MAX_IPV6_EXTENSIONS) {
                return fail(out, DecodeError.TOO_MANY_IPV6_EXTENSIONS);
            }
            extensions++;
            final int headerLength;
            if (nextHeader == IPV6_FRAGMENT) {
                headerLength = 8;
            } else {
                if (p + 2 > capturedEnd) {
                    return fail(out, DecodeError.TRUNCATED_IPV6_EXTENSION);
                }
                // AH counts its length in 4-byte units less 2, the others in 8-byte units less 1.
                headerLength = nextHeader == IPV6_AH ? ((b[p + 1] & 0xFF) + 2) << 2 : ((b[p + 1] & 0xFF) + 1) << 3;
            }
            if (p + headerLength > capturedEnd) {
                return fail(out, DecodeError.TRUNCATED_IPV6_EXTENSION);
            }
            final int header = nextHeader;
            nextHeader = b[p] & 0xFF;
            p += headerLength;
            if (header == IPV6_FRAGMENT) {
                final int offsetAndFlags = u16(b, p - 6);
                out.fragment = true;
                out.fragmentId = u32(b, p - 4) & 0xFFFF_FFFFL;
                if ((offsetAndFlags >>> 3) != 0) {
                    // The rest is fragment data; the next header names what the first fragment starts with.
                    out.protocol = nextHeader;
                    out.ipHeaderLength = p - off;
                    setPayload(out, p, end - p, capturedEnd);
                    return DecodeResult.IP;
                }
                out.firstFragment = true;
            }
        }

        out.protocol = nextHeader;
        out.ipHeaderLength = p - off;
        if (nextHeader == NO_NEXT_HEADER || nextHeader == PROTO_ESP) {
            setPayload(out, p, end - p, capturedEnd);
            return DecodeResult.IP;
        }
        return transport(b, p, end, capturedEnd, out);
    }

    /** Headers we walk past to reach the upper layer; ESP (50) and No Next Header (59) end the chain instead. */
    private static boolean isIpv6Extension(int nextHeader) {
        switch (nextHeader) {
            case 0:     // hop-by-hop options
            case 43:    // routing
            case IPV6_FRAGMENT:
            case IPV6_AH:
            case 60:    // destination options
            case 135:   // mobility
            case 139:   // HIP
            case 140:   // shim6
                return true;
            default:
                return false;
        }
    }

    // ------------------------------------------------------------------------------------------- transport layer

    /**
     * @param t           offset of the transport header
     * @param end         end of the IP packet per its own header (may lie past the buffer)
     * @param capturedEnd end of the IP packet's bytes in the buffer: min(end, captured), padding excluded
     */
    private DecodeResult transport(byte[] b, int t, int end, int capturedEnd, DecodedPacket out) {
        switch (out.protocol) {
            case DecodedPacket.PROTO_TCP:
                return tcp(b, t, end, capturedEnd, out);
            case DecodedPacket.PROTO_UDP:
                return udp(b, t, end, capturedEnd, out);
            case DecodedPacket.PROTO_ICMP:
                if (out.ipVersion == 4) {
                    return icmp(b, t, end, capturedEnd, out);
                }
                break;
            case DecodedPacket.PROTO_ICMPV6:
                if (out.ipVersion == 6) {
                    return icmp(b, t, end, capturedEnd, out);
                }
                break;
            default:
                break;
        }
        setPayload(out, t, end - t, capturedEnd);
        return DecodeResult.IP;
    }

    private DecodeResult tcp(byte[] b, int t, int end, int capturedEnd, DecodedPacket out) {
        if (t + TCP_MIN_HEADER > capturedEnd) {
            return fail(out, DecodeError.TRUNCATED_TCP_HEADER);
        }
        out.srcPort = u16(b, t);
        out.dstPort = u16(b, t + 2);
        out.tcpSeq = u32(b, t + 4) & 0xFFFF_FFFFL;
        out.tcpAck = u32(b, t + 8) & 0xFFFF_FFFFL;
        final int offsetByte = b[t + 12] & 0xFF;
        out.tcpFlags = (b[t + 13] & 0xFF) | ((offsetByte & 0x01) << 8);
        out.tcpWindow = u16(b, t + 14);
        final int headerLength = (offsetByte >>> 4) << 2;
        if (headerLength < TCP_MIN_HEADER || t + headerLength > end) {
            return fail(out, DecodeError.BAD_TCP_HEADER_LENGTH);
        }
        out.tcpHeaderLength = headerLength;
        out.hasTransport = true;
        final int optionsEnd = t + headerLength;
        if (optionsEnd > capturedEnd) {
            warn(out, DecodeError.TRUNCATED_TCP_HEADER);
        }
        if (headerLength > TCP_MIN_HEADER) {
            tcpOptions(b, t + TCP_MIN_HEADER, optionsEnd, Math.min(optionsEnd, capturedEnd), out);
        }
        setPayload(out, optionsEnd, end - optionsEnd, capturedEnd);
        return DecodeResult.IP;
    }

    /**
     * Parses options in {@code [p, capturedEnd)}; {@code end} is where the data offset says they stop. An option
     * running past {@code end} is bad; one running past {@code capturedEnd} only was cut by the snaplen (already
     * noted) and ends the walk quietly.
     */
    private static void tcpOptions(byte[] b, int p, int end, int capturedEnd, DecodedPacket out) {
        while (p < capturedEnd) {
            final int kind = b[p] & 0xFF;
            if (kind == 0) {            // EOL
                return;
            }
            if (kind == 1) {            // NOP
                p++;
                continue;
            }
            if (p + 2 > capturedEnd) {
                if (p + 2 > end) {
                    warn(out, DecodeError.BAD_TCP_OPTION);
                }
                return;
            }
            final int length = b[p + 1] & 0xFF;
            if (length < 2 || p + length > end) {
                warn(out, DecodeError.BAD_TCP_OPTION);
                return;
            }
            if (p + length > capturedEnd) {
                return;
            }
            switch (kind) {
                case 2:
                    if (length != 4) {
                        warn(out, DecodeError.BAD_TCP_OPTION);
                        return;
                    }
                    out.tcpMss = u16(b, p + 2);
                    break;
                case 3:
                    if (length != 3) {
                        warn(out, DecodeError.BAD_TCP_OPTION);
                        return;
                    }
                    out.tcpWindowScale = b[p + 2] & 0xFF;
                    break;
                case 4:
                    if (length != 2) {
                        warn(out, DecodeError.BAD_TCP_OPTION);
                        return;
                    }
                    out.tcpSackPermitted = true;
                    break;
                case 8:
                    if (length != 10) {
                        warn(out, DecodeError.BAD_TCP_OPTION);
                        return;
                    }
                    out.tcpTimestamps = true;
                    break;
                default:
                    break;
            }
            p += length;
        }
    }

    private DecodeResult udp(byte[] b, int t, int end, int capturedEnd, DecodedPacket out) {
        if (t + UDP_HEADER > capturedEnd) {
            return fail(out, DecodeError.TRUNCATED_UDP_HEADER);
        }
        out.srcPort = u16(b, t);
        out.dstPort = u16(b, t + 2);
        final int ipPayload = end - t;
        int udpLength = u16(b, t + 4);
        if (udpLength == 0 && ipPayload > 0xFFFF) {
            udpLength = ipPayload;  // RFC 2675 jumbogram, or GSO on the sending host
        }
        if (udpLength < UDP_HEADER) {
            return fail(out, DecodeError.BAD_UDP_LENGTH);
        }
        out.hasTransport = true;
        setPayload(out, t + UDP_HEADER, Math.min(udpLength, ipPayload) - UDP_HEADER, capturedEnd);
        return DecodeResult.IP;
    }

    private DecodeResult icmp(byte[] b, int t, int end, int capturedEnd, DecodedPacket out) {
        if (t + ICMP_HEADER > capturedEnd) {
            return fail(out, DecodeError.TRUNCATED_ICMP_HEADER);
        }
        out.icmpType = b[t] & 0xFF;
        out.icmpCode = b[t + 1] & 0xFF;
        out.hasTransport = true;
        setPayload(out, t + ICMP_HEADER, end - t - ICMP_HEADER, capturedEnd);
        return DecodeResult.IP;
    }

    // ------------------------------------------------------------------------------------------------- counting

    private void countIp(DecodedPacket out) {
        final DecodeCounters c = counters;
        final boolean v4 = out.ipVersion == 4;
        if (v4) {
            c.ipv4++;
            if (out.fragment) {
                c.ipv4Fragments++;
            }
        } else {
            c.ipv6++;
            if (out.fragment) {
                c.ipv6Fragments++;
            }
        }
        final int protocol = out.protocol;
        if (protocol == DecodedPacket.PROTO_TCP) {
            c.tcp++;
        } else if (protocol == DecodedPacket.PROTO_UDP) {
            c.udp++;
        } else if (protocol == DecodedPacket.PROTO_ICMP && v4) {
            c.icmp++;
        } else if (protocol == DecodedPacket.PROTO_ICMPV6 && !v4) {
            c.icmpv6++;
        } else {
            c.otherIpProtocol++;
            byIpProtocol[protocol]++;
        }
    }

    private static void setPayload(DecodedPacket out, int offset, int length, int capturedEnd) {
        out.payloadOffset = offset;
        out.payloadLength = Math.max(0, length);
        out.payloadCaptured = Math.max(0, Math.min(capturedEnd - offset, out.payloadLength));
    }

    private static DecodeResult fail(DecodedPacket out, DecodeError error) {
        out.error = error;
        out.ipVersion = 0;
        out.hasTransport = false;
        return DecodeResult.MALFORMED;
    }

    /** Notes an anomaly in a frame that still decodes; the first one noted is the one counted. */
    private static void warn(DecodedPacket out, DecodeError error) {
        if (out.error == null) {
            out.error = error;
        }
    }

    // ------------------------------------------------------------------------------------------ big-endian reads

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int u32(byte[] b, int i) {
        return (b[i] << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    static long u64(byte[] b, int i) {
        return ((long) u32(b, i) << 32) | (u32(b, i + 4) & 0xFFFF_FFFFL);
    }

    static long mac(byte[] b, int i) {
        return ((long) u16(b, i) << 32) | (u32(b, i + 2) & 0xFFFF_FFFFL);
    }
}
