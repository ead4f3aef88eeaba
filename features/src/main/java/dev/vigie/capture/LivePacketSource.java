package dev.vigie.capture;

import java.io.EOFException;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;

/**
 * Frames from a live interface through libpcap (pcap4j 1.8.2). We take raw bytes only and never let pcap4j build
 * its {@code Packet} objects, which cost more than the rest of our pipeline. pcap4j still allocates a byte array
 * and a timestamp per frame inside {@code getNextRawPacketEx}: that is the price of going through it, and why
 * offline files use our own readers.
 *
 * <p>{@link #next()} blocks until a frame arrives or {@link #close()} is called, possibly from another thread: close
 * breaks libpcap's wait ({@code pcap_breakloop}) and then waits for the reading thread to leave libpcap before
 * freeing the handle (pcap4j's handle lock does that), so the reader sees {@code null}, never a crash.
 *
 * <p>Kernel drop counters ({@code ps_drop}, {@code ps_ifdrop}) are added to {@link CaptureCounters} on every read
 * timeout, every {@value #STATS_EVERY} frames, and at close.
 */
public final class LivePacketSource implements PacketSource {
    static final int STATS_EVERY = 1 << 16;

    private final String name;
    private final PcapHandle handle;
    private final CaptureCounters counters;
    private final CapturedPacket packet = new CapturedPacket();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closeRequested;
    private volatile CaptureFault fault;
    private long capturedBytes;
    private int untilStats = STATS_EVERY;
    private long reportedDrops;
    private long reportedIfDrops;

    private LivePacketSource(String name, PcapHandle handle, int linkType, CaptureCounters counters) {
        this.name = name;
        this.handle = handle;
        this.counters = counters;
        packet.linkType = linkType;
        packet.sourceIndex = 0;
        packet.interfaceId = 0;
        packet.fileOffset = 0;
    }

    /**
     * Opens an interface and applies the filter.
     *
     * @throws CaptureException with a one-line message for the user: missing libpcap, no permission, unknown or
     *                          down interface, invalid filter
     */
    public static LivePacketSource open(LiveCaptureConfig config, CaptureCounters counters) {
        String iface = config.interfaceName();
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(iface)
                    .snaplen(config.snaplen())
                    .promiscuousMode(config.promiscuous() ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(config.readTimeoutMillis())
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                    .build();
        } catch (PcapNativeException e) {
            throw new CaptureException(openFailureMessage(iface, e.getReturnCode(), e.getMessage()), e);
        } catch (LinkageError e) {
            // JNA could not bind libpcap: pcap4j's native mappings fail to initialise.
            throw new CaptureException("cannot open interface " + iface
                    + ": libpcap not found (install it, e.g. apt-get install libpcap0.8)", e);
        }
        try {
            if (!config.filter().isEmpty()) {
                handle.setFilter(config.filter(), BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            }
            return new LivePacketSource(iface, handle, handle.getDlt().value(), counters);
        } catch (PcapNativeException e) {
            handle.close();
            throw new CaptureException("invalid capture filter '" + config.filter() + "': "
                    + oneLine(e.getMessage()).replaceFirst("^Error occured in pcap_compile: ", ""), e);
        } catch (NotOpenException | RuntimeException e) {
            handle.close();
            throw new CaptureException("cannot open interface " + iface + ": " + oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** The user's line for a failed {@code pcap_create}/{@code pcap_activate}, by libpcap's PCAP_ERROR_ code. */
    static String openFailureMessage(String iface, Integer returnCode, String pcapMessage) {
        String prefix = "cannot open interface " + iface + ": ";
        String message = oneLine(pcapMessage == null ? "" : pcapMessage);
        int rc = returnCode == null ? 0 : returnCode;
        if (rc == -8 || rc == -11 || message.contains("ermission") || message.contains("not permitted")) {
            return prefix + "permission denied (run as root or grant CAP_NET_RAW to java)";
        }
        if (rc == -5 || message.contains("No such device")) {
            return prefix + "no such interface";
        }
        if (rc == -9) {
            return prefix + "interface is down";
        }
        return prefix + (message.isEmpty() ? "libpcap error " + rc : message);
    }

    private static String oneLine(String s) {
        int newline = s.indexOf('\n');
        return (newline < 0 ? s : s.substring(0, newline)).strip();
    }

    private Runnable idle = () -> { };

    @Override
    public void onIdle(Runnable idle) {
        this.idle = idle;
    }

    @Override
    public CapturedPacket next() {
        while (!closeRequested) {
            byte[] raw;
            try {
                raw = handle.getNextRawPacketEx();
            } catch (TimeoutException e) {
                updateDropCounters();
                idle.run();
                continue;
            } catch (EOFException e) {
                // pcap_breakloop: the loop condition decides whether we stop.
                continue;
            } catch (NotOpenException e) {
                return null;
            } catch (PcapNativeException e) {
                if (closeRequested) {
                    return null;
                }
                fault = new CaptureFault(name, 0, CaptureError.IO_ERROR, oneLine(String.valueOf(e.getMessage())));
                counters.errors.increment(CaptureError.IO_ERROR);
                closeRequested = true;
                return null;
            }
            if (raw == null) {
                continue;
            }
            CapturedPacket p = packet;
            int caplen = Math.min(raw.length, p.data.length);
            System.arraycopy(raw, 0, p.data, 0, caplen);
            p.captureLength = caplen;
            Integer original = handle.getOriginalLength();
            p.originalLength = original == null ? caplen : original;
            Timestamp ts = handle.getTimestamp();
            p.timestampNanos = ts == null ? System.currentTimeMillis() * 1_000_000L
                    : Math.floorDiv(ts.getTime(), 1000) * CaptureFileReader.NANOS_PER_SECOND + ts.getNanos();
            capturedBytes += caplen;
            counters.countPacket(p);
            if (--untilStats == 0) {
                untilStats = STATS_EVERY;
                updateDropCounters();
            }
            return p;
        }
        return null;
    }

    /** Adds what libpcap counted since the last call; libpcap's figures are cumulative since open. */
    private synchronized void updateDropCounters() {
        PcapStat stat;
        try {
            stat = handle.getStats();
        } catch (PcapNativeException | NotOpenException e) {
            return;
        }
        long drops = stat.getNumPacketsDropped();
        long ifDrops = stat.getNumPacketsDroppedByIf();
        counters.kernelDrops += Math.max(0, drops - reportedDrops);
        counters.interfaceDrops += Math.max(0, ifDrops - reportedIfDrops);
        reportedDrops = Math.max(reportedDrops, drops);
        reportedIfDrops = Math.max(reportedIfDrops, ifDrops);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CaptureFault fault() {
        return fault;
    }

    @Override
    public List<CaptureFault> warnings() {
        return List.of();
    }

    /** Bytes captured so far (there is no file to measure progress against). */
    @Override
    public long bytesConsumed() {
        return capturedBytes;
    }

    @Override
    public long bytesTotal() {
        return -1;
    }

    /**
     * Stops the capture; safe from any thread and more than once. A thread blocked in {@link #next()} returns null.
     * The final drop counters are added here, so the counters' drop fields may be written by the closing thread.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeRequested = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException ignored) {
            // Already closed.
        }
        updateDropCounters();
        // Blocks until a reader inside libpcap has left it (pcap4j's handle write lock), then frees the handle.
        handle.close();
    }
}
