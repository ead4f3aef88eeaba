package dev.vigie.capture;

/** The tcpdump.org LINKTYPE_ values we decode; anything else is counted as an unknown link type. */
public final class LinkType {
    public static final int NULL = 0;          // BSD loopback, 4-byte host-order address family
    public static final int ETHERNET = 1;
    public static final int RAW = 101;         // raw IPv4 or IPv6, version from the first nibble
    public static final int LOOP = 108;        // OpenBSD loopback, 4-byte network-order address family
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;
    /** Some old captures use DLT_RAW's platform value 12 (and 14 on OpenBSD). */
    public static final int RAW_ALT12 = 12;
    public static final int RAW_ALT14 = 14;

    private LinkType() {}

    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "NULL";
            case ETHERNET -> "EN10MB";
            case RAW, RAW_ALT12, RAW_ALT14 -> "RAW";
            case LOOP -> "LOOP";
            case LINUX_SLL -> "LINUX_SLL";
            case IPV4 -> "IPV4";
            case IPV6 -> "IPV6";
            case LINUX_SLL2 -> "LINUX_SLL2";
            default -> "LINKTYPE_" + linkType;
        };
    }
}
