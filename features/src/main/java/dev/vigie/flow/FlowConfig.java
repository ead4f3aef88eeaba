package dev.vigie.flow;

import java.time.Duration;

/**
 * How flows are cut. Immutable; defaults follow Zeek's inactivity timeouts (TCP 5 min, UDP and ICMP 1 min) and
 * IPFIX's common 30-minute active timeout.
 *
 * @param tcpIdleNanos       a TCP flow with no packet for this long ends (IDLE_TIMEOUT)
 * @param udpIdleNanos       same for UDP
 * @param icmpIdleNanos      same for ICMP and ICMPv6
 * @param otherIdleNanos     same for any other IP protocol
 * @param tcpLingerNanos     after FIN from both sides, or a RST, the flow waits this long for the last ACKs
 * @param activeTimeoutNanos a flow older than this emits a record and continues as the next part
 * @param activityGapNanos   a gap longer than this between two packets of a flow separates two active periods
 *                           (CICFlowMeter's "activity timeout", 5 s); it does not end the flow
 * @param maxFlows           live flows at most; past it the flow idle for longest is evicted (EVICTED)
 */
public record FlowConfig(long tcpIdleNanos, long udpIdleNanos, long icmpIdleNanos, long otherIdleNanos,
                         long tcpLingerNanos, long activeTimeoutNanos, long activityGapNanos, int maxFlows) {

    public static final FlowConfig DEFAULTS = new FlowConfig(
            Duration.ofMinutes(5).toNanos(),
            Duration.ofMinutes(1).toNanos(),
            Duration.ofMinutes(1).toNanos(),
            Duration.ofMinutes(1).toNanos(),
            Duration.ofSeconds(5).toNanos(),
            Duration.ofMinutes(30).toNanos(),
            Duration.ofSeconds(5).toNanos(),
            1_000_000);

    public FlowConfig {
        if (tcpIdleNanos <= 0 || udpIdleNanos <= 0 || icmpIdleNanos <= 0 || otherIdleNanos <= 0
                || tcpLingerNanos < 0 || activeTimeoutNanos <= 0 || activityGapNanos <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxFlows < 1) {
            throw new IllegalArgumentException("maxFlows must be at least 1");
        }
    }

    public FlowConfig withMaxFlows(int n) {
        return new FlowConfig(tcpIdleNanos, udpIdleNanos, icmpIdleNanos, otherIdleNanos, tcpLingerNanos,
                activeTimeoutNanos, activityGapNanos, n);
    }

    public FlowConfig withActiveTimeout(Duration d) {
        return new FlowConfig(tcpIdleNanos, udpIdleNanos, icmpIdleNanos, otherIdleNanos, tcpLingerNanos,
                d.toNanos(), activityGapNanos, maxFlows);
    }

    public FlowConfig withIdleTimeouts(Duration tcp, Duration udp, Duration icmp, Duration other) {
        return new FlowConfig(tcp.toNanos(), udp.toNanos(), icmp.toNanos(), other.toNanos(), tcpLingerNanos,
                activeTimeoutNanos, activityGapNanos, maxFlows);
    }

    public FlowConfig withTcpLinger(Duration d) {
        return new FlowConfig(tcpIdleNanos, udpIdleNanos, icmpIdleNanos, otherIdleNanos, d.toNanos(),
                activeTimeoutNanos, activityGapNanos, maxFlows);
    }
}
