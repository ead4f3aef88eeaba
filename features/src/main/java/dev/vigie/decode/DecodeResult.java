package dev.vigie.decode;

/** What the decoder made of a frame; everything but {@link #IP} is counted and goes no further than the counters. */
public enum DecodeResult {
    /** An IPv4 or IPv6 packet: goes on to the flow table. */
    IP,
    /** An ARP packet (counted; the asset inventory reads it). */
    ARP,
    /** A link or network protocol we do not decode (counted by EtherType / link type). */
    OTHER,
    /** A malformed or truncated frame (counted by {@link DecodeError}). */
    MALFORMED
}
