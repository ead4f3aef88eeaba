package dev.vigie.features;

import static dev.vigie.schema.Columns.bool;
import static dev.vigie.schema.Columns.boolOrNull;
import static dev.vigie.schema.Columns.float64;
import static dev.vigie.schema.Columns.int32;
import static dev.vigie.schema.Columns.int32OrNull;
import static dev.vigie.schema.Columns.int64;
import static dev.vigie.schema.Columns.label;
import static dev.vigie.schema.Columns.text;
import static dev.vigie.schema.Columns.timestampNanos;
import static dev.vigie.schema.Columns.utf8;

import dev.vigie.flow.DirectionStats;
import dev.vigie.schema.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every column of a flow record, defined once. The order here is the order in the files. Per-direction columns
 * are defined once and instantiated for the originator ({@code orig_}) and the responder ({@code resp_}).
 *
 * <p>Statistics: a standard deviation is the population one (divide by n); a mean or deviation that needs more
 * values than exist (one packet, no gap) is null, never 0. Times are seconds as float64 unless the unit says
 * otherwise.
 */
public final class FlowColumns {
    private FlowColumns() {}

    private static final double NS = 1e-9;

    public static List<Column<FlowRow>> all() {
        List<Column<FlowRow>> c = new ArrayList<>();
        // ---- identity
        c.add(int64("flow_id", "id", "Identifier of the flow, unique within one run; all parts of a long flow share it.",
                r -> r.flow().flowId()));
        c.add(int32("part", "count", "Part number: 0, then 1, 2, ... for the records a long flow emits at each active timeout.",
                r -> r.flow().part()));
        c.add(timestampNanos("ts_start", "Capture time of the first packet of this record (UTC).", r -> r.flow().startNs()));
        c.add(timestampNanos("ts_end", "Capture time of the last packet of this record (UTC).", r -> r.flow().lastNs()));
        c.add(float64("duration", "s", "ts_end minus ts_start, in seconds (0 for a one-packet flow).",
                r -> (r.flow().lastNs() - r.flow().startNs()) * NS));
        c.add(label("end_reason", "enum", "Why the record was emitted: idle, active, fin, rst, evicted or eof.",
                r -> r.reason().label()));
        c.add(int32("ip_version", "enum", "4 or 6.", r -> r.flow().ipVersion()));
        c.add(text("orig_h", "address", "Originator address: the sender of the first packet, or of the SYN for TCP.",
                FlowRow::writeOrigAddress));
        c.add(int32("orig_p", "port", "Originator port; for ICMP the message type (Community ID convention); 0 without ports.",
                r -> r.flow().origPort()));
        c.add(text("resp_h", "address", "Responder address.", FlowRow::writeRespAddress));
        c.add(int32("resp_p", "port", "Responder port; for ICMP the counterpart type (echo request 8 -> 0) or the code.",
                r -> r.flow().respPort()));
        c.add(label("proto", "enum", "Transport protocol: tcp, udp, icmp, icmpv6, or the IP protocol number as text.",
                r -> protocolName(r.flow().protocol())));
        c.add(int32("proto_num", "number", "IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...).",
                r -> r.flow().protocol()));
        c.add(int32("vlan", "id", "Outer 802.1Q VLAN id, 0 when untagged.", r -> r.flow().vlanOuter()));
        c.add(int32("vlan_inner", "id", "Inner (customer) VLAN id of a QinQ frame, 0 when absent.", r -> r.flow().vlanInner()));
        c.add(text("orig_l2_addr", "mac", "Originator MAC address as seen on this link (null without Ethernet).",
                (r, out) -> IpText.mac(r.flow().origMac(), out)));
        c.add(text("resp_l2_addr", "mac", "Responder MAC address as seen on this link (null without Ethernet).",
                (r, out) -> IpText.mac(r.flow().respMac(), out)));
        c.add(text("community_id", "id", "Community ID v1 (seed 0) of the flow, to pivot to Zeek, Suricata or a SIEM.",
                FlowRow::writeCommunityId));
        c.add(label("conn_state", "enum", "Zeek connection state (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH).",
                r -> r.flow().connState()));
        c.add(text("history", "letters", "Zeek connection history: s h a d f r t w q, upper case from the originator, ^ when flipped.",
                (r, out) -> {
                    r.flow().history().write(out);
                    return true;
                }));

        // ---- per direction
        addDirection(c, "orig", "the originator", FlowRow::orig);
        addDirection(c, "resp", "the responder", FlowRow::resp);

        // ---- whole flow
        c.add(int64("pkts", "packets", "Packets in both directions.", r -> r.flow().packets()));
        c.add(int32OrNull("payload_min", "bytes", "Smallest payload of any packet of the flow.",
                r -> r.flow().packets() == 0 ? -1 : Math.min(r.orig().payloadMin(), r.resp().payloadMin())));
        c.add(int32OrNull("payload_max", "bytes", "Largest payload of any packet of the flow.",
                r -> r.flow().packets() == 0 ? -1 : Math.max(r.orig().payloadMax(), r.resp().payloadMax())));
        c.add(float64("payload_mean", "bytes", "Mean payload per packet over both directions.", FlowColumns::flowPayloadMean));
        c.add(float64("payload_std", "bytes", "Standard deviation of the payload per packet over both directions.",
                FlowColumns::flowPayloadStd));
        c.add(float64("iat_min", "s", "Smallest gap between two consecutive packets of the flow (either direction).",
                r -> r.flow().packets() < 2 ? Double.NaN : r.flow().iatMinNs() * NS));
        c.add(float64("iat_max", "s", "Largest gap between two consecutive packets of the flow.",
                r -> r.flow().packets() < 2 ? Double.NaN : r.flow().iatMaxNs() * NS));
        c.add(float64("iat_mean", "s", "Mean gap between consecutive packets of the flow.", FlowColumns::flowIatMean));
        c.add(float64("iat_std", "s", "Standard deviation of the gaps between consecutive packets of the flow.",
                r -> std(r.flow().iatSquares(), flowIatMean(r), r.flow().packets() - 1)));
        c.add(float64("bytes_per_s", "bytes/s", "Payload bytes of both directions divided by the duration (null for duration 0).",
                r -> rate(r.orig().payloadBytes() + r.resp().payloadBytes(), r)));
        c.add(float64("pkts_per_s", "packets/s", "Packets of both directions divided by the duration (null for duration 0).",
                r -> rate(r.flow().packets(), r)));
        c.add(int32("active_periods", "count", "Periods of activity: runs of packets separated by gaps over the activity gap (5 s).",
                r -> r.flow().activePeriods()));
        c.add(float64("active_min", "s", "Shortest activity period.", r -> r.flow().activePeriods() == 0 ? Double.NaN : r.flow().activeMinNs() * NS));
        c.add(float64("active_max", "s", "Longest activity period.", r -> r.flow().activePeriods() == 0 ? Double.NaN : r.flow().activeMaxNs() * NS));
        c.add(float64("active_mean", "s", "Mean activity period.", FlowColumns::activeMean));
        c.add(float64("active_std", "s", "Standard deviation of the activity periods.",
                r -> std(r.flow().activeSquares(), activeMean(r), r.flow().activePeriods())));
        c.add(int32("idle_periods", "count", "Gaps longer than the activity gap (5 s) inside the flow.", r -> r.flow().idlePeriods()));
        c.add(float64("idle_min", "s", "Shortest idle gap.", r -> r.flow().idlePeriods() == 0 ? Double.NaN : r.flow().idleMinNs() * NS));
        c.add(float64("idle_max", "s", "Longest idle gap.", r -> r.flow().idlePeriods() == 0 ? Double.NaN : r.flow().idleMaxNs() * NS));
        c.add(float64("idle_mean", "s", "Mean idle gap.", FlowColumns::idleMean));
        c.add(float64("idle_std", "s", "Standard deviation of the idle gaps.",
                r -> std(r.flow().idleSquares(), idleMean(r), r.flow().idlePeriods())));
        c.add(int32("fragments", "packets", "IP fragments (IPv4 or IPv6) counted in this flow.", r -> r.flow().fragments()));
        return List.copyOf(c);
    }

    private static void addDirection(List<Column<FlowRow>> c, String d, String who,
                                     Function<FlowRow, DirectionStats> side) {
        c.add(int64(d + "_pkts", "packets", "Packets sent by " + who + ".", r -> side.apply(r).packets()));
        c.add(int64(d + "_ip_bytes", "bytes", "IP bytes sent by " + who + " (sum of IP total lengths, headers included).",
                r -> side.apply(r).ipBytes()));
        c.add(int64(d + "_bytes", "bytes", "Payload bytes sent by " + who + " (TCP/UDP data per the headers, as Zeek's " + d + "_bytes but counted, not inferred from sequence numbers).",
                r -> side.apply(r).payloadBytes()));
        c.add(int64(d + "_payload_pkts", "packets", "Packets from " + who + " carrying at least one payload byte.",
                r -> side.apply(r).payloadPackets()));
        c.add(int32OrNull(d + "_payload_min", "bytes", "Smallest payload sent by " + who + ".",
                r -> side.apply(r).packets() == 0 ? -1 : side.apply(r).payloadMin()));
        c.add(int32OrNull(d + "_payload_max", "bytes", "Largest payload sent by " + who + ".",
                r -> side.apply(r).packets() == 0 ? -1 : side.apply(r).payloadMax()));
        c.add(float64(d + "_payload_mean", "bytes", "Mean payload per packet sent by " + who + ".",
                r -> side.apply(r).payloadMean()));
        c.add(float64(d + "_payload_std", "bytes", "Standard deviation of the payload per packet sent by " + who + ".",
                r -> side.apply(r).payloadStd()));
        c.add(float64(d + "_iat_min", "s", "Smallest gap between two consecutive packets from " + who + ".",
                r -> side.apply(r).packets() < 2 ? Double.NaN : side.apply(r).iatMinNs() * NS));
        c.add(float64(d + "_iat_max", "s", "Largest gap between two consecutive packets from " + who + ".",
                r -> side.apply(r).packets() < 2 ? Double.NaN : side.apply(r).iatMaxNs() * NS));
        c.add(float64(d + "_iat_mean", "s", "Mean gap between consecutive packets from " + who + ".",
                r -> side.apply(r).iatMean()));
        c.add(float64(d + "_iat_std", "s", "Standard deviation of the gaps between consecutive packets from " + who + ".",
                r -> side.apply(r).iatStd()));
        String[] flags = {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"};
        for (int i = 0; i < flags.length; i++) {
            int flag = i;
            c.add(int64(d + "_" + flags[i], "packets", "TCP packets from " + who + " with the " + flags[i].toUpperCase()
                    + " flag set (every packet counted, not once per flow).", r -> side.apply(r).flagCount(flag)));
        }
        c.add(int32OrNull(d + "_init_win", "bytes", "TCP window field of the first packet from " + who + " (unscaled; null when none).",
                r -> side.apply(r).initialWindow()));
        c.add(int32OrNull(d + "_mss", "bytes", "TCP MSS option of the SYN from " + who + " (null when absent).",
                r -> side.apply(r).mss()));
        c.add(int32OrNull(d + "_wscale", "shift", "TCP window-scale option of the SYN from " + who + " (null when absent).",
                r -> side.apply(r).windowScale()));
        c.add(boolOrNull(d + "_sack_ok", "flag", "SACK-permitted option in the SYN from " + who + " (null when no SYN seen).",
                r -> side.apply(r).synCount() > 0, r -> side.apply(r).sackPermitted()));
        c.add(boolOrNull(d + "_tcp_ts", "flag", "TCP timestamps option in the SYN from " + who + " (null when no SYN seen).",
                r -> side.apply(r).synCount() > 0, r -> side.apply(r).timestamps()));
        c.add(int32OrNull(d + "_ttl_first", "hops", "IPv4 TTL or IPv6 hop limit of the first packet from " + who + ".",
                r -> side.apply(r).ttlFirst()));
        c.add(int32OrNull(d + "_ttl_min", "hops", "Smallest TTL / hop limit from " + who + ".", r -> side.apply(r).ttlMin()));
        c.add(int32OrNull(d + "_ttl_max", "hops", "Largest TTL / hop limit from " + who + ".", r -> side.apply(r).ttlMax()));
        c.add(int64(d + "_retrans", "packets", "TCP segments from " + who + " that resend data already seen (estimate from sequence numbers).",
                r -> side.apply(r).retransmitted()));
        c.add(int64(d + "_ooo", "packets", "TCP segments from " + who + " that fill a gap left earlier (out of order; estimate).",
                r -> side.apply(r).outOfOrder()));
        c.add(int64(d + "_zero_win", "packets", "TCP packets from " + who + " advertising a zero window.",
                r -> side.apply(r).zeroWindow()));
    }

    static String protocolName(int p) {
        return switch (p) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 1 -> "icmp";
            case 58 -> "icmpv6";
            default -> Integer.toString(p);
        };
    }

    private static double rate(long amount, FlowRow r) {
        long d = r.flow().lastNs() - r.flow().startNs();
        return d <= 0 ? Double.NaN : amount / (d * NS);
    }

    private static double flowPayloadMean(FlowRow r) {
        long n = r.flow().packets();
        return n == 0 ? Double.NaN : (double) (r.orig().payloadBytes() + r.resp().payloadBytes()) / n;
    }

    private static double flowPayloadStd(FlowRow r) {
        long n = r.flow().packets();
        if (n == 0) return Double.NaN;
        double mean = flowPayloadMean(r);
        double sq = (double) r.orig().payloadSquares() + r.resp().payloadSquares();
        return Math.sqrt(Math.max(0, sq / n - mean * mean));
    }

    private static double flowIatMean(FlowRow r) {
        long n = r.flow().packets();
        return n < 2 ? Double.NaN : (r.flow().lastNs() - r.flow().startNs()) * NS / (n - 1);
    }

    private static double activeMean(FlowRow r) {
        int n = r.flow().activePeriods();
        return n == 0 ? Double.NaN : r.flow().activeSumNs() * NS / n;
    }

    private static double idleMean(FlowRow r) {
        int n = r.flow().idlePeriods();
        return n == 0 ? Double.NaN : r.flow().idleSumNs() * NS / n;
    }

    /** Population standard deviation from a sum of squares and the mean; NaN when there are no values. */
    static double std(double sumSquares, double mean, long n) {
        if (n <= 0 || Double.isNaN(mean)) {
            return Double.NaN;
        }
        return Math.sqrt(Math.max(0, sumSquares / n - mean * mean));
    }
}
