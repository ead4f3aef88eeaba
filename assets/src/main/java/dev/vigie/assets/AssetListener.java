package dev.vigie.assets;

/**
 * Events of the inventory as it learns, for detections (called on the tracker's thread, in capture-time order).
 * Assets are passed as immutable {@link AssetRecord} snapshots; events are rare (a new asset, a new name, a
 * conflict), never per packet.
 */
public interface AssetListener {
    /** Capture time advanced to {@code ns} (every flow record and every frame the inventory reads). */
    default void advance(long ns) {}

    default void newAsset(AssetRecord asset, long ns) {}

    default void nameLearned(AssetRecord asset, String name, String source, long ns) {}

    /**
     * A DNS query name the asset looked up (each distinct name once per asset). Only the id: names are many, and
     * a record is built ({@code AssetTracker#record}) only for the few that matter.
     */
    default void lookup(String assetId, String query, long ns, long flowId, String server) {}

    /**
     * Whether {@link #novelty} events of this asset are wanted: a record is built for each, so the tracker asks
     * first (peers and protocols are new many times over in an asset's first hour).
     */
    default boolean watches(String assetId) {
        return false;
    }

    /** Whether {@link #guessChanged} events of this asset are wanted (each needs the OS and role guessed again). */
    default boolean tracksGuesses(String assetId) {
        return false;
    }

    /** {@code ip} is now claimed by {@code mac} while {@code otherMac} held it. */
    default void addressConflict(String ip, long mac, long otherMac, boolean arp, long ns) {}

    /** One MAC claimed several addresses by ARP within 5 minutes (no DHCP lease in between). */
    default void multipleClaims(AssetRecord asset, java.util.List<String> addresses, long ns) {}

    default void gratuitousArpStorm(AssetRecord asset, int count, long windowNs, long ns) {}

    /** The asset crossed the scan threshold (first time in this run). */
    default void scanning(AssetRecord asset, int targets, long ns, long flowId) {}

    /** A SYN with the signature of a raw-socket scanner (nmap -sS: window 1024-4096, MSS only, no other option). */
    default void scannerProbe(AssetRecord asset, long ns, long flowId, String signature) {}

    /** Role or OS guess changed since the asset's last event. */
    default void guessChanged(AssetRecord asset, long ns) {}

    /** A peer, protocol or answered service new for this asset in this run. */
    default void novelty(AssetRecord asset, String kind, String value, long ns, long flowId, String peer) {}

    AssetListener NONE = new AssetListener() { };
}
