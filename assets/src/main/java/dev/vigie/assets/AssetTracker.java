package dev.vigie.assets;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodeResult;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.extract.PacketTap;
import dev.vigie.features.FlowRow;
import dev.vigie.features.IpText;
import dev.vigie.flow.EndReason;
import dev.vigie.flow.DirectionStats;
import dev.vigie.flow.Flow;
import dev.vigie.flow.FlowSink;
import dev.vigie.rules.FlowValues;
import dev.vigie.schema.TableSchema;
import dev.vigie.util.LongMap;
import dev.vigie.util.LongSet;
import dev.vigie.util.SampledTimer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The passive inventory: where a frame or a flow record becomes what we know of an asset. It reads the link
 * itself as a {@link PacketTap} (ARP bindings, DHCP, name announcements: {@link LinkSniffer}) and every flow
 * record as a {@link FlowSink} (who talks to whom, what it answers, TTL and SYN signals, application metadata),
 * and tells an {@link AssetListener} what changed. Single-threaded (the packet loop's thread); bounded: at most
 * {@link AssetConfig#maxAssets} assets, least recently seen evicted first, every per-asset list capped.
 */
public final class AssetTracker implements PacketTap, FlowSink, AutoCloseable {
    static final long CONFLICT_WINDOW_NS = 300_000_000_000L;
    private static final int MAX_PENDING_NAMES = 4096;

    private final AssetConfig config;
    private final OuiTable oui;
    private final AssetCounters counters = new AssetCounters();
    private final LinkSniffer link = new LinkSniffer(this);
    private AssetListener listener = AssetListener.NONE;

    /** Every asset, least recently seen first (access order), capped. */
    private final LinkedHashMap<String, Asset> all;
    private final LongMap<Asset> byMac = new LongMap<>();   // primitive keys: no Long boxed per lookup
    private final HashMap<String, Asset> byAddress = new HashMap<>();   // current holder of each address
    // the address-only assets of IPv4 addresses by address, so that a flow of a known one builds no text
    private final LongMap<Asset> v4Assets = new LongMap<>();
    private final LongSet routerMacs = new LongSet();
    private final LongSet onSegment = new LongSet();                    // IPv4 addresses announced by ARP
    private final LinkedHashMap<String, String[]> pendingNames = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String[]> e) {
            if (size() > MAX_PENDING_NAMES) {
                counters.pendingNamesDropped++;
                return true;
            }
            return false;
        }
    };

    private final FlowValues values;
    private final int cAppProto, cDnsQuery, cUserAgent, cSshClient, cSshServer, cHl7Types, cCallingAe, cCalledAe,
            cCommunity;
    private long currentFlowId = Long.MIN_VALUE;
    private long nowNs = Long.MIN_VALUE;

    public AssetTracker(AssetConfig config, TableSchema<FlowRow> schema, BufferAllocator allocator) {
        this.config = config;
        this.oui = OuiTable.standard();
        int cap = config.maxAssets();
        this.all = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Asset> e) {
                if (size() <= cap) return false;
                forget(e.getValue());
                counters.assetsEvicted++;
                return true;
            }
        };
        List<String> wanted = new ArrayList<>(List.of("community_id"));
        for (String optional : List.of("app_proto", "dns_query", "http_user_agent", "ssh_client", "ssh_server",
                "hl7_message_types", "dicom_calling_ae", "dicom_called_ae")) {
            if (schema.columns().stream().anyMatch(c -> c.name().equals(optional))) wanted.add(optional);
        }
        this.values = new FlowValues(schema, allocator, wanted);
        cCommunity = values.indexOf("community_id");
        cAppProto = values.indexOf("app_proto");
        cDnsQuery = values.indexOf("dns_query");
        cUserAgent = values.indexOf("http_user_agent");
        cSshClient = values.indexOf("ssh_client");
        cSshServer = values.indexOf("ssh_server");
        cHl7Types = values.indexOf("hl7_message_types");
        cCallingAe = values.indexOf("dicom_calling_ae");
        cCalledAe = values.indexOf("dicom_called_ae");
    }

    public AssetTracker listener(AssetListener l) {
        this.listener = l == null ? AssetListener.NONE : l;
        return this;
    }

    public AssetCounters counters() {
        return counters;
    }

    public int size() {
        return all.size();
    }

    /** Heap held by the assets, from their own accounting, plus the indexes (about 100 bytes per entry). */
    public long estimatedBytes() {
        long b = 0;
        for (Asset a : all.values()) b += a.estimatedBytes();
        return b + 100L * (all.size() + byMac.size() + byAddress.size() + onSegment.size() + pendingNames.size());
    }

    // ------------------------------------------------------------------------------------------------ frames

    @Override
    public void onFrame(DecodeResult result, DecodedPacket p, CapturedPacket frame) {
        if (result == DecodeResult.ARP) {
            long t0 = System.nanoTime();
            advance(frame.timestampNanos);
            link.arp(p, frame);
            busyNanos += System.nanoTime() - t0;
        } else if (result == DecodeResult.IP && p.protocol == DecodedPacket.PROTO_UDP && p.hasTransport
                && LinkSniffer.interesting(p.srcPort, p.dstPort)) {
            long t0 = System.nanoTime();
            advance(frame.timestampNanos);
            link.udp(p, frame);
            busyNanos += System.nanoTime() - t0;
        }
    }

    private void advance(long ns) {
        if (ns > nowNs) {
            nowNs = ns;
            listener.advance(ns);
        }
    }

    // --- called by LinkSniffer

    void arpBinding(int ipv4, long mac, boolean gratuitous, long ns) {
        // a site file is authoritative: an address it puts outside is a peer even when it answers ARP here
        if (ipv4 != 0 && config.siteDefined() && !config.internal().test(Addresses.ipv4Text(ipv4))) return;
        Asset a = macAsset(mac, ns);
        if (ipv4 != 0) {
            if (onSegment.size() < config.maxAssets()) onSegment.add(ipv4);
            bind(a, Addresses.ipv4Text(ipv4), ns, true);
            if (a.arpClaim(ipv4, ns, CONFLICT_WINDOW_NS) == 2) {
                List<String> claimed = new ArrayList<>();
                for (int c : a.arpClaims) claimed.add(Addresses.ipv4Text(c));
                listener.multipleClaims(record(a), claimed, ns);
            }
        }
        if (gratuitous) {
            a.gratuitousArps++;
            long window = 10_000_000_000L;
            if (a.garpWindowStart == Long.MIN_VALUE || ns - a.garpWindowStart > window) {
                a.garpWindowStart = ns;
                a.garpInWindow = 0;
            }
            if (++a.garpInWindow == 20) listener.gratuitousArpStorm(record(a), a.garpInWindow, window, ns);
        }
        refresh(a, ns);
    }

    /** A DHCP client message: its MAC (chaddr) becomes an asset with what the message says about it. */
    void dhcpClient(long mac, int ciaddr, String hostname, String params, String vendorClass, long ns) {
        Asset a = macAsset(mac, ns);
        if (params != null && a.dhcpParams == null) {
            a.dhcpParams = intern(params);
            a.dirty = true;
        }
        if (vendorClass != null && a.dhcpVendor == null) {
            a.dhcpVendor = intern(vendorClass);
            a.dirty = true;
        }
        if (ciaddr != 0) bind(a, Addresses.ipv4Text(ciaddr), ns, false);
        if (hostname != null) name(a, hostname, "dhcp", ns);
        refresh(a, ns);
    }

    /** Fingerprints and vendor classes repeat across a site's machines: one copy each (bounded pool). */
    private String intern(String s) {
        String known = pool.get(s);
        if (known != null) return known;
        if (pool.size() < 10_000) pool.put(s, s);
        return s;
    }

    private final HashMap<String, String> pool = new HashMap<>();

    /** A DHCP ACK: the server leased {@code yiaddr} to {@code mac}. */
    void dhcpLease(long mac, int yiaddr, long ns) {
        Asset a = macAsset(mac, ns);
        a.arpClaims = Asset.NO_INTS; // a new lease: the next ARP announcement of another address is expected
        if (yiaddr != 0) bind(a, Addresses.ipv4Text(yiaddr), ns, false);
        refresh(a, ns);
    }

    /** A name for an address (DNS PTR answer, mDNS/LLMNR answer, NetBIOS registration). */
    void addressName(String address, String name, String source, long ns) {
        if (name == null) return;
        Asset a = byAddress.get(address);
        if (a == null) {
            if (config.internal().test(address)) pendingNames.put(address, new String[]{name, source});
            return;
        }
        name(a, name, source, ns);
        refresh(a, ns);
    }

    // ------------------------------------------------------------------------------------------------ flows

    @Override
    public void flowEnded(Flow flow, EndReason reason) {
        long t0 = flowTimer.start();
        try {
            onFlow(flow, reason);
        } finally {
            flowTimer.stop(t0);
        }
    }

    /** Time spent on flow records (an estimate: SampledTimer) and link frames, for the cost report (ns). */
    public long busyNanos() {
        return busyNanos + flowTimer.estimatedNanos();
    }

    private long busyNanos;   // link frames: few, each timed
    private final SampledTimer flowTimer = new SampledTimer();

    private void onFlow(Flow flow, EndReason reason) {
        counters.flows++;
        long start = flow.startNs(), end = flow.lastNs();
        advance(end);
        // identity, counts and TCP signals come from the flow itself; only the protocol columns are read through
        // the schema (FlowValues fills a column when it is read, so each is read only when its protocol is there)
        values.set(flow, reason);
        currentFlowId = flow.flowId();
        DirectionStats os = flow.orig(), rs = flow.resp();
        boolean responded = rs.packets() > 0;
        Asset o = endpoint(flow.ipVersion(), flow.origHi(), flow.origLo(), flow.origMac(), start, end);
        // a responder that never answered (a scan of an empty address) is no evidence of a machine
        Asset r = responded ? endpoint(flow.ipVersion(), flow.respHi(), flow.respLo(), flow.respMac(), start, end) : null;
        if (o == null && r == null) return;
        String origIp = o != null ? o.ipOf(flow.ipVersion(), flow.origHi(), flow.origLo())
                : IpText.format(flow.ipVersion(), flow.origHi(), flow.origLo());
        String respIp = r != null ? r.ipOf(flow.ipVersion(), flow.respHi(), flow.respLo())
                : IpText.format(flow.ipVersion(), flow.respHi(), flow.respLo());
        int proto = flow.protocol();
        String app = cAppProto < 0 ? null : values.text(cAppProto);
        String protocol = Services.protocol(app, proto, flow.respPort());
        long origBytes = os.payloadBytes(), respBytes = rs.payloadBytes();
        long id = flow.flowId();
        if (o != null) {
            o.flowsOrig++;
            o.bytesOut += origBytes;
            o.bytesIn += respBytes;
            // ICMPv6 neighbour discovery and link-local multicast (mDNS, LLMNR) send with TTL 255 or 1 by rule:
            // they say nothing about the stack's default
            boolean ttlSignal = proto != 58 && r != null || proto != 58 && isUnicast(flow.ipVersion(), flow.respHi(), flow.respLo());
            if (ttlSignal && !routerMacs.contains(flow.origMac())) ttl(o, os.ttlFirst());
            if (protocol != null) protocol(o, protocol, true, end, id, respIp);
            peer(o, flow.ipVersion(), flow.respLo(), respIp, end, id);
            if (proto == 6 && os.synCount() > 0) syn(o, os, origBytes, end, id);
            if (failedAttempt(proto, flow, origBytes, rs.packets())) {
                int n = o.scanAttempt(start, respIp.hashCode() * 31 + flow.respPort(), config.scanWindow().toNanos());
                if (n >= config.scanTargets() && !o.scanner) {
                    o.scanner = true;
                    o.indicator("scanning: failed connections to " + n + " targets in " + config.scanWindow().toSeconds() + " s");
                    listener.scanning(record(o), n, end, id);
                }
            }
            if ("dns".equals(app) && cDnsQuery >= 0) {
                String q = values.text(cDnsQuery);
                if (q != null) lookup(o, q, end, id, respIp);
            }
            if ("http".equals(app) && o.userAgentHint == null && cUserAgent >= 0) {
                String ua = values.text(cUserAgent);
                if (ua != null) {
                    o.userAgentHint = ua.length() > 120 ? ua.substring(0, 120) : ua;
                    o.dirty = true;
                }
            }
            if ("ssh".equals(app) && o.sshSoftware == null && cSshClient >= 0) {
                String ssh = values.text(cSshClient);
                if (ssh != null) {
                    o.sshSoftware = ssh.length() > 80 ? ssh.substring(0, 80) : ssh;
                    o.dirty = true;
                }
            }
            if ("hl7".equals(app) && cHl7Types >= 0) {
                String hl7 = values.text(cHl7Types);
                if (hl7 != null) {
                    for (String t : hl7.split(",")) {
                        t = t.trim();
                        if (!t.isEmpty() && !t.startsWith("ACK")) o.hl7(t);
                    }
                    o.dirty = true;
                }
            }
            if ("dicom".equals(app) && cCallingAe >= 0) {
                String calling = values.text(cCallingAe);
                if (calling != null) o.dicomAe(calling.trim());
            }
        }
        if (r != null) {
            r.flowsResp++;
            r.bytesOut += respBytes;
            r.bytesIn += origBytes;
            if (proto != 58 && !routerMacs.contains(flow.respMac())) ttl(r, rs.ttlFirst());
            boolean answered = proto == 6 ? flow.history().responderSynAck() : proto == 17;
            if (proto == 6 && answered && r.synSeen == 0) synAck(r, rs);
            // UDP 68 is the DHCP client's port: the server's unicast OFFER/ACK is not a service the client answers
            boolean udpService = proto == 17 && flow.respPort() != 68 && (flow.respPort() < 1024 || protocol != null);
            // an active-mode FTP data connection (from port 20) is the client answering the server, not a service
            boolean ftpData = "ftp-data".equals(app) || (proto == 6 && flow.origPort() == 20);
            if (answered && !ftpData && (proto == 6 || udpService)) {
                int before = r.services.length;
                r.service(proto, flow.respPort(), origIp.hashCode());
                if (r.services.length > before) {
                    if (listener.watches(r.id)) listener.novelty(record(r), "service", Services.label(proto << 16 | flow.respPort()), end, id, origIp);
                }
                if (protocol != null) protocol(r, protocol, false, end, id, origIp);
            }
            peer(r, flow.ipVersion(), flow.origLo(), origIp, end, id);
            if ("ssh".equals(app) && r.sshSoftware == null && cSshServer >= 0) {
                String ssh = values.text(cSshServer);
                if (ssh != null) {
                    r.sshSoftware = ssh.length() > 80 ? ssh.substring(0, 80) : ssh;
                    r.dirty = true;
                }
            }
            if ("dicom".equals(app) && cCalledAe >= 0) {
                String called = values.text(cCalledAe);
                if (called != null) r.dicomAe(called.trim());
            }
        }
        if (o != null) refresh(o, end);
        if (r != null) refresh(r, end);
    }

    private static boolean failedAttempt(int proto, Flow flow, long origBytes, long respPkts) {
        if (proto == 6) {
            if (origBytes != 0) return false;
            String state = flow.connState();
            return state != null && (state.equals("S0") || state.equals("REJ")
                    || state.equals("RSTOS0") || state.equals("RSTRH") || state.equals("SH") || state.equals("RSTO"));
        }
        return proto == 17 && respPkts == 0 && origBytes == 0;
    }

    private void syn(Asset a, DirectionStats d, long origBytes, long ns, long flowId) {
        int win = d.initialWindow(), mss = d.mss(), ws = d.windowScale();
        boolean sack = d.sackPermitted(), ts = d.timestamps();
        // nmap's raw SYN probes: a window of 1024/2048/3072/4096, an MSS option only, no data, never completed
        boolean probe = (win == 1024 || win == 2048 || win == 3072 || win == 4096) && mss >= 0 && ws < 0 && !sack && !ts
                && origBytes == 0;
        if (probe) {
            if (a.nmapProbes++ == 0) {
                String sig = win + ":" + mss + ":*:";
                a.indicator("raw-socket scanner SYNs (nmap-like signature " + sig + ")");
                listener.scannerProbe(record(a), ns, flowId, sig);
            }
            return;
        }
        if (a.synSeen++ == 0 || a.synIsAck) {
            a.synIsAck = false;
            a.synWin = win;
            a.synMss = mss;
            a.synWscale = ws;
            a.synSack = sack;
            a.synTs = ts;
            a.dirty = true;
        }
    }

    /** A server that never sent a SYN of its own is fingerprinted by its SYN-ACK (p0f's "SYN+ACK" mode). */
    private void synAck(Asset a, DirectionStats d) {
        a.synWin = d.initialWindow();
        a.synMss = d.mss();
        a.synWscale = d.windowScale();
        a.synSack = d.sackPermitted();
        a.synTs = d.timestamps();
        a.synIsAck = true;
        a.synSeen = 1;
        a.dirty = true;
    }

    private void ttl(Asset a, int ttl) {
        int b = OsGuesser.ttlBucket(ttl);
        if (b < 0) return;
        if (a.ttlInitial[b]++ == 0) a.dirty = true;
    }

    private void protocol(Asset a, String protocol, boolean client, long ns, long flowId, String peer) {
        int bit = Services.bit(protocol);
        if (bit < 0) return;
        long m = 1L << bit;
        boolean known = ((a.clientProtos | a.serverProtos) & m) != 0;
        if (client) {
            if ((a.clientProtos & m) == 0) a.dirty = true;
            a.clientProtos |= m;
        } else {
            if ((a.serverProtos & m) == 0) a.dirty = true;
            a.serverProtos |= m;
        }
        if (!known && listener.watches(a.id)) listener.novelty(record(a), "protocol", protocol, ns, flowId, peer);
    }

    private void peer(Asset a, int ipVersion, long lo, String peer, long ns, long flowId) {
        if (ipVersion != 4) {
            a.peersOther = Math.min(a.peersOther + 1, 1 << 30);
            return;
        }
        if (a.peer4((int) lo) && listener.watches(a.id)) listener.novelty(record(a), "peer", peer, ns, flowId, peer);
    }

    private void lookup(Asset a, String query, long ns, long flowId, String server) {
        if (a.lookup(query)) listener.lookup(a.id, query, ns, flowId, server);
    }

    /**
     * The Community ID of flow {@code flowId} while its record is being read (detections raised by it name the
     * flow as rule alerts do), else null. Computed only when asked.
     */
    public String communityId(long flowId) {
        return flowId != 0 && flowId == currentFlowId && cCommunity >= 0 ? values.text(cCommunity) : null;
    }

    /** Marks an indicator on the asset holding {@code address} (detections call this). */
    public void indicator(String assetId, String text) {
        Asset a = all.get(assetId);
        if (a != null && a.indicator(text)) refresh(a, nowNs);
    }

    // ------------------------------------------------------------------------------------------------ identity

    /** IPv4 numeric checks; IPv6 by its text (rare on the networks this is for). */
    private static boolean isUnicast(int version, long hi, long lo) {
        if (version == 4) {
            int v4 = (int) lo, a = v4 >>> 24;
            return v4 != 0 && a < 224 && (v4 & 255) != 255;
        }
        return (hi >>> 56) != 0xFF && (hi != 0 || lo != 0);
    }

    private static boolean isPrivate4(int v4) {
        int a = v4 >>> 24, b = (v4 >>> 16) & 255;
        return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)
                || (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127);
    }

    /**
     * The asset an endpoint of a flow is, or null for a peer outside the site or a non-unicast address. The
     * address text is made only when the site file must decide or the endpoint is an asset.
     */
    private Asset endpoint(int version, long hi, long lo, long mac, long start, long end) {
        if (!isUnicast(version, hi, lo)) return null;
        int v4 = version == 4 ? (int) lo : 0;
        String ip = null;
        boolean internal;
        if (config.siteDefined() || version != 4) {
            ip = IpText.format(version, hi, lo);
            internal = config.internal().test(ip) || (!config.siteDefined() && v4 != 0 && onSegment.contains(v4));
        } else {
            internal = isPrivate4(v4) || onSegment.contains(v4);
        }
        if (!internal) {
            if (mac >= 0) {
                Asset gw = byMac.get(mac);
                if (gw != null && ++gw.routedAddresses > config.routerMacAddresses() && routerMacs.add(mac)) {
                    router(gw);
                }
            }
            return null;
        }
        Asset a;
        if (mac == 0 || (mac > 0 && (mac & 0x0100_0000_0000L) != 0)) mac = -1; // zero or group MAC: no station
        if (mac < 0 || routerMacs.contains(mac)) {
            a = addressAsset(version, hi, lo, ip, mac, start);
        } else {
            a = macAsset(mac, start);
            if (!a.hasAddress(version, hi, lo)) {
                if (ip == null) ip = IpText.format(version, hi, lo);
                bind(a, ip, start, false);
            }
        }
        a.seen(start);
        a.seen(end);
        return a;
    }

    private void router(Asset gw) {
        counters.routersFound++;
        gw.dirty = true;
        refresh(gw, nowNs);
    }

    private Asset macAsset(long mac, long ns) {
        Asset a = byMac.get(mac);
        if (a == null) {
            a = new Asset(IpText.mac(mac));
            a.mac = mac;
            a.vendor = oui.vendor(mac);
            a.seen(ns);
            byMac.put(mac, a);
            created(a, ns);
        } else {
            all.get(a.id); // touch: access order
            a.seen(ns);
        }
        return a;
    }

    private Asset addressAsset(int version, long hi, long lo, String ip, long mac, long ns) {
        Asset a = version == 4 ? v4Assets.get(lo & 0xFFFFFFFFL) : null;
        if (a != null) {
            all.get(a.id);                       // the least-recently-seen order, as the lookup by id keeps it
        } else {
            if (ip == null) ip = IpText.format(version, hi, lo);
            String id = "ip:" + ip;
            a = all.get(id);
            if (a == null) {
                a = new Asset(id);
                a.mac = mac;
                a.address(ip);
                a.seen(ns);
                if (mac >= 0) a.vendor = oui.vendor(mac);
                byAddress.put(ip, a);
                index(a, version, lo);
                created(a, ns);
                applyPendingName(a, ip, ns);
                return a;
            }
            // found by id, not in the IPv4 index: an IPv6 asset (every IPv4 one is indexed when created)
        }
        if (mac >= 0 && mac != a.mac) {
            a.previousMac(a.mac);
            a.mac = mac;
            a.vendor = oui.vendor(mac);
        }
        a.seen(ns);
        return a;
    }

    private void index(Asset a, int version, long lo) {
        if (version == 4) {
            a.v4Key = lo & 0xFFFFFFFFL;
            v4Assets.put(a.v4Key, a);
        }
    }

    private void created(Asset a, long ns) {
        all.put(a.id, a);
        counters.assetsCreated++;
        listener.newAsset(record(a), ns);
    }

    /** {@code a} uses {@code ip}: the address index follows, a conflicting claim is reported. */
    private void bind(Asset a, String ip, long ns, boolean arp) {
        if (!Addresses.isUnicast(ip)) return;
        Asset holder = byAddress.get(ip);
        if (holder != a) {
            // only ARP is evidence: the L2 source of an IP packet is its last hop, so a routed address shows
            // whichever router forwarded it (two gateways, asymmetric routes) and proves nothing
            if (arp && holder != null && holder.mac >= 0 && a.mac >= 0 && holder.mac != a.mac && ip.equals(holder.ip)
                    && ns - holder.lastNs < CONFLICT_WINDOW_NS && !routerMacs.contains(holder.mac)) {
                counters.addressConflicts++;
                listener.addressConflict(ip, a.mac, holder.mac, arp, ns);
            }
            byAddress.put(ip, a);
        }
        boolean fresh = a.address(ip);
        if (fresh) {
            a.dirty = true;
            applyPendingName(a, ip, ns);
            if (a.ipsSeen > config.routerMacAddresses() && a.mac >= 0 && routerMacs.add(a.mac)) router(a);
        }
    }

    private void applyPendingName(Asset a, String ip, long ns) {
        String[] n = pendingNames.remove(ip);
        if (n != null) name(a, n[0], n[1], ns);
    }

    private void name(Asset a, String name, String source, long ns) {
        if (a.name(name, source)) {
            counters.namesLearned++;
            listener.nameLearned(record(a), name, source, ns);
        }
    }

    private void forget(Asset a) {
        if (a.mac >= 0 && byMac.get(a.mac) == a) byMac.remove(a.mac);
        if (a.v4Key >= 0 && v4Assets.get(a.v4Key) == a) v4Assets.remove(a.v4Key);
        for (String ip : a.ips) {
            if (byAddress.get(ip) == a) byAddress.remove(ip);
        }
    }

    private void refresh(Asset a, long ns) {
        if (!a.dirty) return;
        if (!listener.tracksGuesses(a.id)) {
            // nobody compares this asset's guesses as they change: they are made when a record is asked for
            a.dirty = false;
            a.role = null;
            return;
        }
        a.dirty = false;
        String role = a.role, os = a.osFamily, detail = a.osDetail;
        guess(a);
        boolean changed = role != null && (!a.role.equals(role) || !java.util.Objects.equals(os, a.osFamily)
                || !java.util.Objects.equals(detail, a.osDetail));
        if (changed) listener.guessChanged(record(a), ns);
    }

    private void guess(Asset a) {
        OsGuesser.Guess g = OsGuesser.guess(a);
        a.osFamily = g.family();
        a.osDetail = g.detail();
        a.osConfidence = g.confidence();
        a.role = role(a).role();
    }

    private RoleGuesser.Role role(Asset a) {
        return RoleGuesser.guess(a, a.mac >= 0 && routerMacs.contains(a.mac) && a.id.equals(IpText.mac(a.mac)));
    }

    // ------------------------------------------------------------------------------------------------ output

    /** The record of the asset with that id, or null. */
    public AssetRecord record(String assetId) {
        Asset a = all.get(assetId);
        return a == null ? null : record(a);
    }

    /** Every asset, sorted by id. */
    public List<AssetRecord> snapshot() {
        List<AssetRecord> out = new ArrayList<>(all.size());
        for (Asset a : all.values()) {
            refresh(a, nowNs); // a last change event for a dirty, tracked asset
            out.add(record(a));
        }
        out.sort(java.util.Comparator.comparing(AssetRecord::assetId));
        return out;
    }

    AssetRecord record(Asset a) {
        OsGuesser.Guess os = OsGuesser.guess(a);
        RoleGuesser.Role role = role(a);
        List<String> hostnames = new ArrayList<>();
        for (int i = 0; i < a.names.length; i++) hostnames.add(a.names[i] + " (" + a.nameSources[i] + ")");
        List<String> services = new ArrayList<>();
        for (int s : a.services) services.add(Services.label(s));
        List<String> peers = new ArrayList<>();
        for (int p : a.peers4) peers.add(Addresses.ipv4Text(p));
        List<String> macs = new ArrayList<>();
        for (long m : a.macs) macs.add(IpText.mac(m));
        int ttl = OsGuesser.ttlInitial(a);
        return new AssetRecord(a.id, a.mac >= 0 ? IpText.mac(a.mac) : null, a.vendor, a.ip, List.of(a.ips), macs,
                a.names.length > 0 ? a.names[0] : null, hostnames, a.firstNs == Long.MAX_VALUE ? Long.MIN_VALUE : a.firstNs,
                a.lastNs, os.family(), os.detail(), os.confidence(), os.reasons(), role.role(), role.reasons(), services,
                Services.names(a.clientProtos | a.serverProtos), List.of(a.hl7Types), List.of(a.dicomAes),
                a.peers4.length + a.peersOther, peers, a.peersOther == 0, a.flowsOrig + a.flowsResp, a.flowsOrig,
                a.flowsResp, a.bytesOut, a.bytesIn, a.scanner, List.of(a.indicators), a.dhcpParams, a.dhcpVendor,
                ttl, OsGuesser.synSignature(a), AssetRecord.OBSERVED, null, List.of());
    }

    @Override
    public void close() {
        values.close();
    }

    /** Test hook: drop every asset (the indexes follow). */
    void clear() {
        for (Iterator<Asset> it = all.values().iterator(); it.hasNext(); ) {
            forget(it.next());
            it.remove();
        }
    }
}
