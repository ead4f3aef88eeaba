package dev.vigie.decode;

/** Reasons a frame could not be (fully) decoded; each has a counter in {@link DecodeCounters}. */
public enum DecodeError {
    UNKNOWN_LINK_TYPE("unknown link type"),
    TRUNCATED_LINK_HEADER("link-layer header truncated"),
    TRUNCATED_VLAN_TAG("802.1Q tag truncated"),
    TOO_MANY_VLAN_TAGS("more than two VLAN tags"),
    TRUNCATED_ARP("ARP packet truncated"),
    TRUNCATED_IPV4_HEADER("IPv4 header truncated"),
    BAD_IPV4_HEADER_LENGTH("IPv4 header length below 20 or above the packet"),
    BAD_IPV4_TOTAL_LENGTH("IPv4 total length below its header length"),
    BAD_IP_VERSION("IP version field is neither 4 nor 6"),
    TRUNCATED_IPV6_HEADER("IPv6 header truncated"),
    TRUNCATED_IPV6_EXTENSION("IPv6 extension header truncated"),
    TOO_MANY_IPV6_EXTENSIONS("more IPv6 extension headers than the limit"),
    TRUNCATED_TCP_HEADER("TCP header truncated"),
    BAD_TCP_HEADER_LENGTH("TCP data offset below 5 or past the segment"),
    BAD_TCP_OPTION("TCP option with an invalid length"),
    TRUNCATED_UDP_HEADER("UDP header truncated"),
    BAD_UDP_LENGTH("UDP length below 8"),
    TRUNCATED_ICMP_HEADER("ICMP header truncated");

    private final String description;

    DecodeError(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
