package dev.vigie.capture;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opens capture files: classic pcap (µs or ns, either byte order), pcapng, and either of them gzip-compressed. */
public final class CaptureFiles {
    private static final int GZIP_BUFFER = 64 * 1024;
    private static final int[] MAGICS = {
        PcapReader.MAGIC_MICROS, Integer.reverseBytes(PcapReader.MAGIC_MICROS),
        PcapReader.MAGIC_NANOS, Integer.reverseBytes(PcapReader.MAGIC_NANOS),
        PcapngReader.SHB,
    };

    private CaptureFiles() {}

    /**
     * Opens a capture file. Never throws: an input that cannot be read gives a source whose {@code next()} returns
     * null and whose {@code fault()} says why (the fault is also counted in {@code counters.errors}).
     *
     * @param sourceIndex stamped on every packet ({@link CapturedPacket#sourceIndex})
     * @param counters    where the reader counts packets and faults; shared by all inputs of a run
     */
    public static PacketSource open(Path path, int sourceIndex, CaptureCounters counters) {
        return open(path, sourceIndex, counters, InputBuffer.DEFAULT_CAPACITY);
    }

    /** Opens every path in order, source indexes 0..n-1, merged in timestamp order. */
    public static MergedPacketSource openAll(List<Path> paths, CaptureCounters counters) {
        List<PacketSource> sources = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            sources.add(open(paths.get(i), i, counters));
        }
        return new MergedPacketSource(sources);
    }

    static PacketSource open(Path path, int sourceIndex, CaptureCounters counters, int bufferCapacity) {
        String name = path.toString();
        BasicFileAttributes attributes;
        FileInputStream file;
        FileChannel channel;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                return failed(name, counters, 0, CaptureError.NOT_A_FILE, "a directory");
            }
            // A FileInputStream rather than FileChannel.open: the gzip layer asks the stream for available(), which
            // only FileInputStream answers on a pipe (the channel's stream tries to seek and fails).
            file = new FileInputStream(path.toFile());
            channel = file.getChannel();
        } catch (NoSuchFileException e) {
            return failed(name, counters, 0, CaptureError.UNREADABLE, "no such file");
        } catch (AccessDeniedException e) {
            return failed(name, counters, 0, CaptureError.UNREADABLE, "permission denied");
        } catch (FileNotFoundException e) {
            String message = String.valueOf(e.getMessage());
            return failed(name, counters, 0, CaptureError.UNREADABLE,
                    message.contains("Permission denied") ? "permission denied" : message);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return failed(name, counters, 0, CaptureError.UNREADABLE, String.valueOf(e.getMessage()));
        }
        // Pipes and devices (e.g. "tcpdump -w - | vigie") read as streams: no size, no seeking.
        boolean regular = attributes.isRegularFile();
        InputBuffer in = null;
        try {
            long size = regular ? channel.size() : -1;
            if (size == 0) {
                channel.close();
                return failed(name, counters, 0, CaptureError.EMPTY_FILE, null);
            }
            in = new InputBuffer(channel, regular ? channel : null, size, null, bufferCapacity);
            in.ensure(4);
            ByteBuffer b = in.buf.order(ByteOrder.BIG_ENDIAN);
            if (in.available() >= 2 && (b.getShort(in.pos) & 0xFFFF) == 0x1f8b) {
                // Hand the gzip layer what we already read, then the rest of the file.
                byte[] head = new byte[in.available()];
                b.get(in.pos, head);
                CountingInputStream compressed = new CountingInputStream(
                        new SequenceInputStream(new ByteArrayInputStream(head), file));
                InputStream gzip;
                try {
                    gzip = new GZIPInputStream(compressed, GZIP_BUFFER);
                } catch (ZipException | EOFException e) {
                    channel.close();
                    String detail = e instanceof EOFException ? "truncated gzip header" : e.getMessage();
                    return failed(name, counters, 0, CaptureError.GZIP_CORRUPT, detail);
                }
                in = new InputBuffer(new StreamChannel(gzip), null, size, compressed::count, bufferCapacity);
                try {
                    in.ensure(4);
                } catch (ZipException | EOFException e) {
                    in.close();
                    String detail = e instanceof EOFException ? "truncated gzip stream" : e.getMessage();
                    return failed(name, counters, 0, CaptureError.GZIP_CORRUPT, detail);
                }
                if (in.available() == 0) {
                    in.close();
                    return failed(name, counters, 0, CaptureError.EMPTY_FILE, "gzip holds no data");
                }
            }
            return sniff(name, in, sourceIndex, counters);
        } catch (IOException | RuntimeException e) {
            if (in != null) {
                in.close();
            } else {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Already failing.
                }
            }
            return failed(name, counters, 0, CaptureError.IO_ERROR, String.valueOf(e.getMessage()));
        }
    }

    private static PacketSource sniff(String name, InputBuffer in, int sourceIndex, CaptureCounters counters) throws IOException {
        int have = in.available();
        if (have == 0) {
            in.close();
            return failed(name, counters, 0, CaptureError.EMPTY_FILE, null);
        }
        ByteBuffer b = in.buf.order(ByteOrder.BIG_ENDIAN);
        if (have < 4) {
            // Tell a cut-off capture from a file that was never one.
            for (int magic : MAGICS) {
                boolean prefix = true;
                for (int i = 0; i < have; i++) {
                    prefix &= b.get(in.pos + i) == (byte) (magic >>> (24 - 8 * i));
                }
                if (prefix) {
                    in.close();
                    return failed(name, counters, 0, CaptureError.TRUNCATED_FILE_HEADER, have + " bytes");
                }
            }
            in.close();
            return failed(name, counters, 0, CaptureError.BAD_MAGIC, null);
        }
        int magic = b.getInt(in.pos);
        if (magic == PcapngReader.SHB) {
            return new PcapngReader(name, in, sourceIndex, counters);
        }
        for (int i = 0; i < 4; i++) {
            if (magic == MAGICS[i]) {
                return new PcapReader(name, in, sourceIndex, counters);
            }
        }
        in.close();
        return failed(name, counters, 0, CaptureError.BAD_MAGIC, "0x" + String.format("%08x", magic));
    }

    private static PacketSource failed(String name, CaptureCounters counters, long offset, CaptureError error, String detail) {
        counters.errors.increment(error);
        return new FaultedSource(new CaptureFault(name, offset, error, detail));
    }

    /** A source that could not be opened: no packets, one fault. */
    private record FaultedSource(CaptureFault fault) implements PacketSource {
        @Override
        public CapturedPacket next() {
            return null;
        }

        @Override
        public String name() {
            return fault.input();
        }

        @Override
        public long bytesConsumed() {
            return 0;
        }

        /** Nothing to read, so nothing for a progress total to wait for. */
        @Override
        public long bytesTotal() {
            return 0;
        }

        @Override
        public void close() {}
    }

    /** Counts compressed bytes pulled by the gzip layer, for progress. */
    private static final class CountingInputStream extends FilterInputStream {
        private volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            count += skipped;
            return skipped;
        }
    }

    /**
     * A stream as a channel with a large transfer chunk ({@link Channels#newChannel(InputStream)} moves 8 KiB per
     * call, which would make every buffer refill hundreds of calls).
     */
    private static final class StreamChannel implements ReadableByteChannel {
        private final InputStream in;
        private final byte[] chunk = new byte[GZIP_BUFFER];
        private boolean open = true;

        StreamChannel(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = in.read(chunk, 0, Math.min(chunk.length, dst.remaining()));
            if (n > 0) {
                dst.put(chunk, 0, n);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            in.close();
        }
    }
}
