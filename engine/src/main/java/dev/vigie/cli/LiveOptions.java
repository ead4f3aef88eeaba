package dev.vigie.cli;

import dev.vigie.capture.CaptureCounters;
import dev.vigie.capture.CaptureException;
import dev.vigie.capture.LiveCaptureConfig;
import dev.vigie.capture.LivePacketSource;
import picocli.CommandLine.Option;

/** Live-capture options shared by the commands that can read an interface (extract, detect, sense). */
public final class LiveOptions {
    @Option(names = {"-i", "--interface"}, paramLabel = "IF", description = "Capture live from this interface (needs root or CAP_NET_RAW, and libpcap).")
    String interfaceName;

    @Option(names = "--bpf", paramLabel = "FILTER", description = "BPF capture filter for --interface, e.g. 'not port 22'.")
    String bpf = "";

    @Option(names = "--snaplen", paramLabel = "BYTES", description = "Bytes captured per packet (default: ${DEFAULT-VALUE}).")
    int snaplen = LiveCaptureConfig.DEFAULT_SNAPLEN;

    @Option(names = "--no-promisc", description = "Do not put the interface in promiscuous mode.")
    boolean noPromiscuous;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop a live capture after this long (default: until Ctrl-C or SIGTERM).")
    double durationSeconds;

    boolean live() {
        return interfaceName != null;
    }

    LivePacketSource open(CaptureCounters counters) {
        try {
            LiveCaptureConfig cfg = LiveCaptureConfig.of(interfaceName).withFilter(bpf).withSnaplen(snaplen)
                    .withPromiscuous(!noPromiscuous);
            return LivePacketSource.open(cfg, counters);
        } catch (CaptureException e) {
            throw new UserError(3, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(2, "invalid live-capture option: " + e.getMessage(), e);
        }
    }
}
