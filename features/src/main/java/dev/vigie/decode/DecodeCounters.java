package dev.vigie.decode;

import dev.vigie.util.EnumCounters;

/** What the decoder saw, by kind; single writer (the packet loop). */
public final class DecodeCounters {
    public long ipv4;
    public long ipv6;
    public long arp;
    public long tcp;
    public long udp;
    public long icmp;
    public long icmpv6;
    /** Packets with another IP protocol (GRE, ESP, SCTP, ...), also counted per protocol number below. */
    public long otherIpProtocol;
    public final long[] byIpProtocol = new long[256];
    /** Frames with an EtherType we do not decode; the most common ones are kept in {@link #byEtherType}. */
    public long otherEtherType;
    public final long[] byEtherType = new long[65536];
    public long ipv4Fragments;
    public long ipv6Fragments;
    /** Frames whose link type we do not decode, by link type (a frame is also counted in errors). */
    public final java.util.Map<Integer, Long> byUnknownLinkType = new java.util.TreeMap<>();
    public final EnumCounters<DecodeError> errors = new EnumCounters<>(DecodeError.class);
}
