package dev.vigie.flow;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodedPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a packet becomes part of a flow. Single-threaded: the packet loop calls {@link #onPacket} for every IP
 * packet, in capture-time order.
 *
 * <p>Flows live in a chained hash table keyed by VLANs, protocol, addresses and ports (symmetric, so both
 * directions find the same flow) and, at the same time, in one of five lists ordered by last activity, one per
 * timeout class (TCP, TCP closing, UDP, ICMP, other IP). Within a list every flow has the same timeout, so the
 * expired flows are always at the head: sweeping by capture time costs O(1) per packet plus O(1) per ended flow,
 * and a flow never waits for its key to reappear. Flow objects are pooled: in steady state nothing is allocated.
 */
public final class FlowTable {
    static final int TCP = 0, TCP_CLOSING = 1, UDP = 2, ICMP = 3, OTHER = 4, CLASSES = 5;

    private final FlowConfig config;
    private final FlowSink sink;
    private final FlowCounters counters;
    private final long[] timeoutNs = new long[CLASSES];
    private final Flow[] oldest = new Flow[CLASSES];
    private final Flow[] newest = new Flow[CLASSES];
    private final FragmentTracker fragments = new FragmentTracker();
    private final List<FlowAnalyzer> analyzers = new ArrayList<>();
    private FlowAnalyzer[] analyzerArray = new FlowAnalyzer[0];

    private Flow[] buckets;
    private int size;
    private Flow pool;
    private final FlowStats.Pool statsPool;
    private long nextFlowId = 1;
    private long clockNs = Long.MIN_VALUE;

    public FlowTable(FlowConfig config, FlowSink sink, FlowCounters counters) {
        this(config, sink, counters, Flow.COMPACT_PACKETS);
    }

    /** As the public constructor, with flows holding {@code compactPackets} packets in compact form (tests: 0). */
    FlowTable(FlowConfig config, FlowSink sink, FlowCounters counters, int compactPackets) {
        this.config = config;
        this.sink = sink;
        this.counters = counters;
        statsPool = new FlowStats.Pool(config.activityGapNanos(), compactPackets);
        timeoutNs[TCP] = config.tcpIdleNanos();
        timeoutNs[TCP_CLOSING] = config.tcpLingerNanos();
        timeoutNs[UDP] = config.udpIdleNanos();
        timeoutNs[ICMP] = config.icmpIdleNanos();
        timeoutNs[OTHER] = config.otherIdleNanos();
        buckets = new Flow[Math.min(1 << 12, Integer.highestOneBit(Math.max(16, config.maxFlows())) << 1)];
    }

    /** Registers an analyzer; do it before the first packet. */
    public void addAnalyzer(FlowAnalyzer analyzer) {
        analyzers.add(analyzer);
        analyzerArray = analyzers.toArray(new FlowAnalyzer[0]);
        for (int i = 0; i < analyzerArray.length; i++) {
            analyzerArray[i].bind(i, analyzerArray.length);
        }
    }

    public FlowCounters counters() {
        return counters;
    }

    public int liveFlows() {
        return size;
    }

    /**
     * Full-statistics objects allocated so far: the peak number of flows that held full statistics at once (a flow
     * holds its first packets in compact form, see {@link Flow}).
     */
    public int statisticsCreated() {
        return statsPool.created();
    }

    /** The capture clock: the latest packet time seen (nanoseconds since the epoch). */
    public long clockNs() {
        return clockNs;
    }

    /** Accounts one decoded IP packet ({@code p.ipVersion} 4 or 6). */
    public void onPacket(DecodedPacket p, CapturedPacket frame) {
        long ts = frame.timestampNanos;
        counters.packets++;
        if (ts > clockNs) {
            clockNs = ts;
        } else if (ts < clockNs) {
            counters.timeWentBackwards++;
        }
        sweep(clockNs);

        int srcPort;
        int dstPort;
        if (p.hasTransport) {
            if (p.protocol == DecodedPacket.PROTO_ICMP || p.protocol == DecodedPacket.PROTO_ICMPV6) {
                int counterpart = IcmpPorts.counterpart(p.protocol == DecodedPacket.PROTO_ICMPV6, p.icmpType);
                srcPort = p.icmpType;
                dstPort = counterpart >= 0 ? counterpart : p.icmpCode;
            } else {
                srcPort = p.srcPort;
                dstPort = p.dstPort;
            }
            if (p.firstFragment) {
                fragments.rememberFirst(p, srcPort, dstPort, ts);
            }
        } else if (p.fragment) {
            int packed = fragments.lookup(p, ts);
            if (packed >= 0) {
                srcPort = packed >>> 16;
                dstPort = packed & 0xFFFF;
            } else {
                counters.orphanFragments++;
                srcPort = dstPort = 0;
            }
        } else {
            srcPort = dstPort = 0;
        }

        int hash = hash(p, srcPort, dstPort);
        Flow flow = find(p, srcPort, dstPort, hash);
        boolean fromOrig;
        if (flow != null) {
            fromOrig = flow.isFromOriginator(p, srcPort);
            boolean pureSyn = p.protocol == DecodedPacket.PROTO_TCP && p.hasTransport
                    && (p.tcpFlags & (DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK)) == DecodedPacket.TCP_SYN;
            if (flow.closing && pureSyn) {
                // the tuple is reused by a new connection: the old one is over
                end(flow, closeReason(flow));
                flow = null;
            } else if (ts - flow.startNs >= config.activeTimeoutNanos()) {
                emit(flow, EndReason.ACTIVE_TIMEOUT);
                flow.startNextPart(ts);
            }
        } else {
            fromOrig = true;
        }
        if (flow == null) {
            flow = create(p, srcPort, dstPort, hash);
            fromOrig = flow.isFromOriginator(p, srcPort);
        }
        flow.add(p, fromOrig, ts);
        int cls = flow.timeoutClass;
        if (cls == TCP && !flow.closing && TcpEndpoints.isClosing(flow)) {
            flow.closing = true;
            cls = TCP_CLOSING;
        }
        moveToNewest(flow, cls);
        FlowAnalyzer[] as = analyzerArray;
        for (FlowAnalyzer a : as) {
            a.onPacket(flow, p, frame, fromOrig);
        }
    }

    /** Ends every flow idle past its class's timeout at capture time {@code nowNs}. */
    public void sweep(long nowNs) {
        for (int c = 0; c < CLASSES; c++) {
            long timeout = timeoutNs[c];
            Flow f;
            while ((f = oldest[c]) != null && nowNs - f.lastNs > timeout) {
                end(f, c == TCP_CLOSING ? closeReason(f) : EndReason.IDLE_TIMEOUT);
            }
        }
    }

    /** Ends every live flow (END_OF_INPUT), oldest activity first. */
    public void flushAll() {
        while (size > 0) {
            Flow victim = oldestOfAll();
            if (victim == null) {
                break;
            }
            end(victim, victim.closing ? closeReason(victim) : EndReason.END_OF_INPUT);
        }
    }

    private static EndReason closeReason(Flow f) {
        return f.orig().tcpState == DirectionStats.RESET || f.resp().tcpState == DirectionStats.RESET
                ? EndReason.TCP_RESET : EndReason.TCP_CLOSE;
    }

    private Flow oldestOfAll() {
        Flow best = null;
        for (int c = 0; c < CLASSES; c++) {
            Flow f = oldest[c];
            if (f != null && (best == null || f.lastNs < best.lastNs)) {
                best = f;
            }
        }
        return best;
    }

    private Flow find(DecodedPacket p, int srcPort, int dstPort, int hash) {
        for (Flow f = buckets[hash & (buckets.length - 1)]; f != null; f = f.nextInBucket) {
            if (f.hash == hash && f.matches(p, srcPort, dstPort)) {
                return f;
            }
        }
        return null;
    }

    private Flow create(DecodedPacket p, int srcPort, int dstPort, int hash) {
        if (size >= config.maxFlows()) {
            Flow victim = oldestOfAll();
            if (victim != null) {
                end(victim, EndReason.EVICTED);
            }
        }
        Flow f = pool;
        if (f != null) {
            pool = f.nextInBucket;
        } else {
            f = new Flow(statsPool);
        }
        f.reset(nextFlowId++);
        boolean tcp = p.protocol == DecodedPacket.PROTO_TCP && p.hasTransport;
        boolean synAckFirst = tcp && (p.tcpFlags & (DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK))
                == (DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK);
        f.initKey(p, !synAckFirst, srcPort, dstPort);
        f.hash = hash;
        f.timeoutClass = (byte) classOf(p.protocol);
        if (size + 1 > buckets.length - (buckets.length >>> 2)) {
            grow();
        }
        int b = hash & (buckets.length - 1);
        f.nextInBucket = buckets[b];
        buckets[b] = f;
        size++;
        counters.flowsCreated++;
        counters.liveFlows = size;
        if (size > counters.peakLiveFlows) {
            counters.peakLiveFlows = size;
        }
        return f;
    }

    private static int classOf(int protocol) {
        return switch (protocol) {
            case DecodedPacket.PROTO_TCP -> TCP;
            case DecodedPacket.PROTO_UDP -> UDP;
            case DecodedPacket.PROTO_ICMP, DecodedPacket.PROTO_ICMPV6 -> ICMP;
            default -> OTHER;
        };
    }

    private void grow() {
        Flow[] old = buckets;
        Flow[] bigger = new Flow[old.length << 1];
        for (Flow head : old) {
            Flow f = head;
            while (f != null) {
                Flow next = f.nextInBucket;
                int b = f.hash & (bigger.length - 1);
                f.nextInBucket = bigger[b];
                bigger[b] = f;
                f = next;
            }
        }
        buckets = bigger;
    }

    private void emit(Flow f, EndReason reason) {
        if (f.isCompact()) {
            counters.compactRecords++;
        }
        f.finishPeriods();
        for (FlowAnalyzer a : analyzerArray) {
            a.beforeRecord(f);
        }
        counters.records.increment(reason);
        sink.flowEnded(f, reason);
    }

    private void end(Flow f, EndReason reason) {
        emit(f, reason);
        for (FlowAnalyzer a : analyzerArray) {
            a.onFlowEnd(f);
        }
        unlinkFromList(f);
        unlinkFromBucket(f);
        f.releaseStats();
        size--;
        counters.liveFlows = size;
        f.nextInBucket = pool;
        pool = f;
    }

    private void unlinkFromBucket(Flow f) {
        int b = f.hash & (buckets.length - 1);
        Flow prev = null;
        for (Flow x = buckets[b]; x != null; prev = x, x = x.nextInBucket) {
            if (x == f) {
                if (prev == null) {
                    buckets[b] = x.nextInBucket;
                } else {
                    prev.nextInBucket = x.nextInBucket;
                }
                return;
            }
        }
    }

    private void moveToNewest(Flow f, int cls) {
        if (newest[f.timeoutClass] == f && f.timeoutClass == cls) {
            return;
        }
        unlinkFromList(f);
        f.timeoutClass = (byte) cls;
        f.olderInList = newest[cls];
        f.newerInList = null;
        if (newest[cls] != null) {
            newest[cls].newerInList = f;
        } else {
            oldest[cls] = f;
        }
        newest[cls] = f;
    }

    private void unlinkFromList(Flow f) {
        int cls = f.timeoutClass;
        Flow older = f.olderInList;
        Flow newer = f.newerInList;
        if (older != null) {
            older.newerInList = newer;
        } else if (oldest[cls] == f) {
            oldest[cls] = newer;
        }
        if (newer != null) {
            newer.olderInList = older;
        } else if (newest[cls] == f) {
            newest[cls] = older;
        }
        f.olderInList = f.newerInList = null;
    }

    /** Symmetric in the two endpoints, so both directions of a flow land in the same bucket. */
    static int hash(DecodedPacket p, int srcPort, int dstPort) {
        long a = endpoint(p.srcHi, p.srcLo, srcPort);
        long b = endpoint(p.dstHi, p.dstLo, dstPort);
        long h = (a + b) ^ (a * b) ^ ((long) p.protocol << 40) ^ ((long) p.vlanOuter << 16) ^ p.vlanInner;
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private static long endpoint(long hi, long lo, int port) {
        long h = lo * 0xC2B2AE3D27D4EB4FL + hi * 0x165667B19E3779F9L + port;
        h ^= h >>> 31;
        return h * 0x9E3779B97F4A7C15L;
    }
}
