package dev.vigie.assets;

/** What the inventory saw and what it could not use; all counts since the tracker was created. */
public final class AssetCounters {
    public long flows;
    public long arpFrames;
    public long arpMalformed;
    public long arpNotIpv4;
    public long dhcpMessages;
    public long dhcpMalformed;
    public long nameMessages;
    public long nameMalformed;
    public long assetsCreated;
    public long assetsEvicted;
    public long namesLearned;
    public long pendingNamesDropped;
    public long addressConflicts;
    public long routersFound;

    @Override
    public String toString() {
        return "flows " + flows + ", arp " + arpFrames + " (malformed " + arpMalformed + ", not ethernet/ipv4 "
                + arpNotIpv4 + "), dhcp " + dhcpMessages + " (malformed " + dhcpMalformed + "), name messages "
                + nameMessages + " (malformed " + nameMalformed + "), assets " + assetsCreated + " (evicted "
                + assetsEvicted + "), names " + namesLearned + ", address conflicts " + addressConflicts
                + ", routers " + routersFound;
    }
}
