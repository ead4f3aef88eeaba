package dev.vigie.decode;

import dev.vigie.capture.CapturedPacket;

/**
 * What must hold after any decode, whatever the input: used by the property and real-capture tests. Returns a
 * description of the first violation, or null, so that callers can report the offending frame.
 */
final class DecodeInvariants {
    private DecodeInvariants() {}

    static String check(CapturedPacket frame, DecodedPacket out, DecodeResult result) {
        int len = Math.max(0, Math.min(frame.captureLength, frame.data.length));
        if (result == null) {
            return "null result";
        }
        if (result == DecodeResult.IP) {
            if (out.ipVersion != 4 && out.ipVersion != 6) {
                return "IP with ipVersion " + out.ipVersion;
            }
            if (out.networkOffset < 0 || out.networkOffset + out.ipHeaderLength > len) {
                return "IP header outside the buffer: offset " + out.networkOffset + " + " + out.ipHeaderLength;
            }
            if (out.ipHeaderLength < (out.ipVersion == 4 ? 20 : 40)) {
                return "ipHeaderLength " + out.ipHeaderLength;
            }
            if (out.ipTotalLength < out.ipHeaderLength) {
                return "ipTotalLength " + out.ipTotalLength + " < header " + out.ipHeaderLength;
            }
            if (out.protocol < 0 || out.protocol > 255) {
                return "protocol " + out.protocol;
            }
            if (out.payloadOffset < 0 || out.payloadLength < 0 || out.payloadCaptured < 0
                    || out.payloadCaptured > out.payloadLength
                    || (out.payloadCaptured > 0 && out.payloadOffset + out.payloadCaptured > len)) {
                return "payload " + out.payloadOffset + "/" + out.payloadLength + "/" + out.payloadCaptured
                        + " in " + len + " bytes";
            }
            if (out.payloadOffset < out.networkOffset + out.ipHeaderLength) {
                return "payload before the end of the IP header";
            }
            if (out.firstFragment && !out.fragment) {
                return "firstFragment without fragment";
            }
            if (out.fragment && !out.firstFragment && out.hasTransport) {
                return "transport decoded in a non-first fragment";
            }
            if (out.ipVersion == 4 && (out.srcHi != 0 || out.dstHi != 0 || (out.srcLo >>> 32) != 0)) {
                return "IPv4 address out of range";
            }
            if (out.hasTransport) {
                switch (out.protocol) {
                    case DecodedPacket.PROTO_TCP:
                        if (out.tcpHeaderLength < 20 || out.tcpHeaderLength > 60 || out.tcpFlags > 0x1FF
                                || out.payloadOffset != out.networkOffset + out.ipHeaderLength + out.tcpHeaderLength) {
                            return "TCP header fields";
                        }
                        break;
                    case DecodedPacket.PROTO_UDP:
                        if (out.payloadOffset != out.networkOffset + out.ipHeaderLength + 8) {
                            return "UDP payload offset";
                        }
                        break;
                    case DecodedPacket.PROTO_ICMP:
                    case DecodedPacket.PROTO_ICMPV6:
                        if (out.icmpType < 0 || out.icmpType > 255 || out.srcPort != 0 || out.dstPort != 0) {
                            return "ICMP fields";
                        }
                        break;
                    default:
                        return "transport for protocol " + out.protocol;
                }
                if (out.srcPort < 0 || out.srcPort > 0xFFFF || out.dstPort < 0 || out.dstPort > 0xFFFF) {
                    return "ports";
                }
            }
        } else {
            if (out.ipVersion != 0) {
                return result + " with ipVersion " + out.ipVersion;
            }
            if (out.hasTransport) {
                return result + " with transport";
            }
        }
        if (result == DecodeResult.MALFORMED && out.error == null) {
            return "MALFORMED without a reason";
        }
        if (out.networkOffset > len) {
            return "networkOffset " + out.networkOffset + " past " + len;
        }
        if (out.vlanOuter < 0 || out.vlanOuter > 4095 || out.vlanInner < 0 || out.vlanInner > 4095) {
            return "VLAN ids";
        }
        if (out.srcMac < -1 || out.srcMac > 0xFFFF_FFFF_FFFFL || out.dstMac < -1 || out.dstMac > 0xFFFF_FFFF_FFFFL) {
            return "MAC out of range";
        }
        return null;
    }

    /** The accounting identities the decoder promises; {@code frames} and {@code malformed} are the caller's tally. */
    static String checkCounters(DecodeCounters c, long frames, long malformed) {
        long unknownLink = c.byUnknownLinkType.values().stream().mapToLong(Long::longValue).sum();
        long landed = c.ipv4 + c.ipv6 + c.arp + c.otherEtherType + unknownLink + malformed;
        if (landed != frames) {
            return "frames " + frames + " but counted " + landed;
        }
        if (c.tcp + c.udp + c.icmp + c.icmpv6 + c.otherIpProtocol != c.ipv4 + c.ipv6) {
            return "per-protocol counts do not add up to IP packets";
        }
        long byProtocol = 0;
        for (long v : c.byIpProtocol) {
            byProtocol += v;
        }
        if (byProtocol != c.otherIpProtocol) {
            return "byIpProtocol sums to " + byProtocol + ", otherIpProtocol " + c.otherIpProtocol;
        }
        long byEtherType = 0;
        for (long v : c.byEtherType) {
            byEtherType += v;
        }
        if (byEtherType > c.otherEtherType) {
            return "byEtherType sums past otherEtherType";
        }
        if (c.errors.total() > frames || c.errors.total() < malformed) {
            return "errors " + c.errors.total() + " for " + frames + " frames, " + malformed + " malformed";
        }
        if (c.ipv4Fragments > c.ipv4 || c.ipv6Fragments > c.ipv6) {
            return "more fragments than packets";
        }
        return null;
    }
}
