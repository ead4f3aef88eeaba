package dev.vigie.assets;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * How the inventory is kept.
 *
 * @param internal     which addresses belong to the site (its assets); others are peers. Default: private ranges
 *                     (RFC 1918, CGNAT, link-local, ULA). Addresses announced by ARP are on the segment, hence
 *                     internal, whatever this says.
 * @param siteDefined  {@code internal} comes from a site file: authoritative, ARP does not extend it
 * @param maxAssets    hard cap on assets held; past it the asset seen least recently is evicted (counted)
 * @param scanWindow   window of capture time over which failed connection attempts are counted per asset
 * @param scanTargets  distinct (address, port) targets of failed attempts in one window that make a scanner
 * @param routerMacAddresses a MAC seen as the L2 address of more internal addresses than this, or of any external
 *                     one more than this, is a router's: its addresses become assets of their own
 */
public record AssetConfig(Predicate<String> internal, boolean siteDefined, int maxAssets, Duration scanWindow,
                          int scanTargets, int routerMacAddresses) {
    public static final int DEFAULT_MAX_ASSETS = 1_000_000;

    public static AssetConfig defaults() {
        return new AssetConfig(Addresses::isPrivate, false, DEFAULT_MAX_ASSETS, Duration.ofSeconds(60), 30, 8);
    }

    /** The site's own definition of its networks (a site file): authoritative, ARP does not extend it. */
    public AssetConfig withInternal(Predicate<String> p) {
        return new AssetConfig(p, true, maxAssets, scanWindow, scanTargets, routerMacAddresses);
    }

    public AssetConfig withMaxAssets(int n) {
        return new AssetConfig(internal, siteDefined, n, scanWindow, scanTargets, routerMacAddresses);
    }
}
