package dev.vigie.assets;

import dev.vigie.alerts.Alert;
import dev.vigie.alerts.AlertSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Shadow-IT and link-layer detections over the inventory's events, against a reference inventory: new assets,
 * offensive distributions (host names, repository lookups, raw scanner SYNs, scanning from a host that never
 * scanned), address conflicts and ARP spoofing, gratuitous-ARP storms, role and OS changes, and biomedical
 * devices leaving their baseline. Alerts use the common EVE layout (docs/schema/alerts.md), sids 9200001-9200014;
 * each fires at most once per asset (and key) per run. Definitions: docs/assets.md.
 */
public final class AssetDetector implements AssetListener {
    /** What fires, with its EVE identity. */
    public enum Kind {
        NEW_ASSET(9200001, "vigie.asset.new", "New asset not in the reference inventory", "Shadow IT", 2, "TA0001", "Initial Access", "T1200", "Hardware Additions"),
        OFFENSIVE_HOSTNAME(9200002, "vigie.asset.offensive_hostname", "Host name of an offensive-security distribution", "Shadow IT", 1, "TA0001", "Initial Access", "T1200", "Hardware Additions"),
        OFFENSIVE_REPO(9200003, "vigie.asset.offensive_repo_lookup", "Lookup of an offensive-security distribution's repositories", "Shadow IT", 1, "TA0042", "Resource Development", "T1588.002", "Obtain Capabilities: Tool"),
        NEW_SCANNER(9200004, "vigie.asset.new_scanner", "Scanning from a host that never scanned", "Network Scan", 2, "TA0007", "Discovery", "T1046", "Network Service Discovery"),
        SCANNER_PROBE(9200005, "vigie.asset.scanner_probe", "Raw-socket scanner SYN signature (nmap-like)", "Network Scan", 2, "TA0007", "Discovery", "T1046", "Network Service Discovery"),
        ADDRESS_CONFLICT(9200006, "vigie.asset.address_conflict", "Address claimed by two MACs", "Link Anomaly", 2, "TA0006", "Credential Access", "T1557.002", "ARP Cache Poisoning"),
        ARP_SPOOF(9200007, "vigie.asset.arp_spoof", "ARP claim of an address owned by another MAC in the reference", "Link Anomaly", 1, "TA0006", "Credential Access", "T1557.002", "ARP Cache Poisoning"),
        GARP_STORM(9200008, "vigie.asset.garp_storm", "Gratuitous ARP storm", "Link Anomaly", 3, "TA0006", "Credential Access", "T1557.002", "ARP Cache Poisoning"),
        ROLE_CHANGE(9200009, "vigie.asset.role_change", "Known asset answering a service its role never did", "Asset Change", 2, null, null, null, null),
        OS_CHANGE(9200010, "vigie.asset.os_change", "Known asset with another operating system", "Asset Change", 2, null, null, null, null),
        BIOMED_PROTOCOL(9200011, "vigie.asset.biomedical_new_protocol", "Biomedical device speaking a protocol outside its baseline", "Biomedical", 2, null, null, null, null),
        BIOMED_PEER(9200012, "vigie.asset.biomedical_new_peer", "Biomedical device talking to a peer outside its baseline", "Biomedical", 3, null, null, null, null),
        MULTI_CLAIM(9200013, "vigie.asset.arp_multi_claim", "One MAC claiming several addresses by ARP", "Link Anomaly", 2, "TA0006", "Credential Access", "T1557.002", "ARP Cache Poisoning"),
        BIOMED_VOLUME(9200014, "vigie.asset.biomedical_volume", "Biomedical device sending far above its baseline volume", "Biomedical", 2, "TA0010", "Exfiltration", "T1048", "Exfiltration Over Alternative Protocol");

        public final int sid;
        public final String id, signature, category;
        public final int severity;
        final String tacticId, tacticName, techniqueId, techniqueName;

        Kind(int sid, String id, String signature, String category, int severity, String tacticId, String tacticName,
             String techniqueId, String techniqueName) {
            this.sid = sid;
            this.id = id;
            this.signature = signature;
            this.category = category;
            this.severity = severity;
            this.tacticId = tacticId;
            this.tacticName = tacticName;
            this.techniqueId = techniqueId;
            this.techniqueName = techniqueName;
        }
    }

    private static final Pattern OFFENSIVE_NAME = Pattern.compile("(?:^|\\.)(kali|parrot|blackarch|pentoo|backbox|commando|athena-os)(?:[-_0-9].*)?(?:\\.|$)");
    private static final List<String> OFFENSIVE_DOMAINS = List.of("kali.org", "kali.download", "offsec.com",
            "offensive-security.com", "parrot.sh", "parrotsec.org", "blackarch.org", "pentoo.ch", "pentoo.org",
            "backbox.org", "athenaos.org");
    /** Settle time before a new asset's alert: the DHCP name and the first flows arrive within it. */
    static final long SETTLE_NS = 5_000_000_000L;
    private static final int MAX_FIRED = 100_000;

    private Inventory reference;
    private final AlertSink sink;
    private final long graceNs;
    private AssetTracker tracker;
    private long startNs = Long.MIN_VALUE;
    private final LinkedHashMap<String, Long> pendingNew = new LinkedHashMap<>();
    private final LinkedHashMap<String, Object[]> pendingNames = new LinkedHashMap<>();
    private final Set<String> fired = new HashSet<>();
    private final Set<String> learned = new HashSet<>();
    private final Map<Kind, Long> counts = new LinkedHashMap<>();

    /**
     * @param reference the reference inventory, or null: then only the detections that need none run (offensive
     *                  indicators, conflicts, storms, scanner SYNs)
     * @param grace     assets first seen within this time of the first packet join the reference silently (the
     *                  inventory's learning period); zero: every unknown asset is new
     */
    public AssetDetector(Inventory reference, Duration grace, AlertSink sink) {
        this.reference = reference;
        this.graceNs = grace.toNanos();
        this.sink = sink;
    }

    /** Connects the tracker whose events this detector gets (it reads full records of pending new assets). */
    public AssetDetector attach(AssetTracker t) {
        this.tracker = t;
        t.listener(this);
        return this;
    }

    /** Replaces the reference (a new bundle's); assets already reported are not reported again. */
    public void reference(Inventory newReference) {
        this.reference = newReference;
    }

    /** The reference in use, or null. */
    public Inventory reference() {
        return reference;
    }

    public Map<Kind, Long> counts() {
        return counts;
    }

    @Override
    public void advance(long ns) {
        if (startNs == Long.MIN_VALUE) startNs = ns;
        if (lastVolumeCheck == Long.MIN_VALUE || ns - lastVolumeCheck >= VOLUME_CHECK_NS) {
            lastVolumeCheck = ns;
            checkVolumes(ns);
        }
        if (!pendingNames.isEmpty()) flushNames(ns, false);
        if (pendingNew.isEmpty()) return;
        var it = pendingNew.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (ns - e.getValue() < SETTLE_NS) break; // insertion order = first-seen order
            it.remove();
            fireNew(e.getKey());
        }
    }

    static final long VOLUME_CHECK_NS = 10_000_000_000L, VOLUME_MIN_NS = 60_000_000_000L;
    static final double VOLUME_FACTOR = 10;
    static final long VOLUME_SLACK_BYTES = 1 << 20;
    private long lastVolumeCheck = Long.MIN_VALUE;

    /**
     * Biomedical devices of the reference: bytes sent since the start against the baseline's rate (bytes_out over
     * its first..last seen, at least one minute), after a minute of this run. Fires when the device sent more than
     * ten times its usual rate and 1 MiB above it: a monitor that starts uploading is news, its jitter is not.
     */
    private void checkVolumes(long ns) {
        if (reference == null || tracker == null || ns - startNs < VOLUME_MIN_NS) return;
        for (AssetRecord ref : reference.records()) {
            if (!"biomedical".equals(ref.deviceClass()) || ref.firstSeenNs() == Long.MIN_VALUE) continue;
            String id = ref.mac() != null ? ref.mac() : "ip:" + ref.ip();
            if (fired.contains(Kind.BIOMED_VOLUME.id + "|" + id)) continue;
            AssetRecord cur = tracker.record(id);
            if (cur == null) continue;
            double refSeconds = Math.max(60, (ref.lastSeenNs() - ref.firstSeenNs()) / 1e9);
            double elapsed = (ns - Math.max(startNs, cur.firstSeenNs())) / 1e9;
            if (elapsed < 60) continue;
            double expected = ref.bytesOut() / refSeconds * elapsed;
            if (cur.bytesOut() > VOLUME_FACTOR * expected && cur.bytesOut() - expected > VOLUME_SLACK_BYTES) {
                Map<String, Object> ev = base(cur);
                ev.put("bytes_out", cur.bytesOut());
                ev.put("expected_bytes", Math.round(expected));
                ev.put("baseline_bytes_per_s", Math.round(ref.bytesOut() / refSeconds * 10) / 10.0);
                ev.put("seconds", Math.round(elapsed));
                fire(Kind.BIOMED_VOLUME, cur, ns, 0, null, 0, "", ev);
            }
        }
    }

    /** End of input: new assets still settling are reported now. */
    public void flush() {
        if (!pendingNames.isEmpty()) flushNames(Long.MAX_VALUE, true);
        for (String id : new ArrayList<>(pendingNew.keySet())) fireNew(id);
        pendingNew.clear();
    }

    @Override
    public void newAsset(AssetRecord a, long ns) {
        if (reference == null || reference.find(a) != null) return;
        if (startNs == Long.MIN_VALUE) startNs = ns;
        if (ns - startNs < graceNs) {
            if (learned.size() < MAX_FIRED) learned.add(a.assetId());
            return;
        }
        pendingNew.put(a.assetId(), ns);
    }

    private void fireNew(String id) {
        AssetRecord a = tracker == null ? null : tracker.record(id);
        if (a == null) return;
        Map<String, Object> ev = base(a);
        ev.put("first_seen", dev.vigie.alerts.EveJson.timestamp(a.firstSeenNs()));
        ev.put("reference", reference.describe());
        fire(Kind.NEW_ASSET, a, a.firstSeenNs(), 0, null, 0, "", ev);
    }

    @Override
    public void nameLearned(AssetRecord a, String name, String source, long ns) {
        if (OFFENSIVE_NAME.matcher(name.toLowerCase(Locale.ROOT)).find()) {
            if (tracker != null) tracker.indicator(a.assetId(), "offensive distribution host name " + name);
            // a DHCP DISCOVER names the machine before it has an address: wait for the lease (or the settle time)
            if (a.ip() == null && tracker != null) pendingNames.put(a.assetId(), new Object[]{name, source, ns});
            else fireHostname(a, name, source, ns);
        }
    }

    private void fireHostname(AssetRecord a, String name, String source, long ns) {
        Map<String, Object> ev = base(a);
        ev.put("name", name);
        ev.put("name_source", source);
        fire(Kind.OFFENSIVE_HOSTNAME, a, ns, 0, null, 0, "", ev);
    }

    private void flushNames(long now, boolean all) {
        var it = pendingNames.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            Object[] p = e.getValue();
            AssetRecord a = tracker.record(e.getKey());
            if (a == null) {
                it.remove();
                continue;
            }
            if (all || a.ip() != null || now - (long) p[2] >= SETTLE_NS) {
                it.remove();
                fireHostname(a, (String) p[0], (String) p[1], (long) p[2]);
            }
        }
    }

    @Override
    public void lookup(String assetId, String query, long ns, long flowId, String server) {
        String q = query.toLowerCase(Locale.ROOT);
        if (q.endsWith(".")) q = q.substring(0, q.length() - 1);
        for (String d : OFFENSIVE_DOMAINS) {
            if (q.equals(d) || q.endsWith("." + d)) {
                if (tracker == null) return;
                tracker.indicator(assetId, "lookup of " + d + " repositories");
                AssetRecord a = tracker.record(assetId);
                if (a == null) return;
                Map<String, Object> ev = base(a);
                ev.put("query", q);
                ev.put("domain", d);
                fire(Kind.OFFENSIVE_REPO, a, ns, flowId, "udp", 53, server, ev);
                return;
            }
        }
    }

    @Override
    public void scanning(AssetRecord a, int targets, long ns, long flowId) {
        AssetRecord ref = reference == null ? null : reference.find(a);
        if (ref != null && ref.scanner()) return; // a known scanner (vulnerability scanner, monitoring)
        Map<String, Object> ev = base(a);
        ev.put("targets", targets);
        ev.put("window_s", 60);
        ev.put("reference", ref == null ? (reference == null ? "none" : "asset not in the reference") : "never scanned");
        fire(Kind.NEW_SCANNER, a, ns, flowId, "tcp", 0, "", ev);
    }

    @Override
    public void scannerProbe(AssetRecord a, long ns, long flowId, String signature) {
        Map<String, Object> ev = base(a);
        ev.put("syn_signature", signature);
        fire(Kind.SCANNER_PROBE, a, ns, flowId, "tcp", 0, "", ev);
    }

    @Override
    public void addressConflict(String ip, long mac, long otherMac, boolean arp, long ns) {
        String m = dev.vigie.features.IpText.mac(mac), o = dev.vigie.features.IpText.mac(otherMac);
        AssetRecord owner = reference == null ? null : reference.byIp(ip);
        boolean spoof = arp && owner != null && owner.mac() != null && !owner.mac().equals(m);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("kind", "asset");
        ev.put("address", ip);
        ev.put("claimed_by", m);
        ev.put("held_by", o);
        ev.put("via", arp ? "arp" : "ip traffic");
        if (owner != null) ev.put("reference_owner", owner.mac());
        if (mac >>> 8 == otherMac >>> 8) ev.put("note", "both MACs differ only in the last byte: likely two ports of one host (NIC teaming)");
        Kind k = spoof ? Kind.ARP_SPOOF : Kind.ADDRESS_CONFLICT;
        String pair = m.compareTo(o) < 0 ? m + "|" + o : o + "|" + m;
        emit(k, ip + "|" + pair, ns, 0, ip, 0, arp ? "arp" : null, "", 0, ev);
    }

    @Override
    public void multipleClaims(AssetRecord a, List<String> addresses, long ns) {
        Map<String, Object> ev = base(a);
        ev.put("claimed", addresses);
        ev.put("window_s", AssetTracker.CONFLICT_WINDOW_NS / 1_000_000_000L);
        if (reference != null) {
            List<String> others = new ArrayList<>();
            for (String ip : addresses) {
                AssetRecord owner = reference.byIp(ip);
                if (owner != null && owner.mac() != null && !owner.mac().equals(a.mac())) others.add(ip + " (" + owner.mac() + ")");
            }
            if (!others.isEmpty()) ev.put("owned_by_others_in_reference", others);
        }
        fire(Kind.MULTI_CLAIM, a, ns, 0, "arp", 0, "", ev);
    }

    @Override
    public void gratuitousArpStorm(AssetRecord a, int count, long windowNs, long ns) {
        Map<String, Object> ev = base(a);
        ev.put("gratuitous_arps", count);
        ev.put("window_s", windowNs / 1_000_000_000L);
        fire(Kind.GARP_STORM, a, ns, 0, "arp", 0, "", ev);
    }

    @Override
    public void guessChanged(AssetRecord a, long ns) {
        if (reference == null) return;
        AssetRecord ref = reference.find(a);
        if (ref == null || ref.osFamily() == null || a.osFamily() == null) return;
        if (!ref.osFamily().equals(a.osFamily()) && a.osConfidence() >= 0.5 && ref.osConfidence() >= 0.5) {
            Map<String, Object> ev = base(a);
            ev.put("reference_os", ref.osFamily());
            ev.put("os_reasons", a.osReasons());
            fire(Kind.OS_CHANGE, a, ns, 0, null, 0, "", ev);
        }
    }

    /** Novelties matter for assets whose reference row is a workstation or a biomedical device. */
    @Override
    public boolean watches(String assetId) {
        if (reference == null) return false;
        AssetRecord ref = reference.byId(assetId);
        return ref != null && ("workstation".equals(ref.deviceClass()) || "biomedical".equals(ref.deviceClass()));
    }

    @Override
    public boolean tracksGuesses(String assetId) {
        return reference != null && reference.byId(assetId) != null;
    }

    @Override
    public void novelty(AssetRecord a, String kind, String value, long ns, long flowId, String peer) {
        if (reference == null) return;
        AssetRecord ref = reference.find(a);
        if (ref == null) return;
        String role = ref.deviceClass();
        if (kind.equals("service") && ("workstation".equals(role) || "biomedical".equals(role)) && !ephemeral(value)
                && !ref.services().contains(value) && ref.source().equals(AssetRecord.OBSERVED)) {
            Map<String, Object> ev = base(a);
            ev.put("service", value);
            ev.put("client", peer);
            ev.put("reference_role", role);
            ev.put("reference_services", ref.services());
            emit(Kind.ROLE_CHANGE, a.assetId() + "|" + value, ns, flowId, a.ip(), 0, value.startsWith("udp") ? "udp" : "tcp", peer, 0, ev);
        }
        if (!"biomedical".equals(role)) return;
        if (kind.equals("protocol") && !ref.protocols().contains(value)) {
            Map<String, Object> ev = base(a);
            ev.put("protocol", value);
            ev.put("peer", peer);
            ev.put("baseline_protocols", ref.protocols());
            emit(Kind.BIOMED_PROTOCOL, a.assetId() + "|" + value, ns, flowId, a.ip(), 0, null, peer, 0, ev);
        } else if (kind.equals("peer") && ref.peerListComplete() && !ref.peerList().contains(value)) {
            Map<String, Object> ev = base(a);
            ev.put("peer", value);
            ev.put("baseline_peers", ref.peerList());
            emit(Kind.BIOMED_PEER, a.assetId() + "|" + value, ns, flowId, a.ip(), 0, null, peer, 0, ev);
        }
    }

    /** "tcp/53263": a port in the ephemeral ranges (Linux from 32768, Windows from 49152) is a client's, not a service. */
    private static boolean ephemeral(String service) {
        int slash = service.indexOf('/'), space = service.indexOf(' ');
        try {
            int port = Integer.parseInt(service.substring(slash + 1, space < 0 ? service.length() : space));
            return port >= 32768;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Map<String, Object> base(AssetRecord a) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("kind", "asset");
        ev.put("asset_id", a.assetId());
        if (a.mac() != null) ev.put("mac", a.mac());
        if (a.vendor() != null) ev.put("vendor", a.vendor());
        if (a.ip() != null) ev.put("ip", a.ip());
        if (a.hostname() != null) ev.put("hostname", a.hostname());
        if (a.osFamily() != null) ev.put("os", a.osDetail() != null ? a.osDetail() : a.osFamily());
        if (a.deviceClass() != null) ev.put("device_class", a.deviceClass());
        if (!a.indicators().isEmpty()) ev.put("indicators", new ArrayList<>(new LinkedHashSet<>(a.indicators())));
        return ev;
    }

    private void fire(Kind k, AssetRecord a, long ns, long flowId, String proto, int destPort, String dest,
                      Map<String, Object> ev) {
        emit(k, a.assetId(), ns, flowId, a.ip() == null ? "" : a.ip(), 0, proto, dest == null ? "" : dest, destPort, ev);
    }

    private void emit(Kind k, String key, long ns, long flowId, String src, int srcPort, String proto, String dest,
                      int destPort, Map<String, Object> ev) {
        if (fired.size() >= MAX_FIRED || !fired.add(k.id + "|" + key)) return;
        counts.merge(k, 1L, Long::sum);
        List<String> tags = List.of("assets");
        String community = tracker == null ? null : tracker.communityId(flowId);
        sink.accept(new Alert(ns, flowId, community, src == null ? "" : src, srcPort, dest == null ? "" : dest, destPort,
                proto, null, k.sid, 1, k.signature, k.category, k.severity, opt(k.tacticId), opt(k.tacticName),
                opt(k.techniqueId), opt(k.techniqueName), tags, k.id, ev));
    }

    private static List<String> opt(String s) {
        return s == null ? List.of() : List.of(s);
    }
}
