package dev.vigie.rules.lists;

import java.util.List;
import java.util.Map;

/**
 * The zone of an address on this site (docs/site-config.md): {@code internal}, {@code partner:<name>} (an allowed
 * outside party) or {@code external}. Explicit external blocks win over the others, so a documented "outside"
 * range inside an internal /16 is still outside; every address in no block is external. Rules see it through
 * {@code zone()}, {@code is_internal()}, {@code is_external()} and {@code is_partner()}; the sensor adds it to
 * every alert. Without a site file the internal blocks are RFC 1918, CGNAT, loopback, link-local and ULA.
 */
public final class SiteZones {
    public static final String INTERNAL = "internal";
    public static final String EXTERNAL = "external";
    public static final String PARTNER_PREFIX = "partner:";
    public static final List<String> DEFAULT_INTERNAL = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128");
    public static final SiteZones DEFAULT = new SiteZones(blocks(DEFAULT_INTERNAL), IpSet.EMPTY, Map.of());

    private final IpSet internal;
    private final IpSet external;
    private final String[] partnerZones;
    private final IpSet[] partners;

    public SiteZones(IpSet internal, IpSet external, Map<String, IpSet> partners) {
        this.internal = internal;
        this.external = external;
        String[] names = partners.keySet().toArray(new String[0]);
        this.partners = new IpSet[names.length];
        this.partnerZones = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            this.partners[i] = partners.get(names[i]);
            this.partnerZones[i] = PARTNER_PREFIX + names[i];
        }
    }

    public static IpSet blocks(List<String> entries) {
        IpSet.Builder b = new IpSet.Builder();
        entries.forEach(b::add);
        return b.build();
    }

    /** The zone of a parsed address (two longs, as {@link IpAddresses#parse}); the strings are constants. */
    public String zone(long hi, long lo) {
        if (external.contains(hi, lo)) return EXTERNAL;
        if (internal.contains(hi, lo)) return INTERNAL;
        for (int i = 0; i < partners.length; i++) {
            if (partners[i].contains(hi, lo)) return partnerZones[i];
        }
        return EXTERNAL;
    }

    /** The zone of an address, or null when it is not one. */
    public String zone(String address) {
        long[] a = new long[2];
        return address == null || !IpAddresses.parse(address, a) ? null : zone(a[0], a[1]);
    }

    /** Internal: in an internal block and in no external one. */
    public boolean isInternal(long hi, long lo) {
        return !external.contains(hi, lo) && internal.contains(hi, lo);
    }

    /** External: neither internal nor an allowed partner. */
    public boolean isExternal(long hi, long lo) {
        return zone(hi, lo) == EXTERNAL;
    }

    /** An allowed outside party (a partner block, not overridden by an external one). */
    public boolean isPartner(long hi, long lo) {
        String z = zone(hi, lo);
        return z != EXTERNAL && z != INTERNAL;
    }
}
