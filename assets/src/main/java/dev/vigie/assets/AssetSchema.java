package dev.vigie.assets;

import dev.vigie.schema.Column;
import dev.vigie.schema.Columns;
import dev.vigie.schema.TableSchema;
import java.util.List;

/** The columns of {@code assets.parquet}: one definition for the file, the docs and the reader. */
public final class AssetSchema {
    private AssetSchema() {}

    static String list(List<String> l) {
        return l.isEmpty() ? null : String.join(", ", l);
    }

    private static final long UNKNOWN = Long.MIN_VALUE;

    public static final TableSchema<AssetRecord> SCHEMA = new TableSchema<>("assets", List.<Column<AssetRecord>>of(
            Columns.utf8("asset_id", "id", "Stable identifier: the MAC (lower case, colon-separated) for an asset on the monitored segment, `ip:ADDRESS` for one seen without a usable MAC (no Ethernet, or behind a router).", AssetRecord::assetId),
            Columns.utf8("mac", "mac", "MAC address, null without one.", AssetRecord::mac),
            Columns.utf8("vendor", "name", "Organisation the MAC prefix is assigned to (IEEE registry shipped in the jar, source in docs/assets.md), `(locally administered)` for a MAC with the local bit (VMs, containers, randomised phones).", AssetRecord::vendor),
            Columns.utf8("ip", "address", "Address the asset used last.", AssetRecord::ip),
            Columns.utf8("ips", "list", "Every address seen for the asset, first seen first (at most 8), comma-separated.", r -> list(r.ips())),
            Columns.utf8("other_macs", "list", "For an address-keyed asset: other MACs that used the address (a conflict, a replaced NIC).", r -> list(r.otherMacs())),
            Columns.utf8("hostname", "name", "First host name learned (DHCP option 12/81, DNS PTR answer, mDNS, LLMNR, NetBIOS; or the CMDB).", AssetRecord::hostname),
            Columns.utf8("hostnames", "list", "Every name learned with its source in parentheses, e.g. `kali (dhcp)` (at most 6).", r -> list(r.hostnames())),
            new Column<>("first_seen", dev.vigie.schema.ArrowTypes.TIMESTAMP_US_UTC, "time", "First time the asset was seen (capture time, UTC); null for a CMDB row.", (v, row, r) -> timestamp(v, row, r.firstSeenNs())),
            new Column<>("last_seen", dev.vigie.schema.ArrowTypes.TIMESTAMP_US_UTC, "time", "Last time the asset was seen (capture time, UTC).", (v, row, r) -> timestamp(v, row, r.lastSeenNs())),
            Columns.utf8("os_family", "enum", "Operating-system guess: Linux, Windows, macOS/iOS, Android, BSD, network device, or null when no signal; docs/assets.md lists the signals.", AssetRecord::osFamily),
            Columns.utf8("os_detail", "name", "Finer guess when a signal gives it: `Debian family (isc-dhcp-client)`, `Kali Linux`, `Windows 10/11`.", AssetRecord::osDetail),
            Columns.float64("os_confidence", "ratio", "Confidence of the guess, 0 to 1: evidence for the family combined, less what contradicts it.", r -> r.osFamily() == null ? Double.NaN : r.osConfidence()),
            Columns.utf8("os_reasons", "text", "The signals behind the guess, `;`-separated.", AssetRecord::osReasons),
            Columns.utf8("device_class", "enum", "Role guess: biomedical, network device, server, workstation, unknown.", AssetRecord::deviceClass),
            Columns.utf8("role_reasons", "text", "Why that role, `;`-separated.", AssetRecord::roleReasons),
            Columns.utf8("services", "list", "Services the asset answered (TCP handshake completed, or a UDP reply), `tcp/2575 hl7` (at most 24).", r -> list(r.services())),
            Columns.utf8("protocols", "list", "Application protocols the asset spoke, as client or server (parsers' app_proto, else the well-known port's name).", r -> list(r.protocols())),
            Columns.utf8("hl7_types", "list", "HL7 v2 message types the asset sent (MSH-9), acknowledgements left out.", r -> list(r.hl7Types())),
            Columns.utf8("dicom_ae", "list", "DICOM AE titles the asset used (calling AE as requester, called AE as provider).", r -> list(r.dicomAes())),
            Columns.int32("peers", "count", "Peers: distinct IPv4 addresses (exact up to 32), plus flow records with an IPv6 peer or past the cap.", AssetRecord::peers),
            Columns.utf8("peer_list", "list", "IPv4 peers (at most 32).", r -> list(r.peerList())),
            Columns.bool("peer_list_complete", "flag", "True when peer_list holds every peer (the cap was not reached, no IPv6 peer).", AssetRecord::peerListComplete),
            Columns.int64("flows", "records", "Flow records involving the asset.", AssetRecord::flows),
            Columns.int64("flows_orig", "records", "Flow records the asset originated.", AssetRecord::flowsOrig),
            Columns.int64("flows_resp", "records", "Flow records the asset responded to.", AssetRecord::flowsResp),
            Columns.int64("bytes_out", "bytes", "Payload bytes the asset sent.", AssetRecord::bytesOut),
            Columns.int64("bytes_in", "bytes", "Payload bytes the asset received.", AssetRecord::bytesIn),
            Columns.bool("scanner", "flag", "The asset made failed connection attempts to 30 or more distinct address:port targets within 60 s.", AssetRecord::scanner),
            Columns.utf8("indicators", "list", "Offensive-tool indicators: offensive distribution host name, lookups of its repositories, raw-socket scanner SYNs, scanning.", r -> list(r.indicators())),
            Columns.utf8("dhcp_fingerprint", "list", "DHCP parameter request list (option 55) of the client's first message: a DHCP OS fingerprint.", AssetRecord::dhcpFingerprint),
            Columns.utf8("dhcp_vendor_class", "text", "DHCP vendor class identifier (option 60).", AssetRecord::dhcpVendorClass),
            Columns.int32OrNull("ttl_initial", "hops", "Initial TTL inferred from the asset's own packets (32, 64, 128 or 255): the most frequent.", AssetRecord::ttlInitial),
            Columns.utf8("syn_signature", "text", "First TCP SYN the asset sent: `window:mss:wscale:options` (`S` SACK-permitted, `T` timestamps), a p0f-like OS signal.", AssetRecord::synSignature),
            Columns.utf8("source", "enum", "`observed` (seen on the wire) or `cmdb` (declared in an imported inventory).", AssetRecord::source),
            Columns.utf8("status", "enum", "Against the reference inventory of the run: `new` (not in it), `changed`, `known`; null without a reference.", AssetRecord::status),
            Columns.utf8("changes", "list", "For a changed asset, what changed, `;`-separated (`role: workstation -> server (...)`, `services: +tcp/8080 http`, ...).", r -> r.changes().isEmpty() ? null : String.join("; ", r.changes()))));

    private static void timestamp(org.apache.arrow.vector.FieldVector v, int row, long ns) {
        var t = (org.apache.arrow.vector.TimeStampMicroTZVector) v;
        if (ns == UNKNOWN) t.setNull(row);
        else t.setSafe(row, Math.floorDiv(ns, 1000L));
    }
}
