package dev.vigie.flow;

/**
 * ICMP "ports" as the Community ID spec defines them: the source port is the type, the destination port is the
 * type of the counterpart message (echo request 8 ↔ reply 0, ...) when there is one, else the code. Requests and
 * replies then share one flow, as in Zeek.
 */
public final class IcmpPorts {
    private IcmpPorts() {}

    /** Counterpart type for ICMPv4, or -1. */
    public static int counterpartV4(int type) {
        return switch (type) {
            case 8 -> 0;
            case 0 -> 8;
            case 13 -> 14;
            case 14 -> 13;
            case 15 -> 16;
            case 16 -> 15;
            case 10 -> 9;
            case 9 -> 10;
            case 17 -> 18;
            case 18 -> 17;
            default -> -1;
        };
    }

    /** Counterpart type for ICMPv6, or -1. */
    public static int counterpartV6(int type) {
        return switch (type) {
            case 128 -> 129;
            case 129 -> 128;
            case 133 -> 134;
            case 134 -> 133;
            case 135 -> 136;
            case 136 -> 135;
            case 130 -> 131;
            case 131 -> 130;
            case 139 -> 140;
            case 140 -> 139;
            case 144 -> 145;
            case 145 -> 144;
            default -> -1;
        };
    }

    public static int counterpart(boolean v6, int type) {
        return v6 ? counterpartV6(type) : counterpartV4(type);
    }
}
