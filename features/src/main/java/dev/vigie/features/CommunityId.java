package dev.vigie.features;

import dev.vigie.flow.Flow;
import dev.vigie.flow.IcmpPorts;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID v1 (corelight/community-id-spec): "1:" + base64(SHA-1(seed ‖ saddr ‖ daddr ‖ proto ‖ 0 ‖ sport ‖
 * dport)), the endpoints ordered so that the smaller (address, port) comes first; for ICMP the ports are the
 * type and the counterpart type (or the code), and one-way ICMP messages are not reordered.
 */
public final class CommunityId {
    private final int seed;
    private final MessageDigest sha1;
    private final byte[] buf = new byte[2 + 16 + 16 + 2 + 4];
    private final byte[] digest = new byte[20];
    private final byte[] base64 = new byte[28];

    public CommunityId(int seed) {
        this.seed = seed;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing from the JDK", e);
        }
    }

    public String of(Flow f) {
        return of(f.ipVersion(), f.protocol(), f.origHi(), f.origLo(), f.origPort(), f.respHi(), f.respLo(),
                f.respPort());
    }

    /** Appends the flow's ID to {@code out} without allocating. */
    public void write(Flow f, dev.vigie.schema.TextBuffer out) {
        hash(f.ipVersion(), f.protocol(), f.origHi(), f.origLo(), f.origPort(), f.respHi(), f.respLo(), f.respPort());
        int n = Base64.getEncoder().encode(digest, base64);
        out.append('1').append(':').append(base64, 0, n);
    }

    /**
     * @param sport source port, or the ICMP type
     * @param dport destination port, or the ICMP counterpart type (or code when there is none), as in the flow key
     */
    public String of(int ipVersion, int proto, long sHi, long sLo, int sport, long dHi, long dLo, int dport) {
        hash(ipVersion, proto, sHi, sLo, sport, dHi, dLo, dport);
        return "1:" + Base64.getEncoder().encodeToString(digest);
    }

    /** Computes the SHA-1 of the ordered tuple into {@link #digest}. */
    private void hash(int ipVersion, int proto, long sHi, long sLo, int sport, long dHi, long dLo, int dport) {
        boolean v6 = ipVersion == 6;
        boolean oneWay = false;
        if (proto == 1 || proto == 58) {
            oneWay = IcmpPorts.counterpart(v6, sport) < 0;
        }
        if (proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58) {
            if (!oneWay && !less(sHi, sLo, sport, dHi, dLo, dport)) {
                long t = sHi; sHi = dHi; dHi = t;
                t = sLo; sLo = dLo; dLo = t;
                int p = sport; sport = dport; dport = p;
            }
        } else {
            sport = dport = -1; // no ports for other protocols
            if (!less(sHi, sLo, 0, dHi, dLo, 0)) {
                long t = sHi; sHi = dHi; dHi = t;
                t = sLo; sLo = dLo; dLo = t;
            }
        }
        int n = 0;
        buf[n++] = (byte) (seed >>> 8);
        buf[n++] = (byte) seed;
        n = putAddress(buf, n, v6, sHi, sLo);
        n = putAddress(buf, n, v6, dHi, dLo);
        buf[n++] = (byte) proto;
        buf[n++] = 0;
        if (sport >= 0) {
            buf[n++] = (byte) (sport >>> 8);
            buf[n++] = (byte) sport;
            buf[n++] = (byte) (dport >>> 8);
            buf[n++] = (byte) dport;
        }
        sha1.reset();
        sha1.update(buf, 0, n);
        try {
            sha1.digest(digest, 0, digest.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-1 digest buffer", e);
        }
    }

    private static boolean less(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int c = Long.compareUnsigned(aHi, bHi);
        if (c == 0) c = Long.compareUnsigned(aLo, bLo);
        return c < 0 || (c == 0 && aPort < bPort);
    }

    private static int putAddress(byte[] b, int n, boolean v6, long hi, long lo) {
        if (v6) {
            for (int i = 7; i >= 0; i--) b[n++] = (byte) (hi >>> (8 * i));
            for (int i = 7; i >= 0; i--) b[n++] = (byte) (lo >>> (8 * i));
        } else {
            for (int i = 3; i >= 0; i--) b[n++] = (byte) (lo >>> (8 * i));
        }
        return n;
    }
}
