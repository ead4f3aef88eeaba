package dev.vigie.assets;

import java.util.List;

/**
 * One asset as the inventory reports it (a row of {@code assets.parquet}, a row of a reference inventory).
 * Column meanings: docs/schema/assets.md ({@link AssetSchema}). Times are ns since the epoch (capture time);
 * {@code Long.MIN_VALUE} when unknown (a CMDB row). Lists are never null.
 */
public record AssetRecord(String assetId, String mac, String vendor, String ip, List<String> ips,
                          List<String> otherMacs, String hostname, List<String> hostnames, long firstSeenNs,
                          long lastSeenNs, String osFamily, String osDetail, double osConfidence, String osReasons,
                          String deviceClass, String roleReasons, List<String> services, List<String> protocols,
                          List<String> hl7Types, List<String> dicomAes, int peers, List<String> peerList,
                          boolean peerListComplete, long flows, long flowsOrig, long flowsResp, long bytesOut,
                          long bytesIn, boolean scanner, List<String> indicators, String dhcpFingerprint,
                          String dhcpVendorClass, int ttlInitial, String synSignature, String source,
                          String status, List<String> changes) {

    public static final String OBSERVED = "observed", CMDB = "cmdb";
    /** {@link #status} against a reference inventory. */
    public static final String NEW = "new", CHANGED = "changed", KNOWN = "known";

    public AssetRecord {
        ips = List.copyOf(ips);
        otherMacs = List.copyOf(otherMacs);
        hostnames = List.copyOf(hostnames);
        services = List.copyOf(services);
        protocols = List.copyOf(protocols);
        hl7Types = List.copyOf(hl7Types);
        dicomAes = List.copyOf(dicomAes);
        peerList = List.copyOf(peerList);
        indicators = List.copyOf(indicators);
        changes = List.copyOf(changes);
    }

    /** This record compared with a reference: its status and what changed. */
    public AssetRecord withStatus(String newStatus, List<String> newChanges) {
        return new AssetRecord(assetId, mac, vendor, ip, ips, otherMacs, hostname, hostnames, firstSeenNs, lastSeenNs,
                osFamily, osDetail, osConfidence, osReasons, deviceClass, roleReasons, services, protocols, hl7Types,
                dicomAes, peers, peerList, peerListComplete, flows, flowsOrig, flowsResp, bytesOut, bytesIn, scanner,
                indicators, dhcpFingerprint, dhcpVendorClass, ttlInitial, synSignature, source, newStatus, newChanges);
    }

    /** The key two inventories are matched on: the MAC when there is one, else the address. */
    public String matchKey() {
        return mac != null ? mac : ip;
    }

    /** A row from a CMDB: what it declares, nothing observed. */
    public static AssetRecord declared(String mac, String ip, String hostname, String vendor, String deviceClass,
                                       String osFamily, List<String> services) {
        String id = mac != null ? mac : "ip:" + ip;
        return new AssetRecord(id, mac, vendor, ip, ip == null ? List.of() : List.of(ip), List.of(), hostname,
                hostname == null ? List.of() : List.of(hostname + " (cmdb)"), Long.MIN_VALUE, Long.MIN_VALUE,
                osFamily, null, osFamily == null ? 0 : 1.0, osFamily == null ? null : "declared in the CMDB",
                deviceClass, deviceClass == null ? null : "declared in the CMDB", services, List.of(), List.of(),
                List.of(), 0, List.of(), false, 0, 0, 0, 0, 0, false, List.of(), null, null, -1, null, CMDB, null, List.of());
    }
}
