package dev.vigie.cli;

import dev.vigie.decode.DecodeError;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.flow.EndReason;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The summary printed after an extraction: what was read, what became flows, what went wrong. */
final class ExtractionSummary {
    private ExtractionSummary() {}

    static void print(ExtractionCounters c, PrintWriter out) {
        out.printf(Locale.ROOT, "packets      %s (%s on the wire, %s captured)%n", Format.count(c.capture.packets),
                Format.bytes(c.capture.wireBytes), Format.bytes(c.capture.capturedBytes));
        out.printf(Locale.ROOT, "decoded      %s IPv4, %s IPv6, %s ARP; TCP %s, UDP %s, ICMP %s, ICMPv6 %s, other IP %s, other link %s%n",
                Format.count(c.decode.ipv4), Format.count(c.decode.ipv6), Format.count(c.decode.arp),
                Format.count(c.decode.tcp), Format.count(c.decode.udp), Format.count(c.decode.icmp),
                Format.count(c.decode.icmpv6), Format.count(c.decode.otherIpProtocol), Format.count(c.decode.otherEtherType));
        StringBuilder reasons = new StringBuilder();
        for (Map.Entry<EndReason, Long> e : c.flows.records.nonZero().entrySet()) {
            reasons.append(reasons.length() == 0 ? "" : ", ").append(e.getKey().label()).append(' ')
                    .append(Format.count(e.getValue()));
        }
        out.printf(Locale.ROOT, "flows        %s records from %s flows (%s); peak %s live; %s kept in compact form%n",
                Format.count(c.rows), Format.count(c.flows.flowsCreated), reasons.length() == 0 ? "none" : reasons,
                Format.count(c.flows.peakLiveFlows), Format.count(c.flows.compactRecords));
        out.printf(Locale.ROOT, "evictions    %s%n", Format.count(c.flows.records.get(EndReason.EVICTED)));
        long malformed = c.decode.errors.total();
        out.printf(Locale.ROOT, "errors       %s malformed packets, %s input faults%s%n", Format.count(malformed),
                Format.count(c.capture.errors.total()),
                c.capture.truncatedBySnaplen > 0 ? ", " + Format.count(c.capture.truncatedBySnaplen) + " cut by snaplen" : "");
        for (Map.Entry<DecodeError, Long> e : c.decode.errors.nonZero().entrySet()) {
            out.printf(Locale.ROOT, "             %-10s %s%n", Format.count(e.getValue()), e.getKey().description());
        }
        if (c.flows.orphanFragments > 0) {
            out.printf(Locale.ROOT, "             %-10s fragments whose first fragment was not seen%n", Format.count(c.flows.orphanFragments));
        }
        out.printf(Locale.ROOT, "elapsed      %.2f s, %s packets/s%n", c.elapsedSeconds(), Format.rate(c.packetsPerSecond()));
    }
}
