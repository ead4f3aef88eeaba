package dev.vigie.protocols;

import dev.vigie.flow.Flow;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What every parser shares within one analyzer (one packet thread): counters, scratch space, buffer pools, the FTP
 * expectation table, and the flow and capture time of the packet being parsed. Scratch space is reused from flow to
 * flow, so a parser allocates only the strings it keeps.
 */
final class ParseContext {
    /** Pending bytes of one TCP direction: the largest line or unit header a parser may have to wait for. */
    static final int PENDING_SIZE = 4096;
    /** TLS handshake reassembly: a ClientHello, or a ServerHello plus the leaf certificate. */
    static final int HANDSHAKE_SIZE = 16384;

    final ProtocolCounters counters;
    final StringBuilder sb = new StringBuilder(Text.MAX_LIST);
    final BufferPool pending;
    final BufferPool handshake;
    final FtpExpectations expectations;
    final MessageDigest md5;
    final MessageDigest sha256;
    /** The ClientHello being fingerprinted, and room to sort its lists. */
    final ClientHello hello = new ClientHello();
    final int[] sortScratch = new int[256];
    /** The fingerprint list being hashed (JA3, JA4's cipher and extension lists). */
    final AsciiBuilder ascii = new AsciiBuilder();

    /** The flow and capture time of the packet being parsed. */
    Flow flow;
    long nowNs;

    ParseContext(ProtocolCounters counters) {
        this.counters = counters;
        this.pending = new BufferPool(PENDING_SIZE, 1024, counters);
        this.handshake = new BufferPool(HANDSHAKE_SIZE, 256, counters);
        this.expectations = new FtpExpectations(counters);
        try {
            md5 = MessageDigest.getInstance("MD5");
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5 and SHA-256", e);
        }
    }
}
