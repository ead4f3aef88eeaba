package dev.vigie.capture;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.ZipException;

/**
 * What the pcap and pcapng readers share: the buffer, the flyweight, and the rule that nothing escapes
 * {@link #next()}: a fault ends the source, is counted and kept in {@link #fault()}; a non-fatal anomaly is counted
 * every time and described once per kind in {@link #warnings()}.
 */
abstract class CaptureFileReader implements PacketSource {
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    protected final String name;
    protected final InputBuffer in;
    protected final CaptureCounters counters;
    protected final CapturedPacket packet = new CapturedPacket();

    private CaptureFault fault;
    private final List<CaptureFault> warnings = new ArrayList<>(2);
    private final EnumSet<CaptureError> warned = EnumSet.noneOf(CaptureError.class);
    private boolean finished;
    private boolean closed;

    CaptureFileReader(String name, InputBuffer in, int sourceIndex, CaptureCounters counters) {
        this.name = name;
        this.in = in;
        this.counters = counters;
        packet.sourceIndex = sourceIndex;
    }

    /**
     * Reads the next frame into {@link #packet}.
     *
     * @return the packet, or null at the end of input or after {@link #fail}
     */
    protected abstract CapturedPacket readNext() throws IOException;

    @Override
    public final CapturedPacket next() {
        if (finished) {
            return null;
        }
        try {
            CapturedPacket p = readNext();
            if (p == null) {
                finished = true;
            }
            return p;
        } catch (ZipException | EOFException e) {
            // Only the gzip layer throws these; a plain file's end shows as a short read.
            return fail(in.offset(), CaptureError.GZIP_CORRUPT, gzipDetail(e));
        } catch (ClosedChannelException e) {
            if (closed) {
                finished = true;
                return null;
            }
            return fail(in.offset(), CaptureError.IO_ERROR, "input closed");
        } catch (IOException e) {
            return fail(in.offset(), CaptureError.IO_ERROR, String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            // A bug must not kill a long run over many files; the fault names it so it gets reported.
            return fail(in.offset(), CaptureError.IO_ERROR, "internal error: " + e);
        }
    }

    private String gzipDetail(IOException e) {
        String what = e instanceof EOFException ? "truncated gzip stream" : String.valueOf(e.getMessage());
        return what + ", after " + in.consumed() + " compressed bytes";
    }

    /** Records a fatal fault, stops the source and returns null (for {@code return fail(...)}). */
    protected final CapturedPacket fail(long offset, CaptureError error, String detail) {
        if (fault == null) {
            fault = new CaptureFault(name, offset, error, detail);
            counters.errors.increment(error);
        }
        finished = true;
        return null;
    }

    /** Counts a non-fatal anomaly; the first of each kind is kept for the user. */
    protected final void warn(long offset, CaptureError error, String detail) {
        counters.errors.increment(error);
        if (warned.add(error)) {
            warnings.add(new CaptureFault(name, offset, error, detail));
        }
    }

    /** Hands out the filled flyweight. */
    protected final CapturedPacket emit() {
        counters.countPacket(packet);
        return packet;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final CaptureFault fault() {
        return fault;
    }

    @Override
    public final List<CaptureFault> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public final long bytesConsumed() {
        return in.consumed();
    }

    @Override
    public final long bytesTotal() {
        return in.total();
    }

    @Override
    public final void close() {
        closed = true;
        finished = true;
        in.close();
    }
}
