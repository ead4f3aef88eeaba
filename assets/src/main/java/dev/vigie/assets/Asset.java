package dev.vigie.assets;

import java.util.Arrays;

/**
 * What the inventory knows of one asset, mutable, owned by the {@link AssetTracker}'s thread. Every collection is
 * a small array with a hard cap, so an asset's memory is bounded whatever the traffic ({@link #estimatedBytes}).
 * An asset is a MAC on the monitored segment, or an address without a usable MAC (no Ethernet, or behind a router
 * whose MAC it shares).
 */
final class Asset {
    static final int MAX_IPS = 8, MAX_NAMES = 6, MAX_SERVICES = 24, MAX_PEERS = 32, MAX_CLIENTS = 16,
            MAX_HL7 = 8, MAX_AE = 4, MAX_INDICATORS = 8, SCAN_SLOTS = 64, MAX_MACS = 4, MAX_LOOKUPS = 64;

    // shared empty arrays: most assets never fill most lists, and 14 empty arrays each would cost 220 bytes
    private static final long[] NO_LONGS = {};
    private static final String[] NO_STRINGS = {};
    static final int[] NO_INTS = {};

    final String id;
    long mac = -1;
    /** For an address-only asset ("ip:" id) of an IPv4 address: that address, unsigned; else -1 (AssetTracker). */
    long v4Key = -1;
    /** Earlier MACs of an address-keyed asset (several MACs claiming one address show here). */
    long[] macs = NO_LONGS;
    String vendor;
    String ip;
    int ip4;                                      // ip as an int when IPv4 (0 otherwise): the per-flow check
    String[] ips = NO_STRINGS;
    int ipsSeen;
    long firstNs = Long.MAX_VALUE, lastNs = Long.MIN_VALUE;

    String[] names = NO_STRINGS;
    String[] nameSources = NO_STRINGS;

    // passive OS signals
    final int[] ttlInitial = new int[4];          // 32, 64, 128, 255
    int synWin = -1, synMss = -1, synWscale = -1;
    boolean synSack, synTs, synIsAck;
    int synSeen;
    int nmapProbes;
    String dhcpParams, dhcpVendor, userAgentHint, sshSoftware;

    // what it serves and speaks
    int[] services = NO_INTS;                  // proto << 16 | port, answered
    int[] serviceFlows = NO_INTS;
    int[] clients = NO_INTS;                   // hashes of distinct clients served (capped)
    long clientProtos, serverProtos;              // bit i = AppProtocols index i
    String[] hl7Types = NO_STRINGS;
    String[] dicomAes = NO_STRINGS;
    int[] peers4 = NO_INTS;                    // IPv4 peers, exact (capped)
    int peersOther;                               // IPv6 or past the cap
    long flowsOrig, flowsResp, bytesOut, bytesIn;
    int routedAddresses;                          // non-local addresses seen behind this MAC

    // behaviour
    long scanWindowStart = Long.MIN_VALUE;
    int[] scanTargets = NO_INTS;
    int scanTargetCount;
    boolean scanner;
    long scanAttempts;
    String[] indicators = NO_STRINGS;
    int[] arpClaims = NO_INTS;                 // distinct IPv4 addresses this MAC claimed by ARP (window)
    long arpClaimsSince = Long.MIN_VALUE;
    int gratuitousArps;
    long garpWindowStart = Long.MIN_VALUE;
    int garpInWindow;

    int[] lookups = NO_INTS;                   // hashes of distinct DNS names looked up (capped)

    // last published guesses, to report changes once (their reasons are recomputed for records)
    String role, osFamily, osDetail;
    double osConfidence;
    boolean dirty = true;

    Asset(String id) {
        this.id = id;
    }

    void seen(long ns) {
        if (ns < firstNs) firstNs = ns;
        if (ns > lastNs) lastNs = ns;
    }

    /** Records {@code address} as the asset's current address; true when it was new for this asset. */
    boolean address(String address) {
        if (address.equals(ip)) return false;
        ip = address;
        ip4 = Addresses.ipv4(address);
        for (String s : ips) {
            if (s.equals(address)) return false;
        }
        ipsSeen++;
        ips = add(ips, address, MAX_IPS);
        return true;
    }

    /** This asset's own text for the address (its current one when it matches: no new String per flow). */
    String ipOf(int version, long hi, long lo) {
        if (hasAddress(version, hi, lo)) return ip;
        return dev.vigie.features.IpText.format(version, hi, lo);
    }

    /** The address (numeric form of a flow endpoint) is the asset's current one. */
    boolean hasAddress(int version, long hi, long lo) {
        if (ip == null) return false;
        if (version == 4) return ip4 == (int) lo && ip4 != 0;
        return ip.equals(dev.vigie.features.IpText.format(version, hi, lo));
    }

    /** True when the name was new. */
    boolean name(String name, String source) {
        for (String s : names) {
            if (s.equalsIgnoreCase(name)) return false;
        }
        if (names.length >= MAX_NAMES) return false;
        names = add(names, name, MAX_NAMES);
        nameSources = add(nameSources, source, MAX_NAMES);
        dirty = true;
        return true;
    }

    void service(int proto, int port, int clientHash) {
        int key = proto << 16 | port;
        int i = indexOf(services, key);
        if (i < 0) {
            if (services.length >= MAX_SERVICES) return;
            services = Arrays.copyOf(services, services.length + 1);
            serviceFlows = Arrays.copyOf(serviceFlows, serviceFlows.length + 1);
            i = services.length - 1;
            services[i] = key;
            dirty = true;
        }
        serviceFlows[i]++;
        if (indexOf(clients, clientHash) < 0 && clients.length < MAX_CLIENTS) {
            clients = Arrays.copyOf(clients, clients.length + 1);
            clients[clients.length - 1] = clientHash;
            dirty = true;
        }
    }

    /** True when the IPv4 peer was new for this asset. */
    boolean peer4(int address) {
        if (indexOf(peers4, address) >= 0) return false;
        if (peers4.length >= MAX_PEERS) {
            peersOther++;
            return false;
        }
        peers4 = Arrays.copyOf(peers4, peers4.length + 1);
        peers4[peers4.length - 1] = address;
        return true;
    }

    boolean indicator(String s) {
        for (String x : indicators) {
            if (x.equals(s)) return false;
        }
        if (indicators.length >= MAX_INDICATORS) return false;
        indicators = add(indicators, s, MAX_INDICATORS);
        dirty = true;
        return true;
    }

    /**
     * {@code address} claimed by this MAC in an ARP packet at {@code ns}: the count of distinct addresses claimed
     * within {@code windowNs} of the first (capped at 8; a proxy-ARP router goes past it quickly).
     */
    int arpClaim(int address, long ns, long windowNs) {
        if (arpClaims.length == 0 || ns - arpClaimsSince > windowNs) {
            arpClaims = NO_INTS;
            arpClaimsSince = ns;
        }
        if (indexOf(arpClaims, address) >= 0) return arpClaims.length;
        if (arpClaims.length >= 8) return 9;
        arpClaims = Arrays.copyOf(arpClaims, arpClaims.length + 1);
        arpClaims[arpClaims.length - 1] = address;
        return arpClaims.length;
    }

    /** True when the query name (by hash) is new for this asset; past the cap every name counts as new. */
    boolean lookup(String query) {
        int h = query.hashCode();
        if (indexOf(lookups, h) >= 0) return false;
        if (lookups.length < MAX_LOOKUPS) {
            lookups = Arrays.copyOf(lookups, lookups.length + 1);
            lookups[lookups.length - 1] = h;
        }
        return true;
    }

    void hl7(String type) {
        for (String x : hl7Types) if (x.equals(type)) return;
        hl7Types = add(hl7Types, type, MAX_HL7);
    }

    void dicomAe(String ae) {
        for (String x : dicomAes) if (x.equals(ae)) return;
        dicomAes = add(dicomAes, ae, MAX_AE);
    }

    void previousMac(long m) {
        if (m < 0 || m == mac) return;
        for (long x : macs) if (x == m) return;
        if (macs.length >= MAX_MACS) return;
        macs = Arrays.copyOf(macs, macs.length + 1);
        macs[macs.length - 1] = m;
    }

    /**
     * A failed or half-open connection attempt to {@code target} (hash of address and port) at {@code ns}: the
     * distinct targets within one window of {@code windowNs} decide whether the asset is scanning.
     */
    int scanAttempt(long ns, int target, long windowNs) {
        scanAttempts++;
        if (scanWindowStart == Long.MIN_VALUE || ns - scanWindowStart > windowNs) {
            scanWindowStart = ns;
            scanTargetCount = 0;
            if (scanTargets.length > 0) Arrays.fill(scanTargets, 0);
        }
        if (scanTargets.length == 0) scanTargets = new int[SCAN_SLOTS];
        int h = target == 0 ? 1 : target;
        int slot = (h * 0x9E3779B1) >>> 26;  // 64 slots, open addressing
        for (int probe = 0; probe < SCAN_SLOTS; probe++) {
            int s = (slot + probe) & (SCAN_SLOTS - 1);
            if (scanTargets[s] == h) return scanTargetCount;
            if (scanTargets[s] == 0) {
                scanTargets[s] = h;
                return ++scanTargetCount;
            }
        }
        return ++scanTargetCount; // table full: every further target counts (it is already a scan)
    }

    /** Bytes this asset holds on the heap, counted from its arrays and strings (what the inventory reports). */
    long estimatedBytes() {
        long b = 160 + 16 + 4 * 4; // object header and fields, ttl array
        b += strings(ips) + strings(names) + (nameSources.length == 0 ? 0 : 16 + 4L * nameSources.length) + strings(hl7Types) + strings(dicomAes)
                + strings(indicators);
        b += 4L * (services.length + serviceFlows.length + clients.length + peers4.length + scanTargets.length)
                + 4L * lookups.length + 4L * arpClaims.length + 8L * macs.length + 16 * 7;
        // vendor names are the OUI table's, DHCP fingerprints and vendor classes interned (AssetTracker), role and
        // OS names constants: shared, not counted per asset
        b += str(id) + str(ip) + str(userAgentHint) + str(sshSoftware);
        return b;
    }

    private static long strings(String[] a) {
        if (a.length == 0) return 0;
        long b = 16 + 4L * a.length;
        for (String s : a) b += str(s);
        return b;
    }

    private static long str(String s) {
        return s == null ? 0 : 40 + s.length();
    }

    static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return -1;
    }

    private static String[] add(String[] a, String s, int cap) {
        if (a.length >= cap) return a;
        String[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }
}
