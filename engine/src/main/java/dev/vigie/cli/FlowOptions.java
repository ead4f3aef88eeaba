package dev.vigie.cli;

import dev.vigie.flow.FlowConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Flow-cutting options shared by every command that builds flows (extract, bench, detect, sense). */
public final class FlowOptions {
    @Option(names = "--tcp-timeout", paramLabel = "SECONDS", description = "TCP idle timeout (default: ${DEFAULT-VALUE} s).")
    double tcpIdle = 300;
    @Option(names = "--udp-timeout", paramLabel = "SECONDS", description = "UDP idle timeout (default: ${DEFAULT-VALUE} s).")
    double udpIdle = 60;
    @Option(names = "--icmp-timeout", paramLabel = "SECONDS", description = "ICMP idle timeout (default: ${DEFAULT-VALUE} s).")
    double icmpIdle = 60;
    @Option(names = "--other-timeout", paramLabel = "SECONDS", description = "Idle timeout of other IP protocols (default: ${DEFAULT-VALUE} s).")
    double otherIdle = 60;
    @Option(names = "--tcp-linger", paramLabel = "SECONDS", description = "Wait after FIN from both sides or RST (default: ${DEFAULT-VALUE} s).")
    double tcpLinger = 5;
    @Option(names = "--active-timeout", paramLabel = "SECONDS", description = "Long flows emit a record every so often (default: ${DEFAULT-VALUE} s).")
    double activeTimeout = 1800;
    @Option(names = "--max-flows", paramLabel = "N", description = "Live flows at most; past it the longest idle is evicted (default: ${DEFAULT-VALUE}).")
    int maxFlows = 1_000_000;

    public FlowConfig toConfig() {
        try {
            return new FlowConfig(nanos(tcpIdle), nanos(udpIdle), nanos(icmpIdle), nanos(otherIdle), nanos(tcpLinger),
                    nanos(activeTimeout), Duration.ofSeconds(5).toNanos(), maxFlows);
        } catch (IllegalArgumentException e) {
            throw new UserError(2, "invalid flow options: " + e.getMessage());
        }
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }
}
