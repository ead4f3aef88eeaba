package dev.vigie.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.function.LongSupplier;

/**
 * A large reusable window over a capture's (decompressed) byte stream. Readers parse records in place with absolute
 * gets at {@link #pos} and refill with compaction, so the steady state costs one {@code read} per window and no
 * allocation.
 *
 * <p>The buffer is direct so that a {@link FileChannel} reads straight into it (a heap buffer would go through a
 * JDK temporary direct buffer and be copied twice). Not thread-safe: one reader thread owns it.
 */
final class InputBuffer implements AutoCloseable {
    /** Must hold the largest record a reader needs contiguous: a pcapng packet block head plus 256 KiB of data. */
    static final int DEFAULT_CAPACITY = 1 << 20;
    /** A pcapng EPB head (28 bytes) plus the largest frame, with room to spare. */
    static final int MIN_CAPACITY = CapturedPacket.MAX_CAPTURE_LENGTH + 4096;

    final ByteBuffer buf;
    /** Next unread byte in {@link #buf}. Readers advance it directly once they have consumed a record. */
    int pos;
    /** End of valid data in {@link #buf}. */
    int limit;
    /** Stream offset of {@code buf[0]}. */
    private long base;
    private boolean eof;

    private final ReadableByteChannel channel;
    /** Non-null for seekable plain files: skips become seeks. */
    private final FileChannel seekable;
    private final long total;
    /** For compressed input: bytes read from the file so far; null when the stream offset is the file offset. */
    private final LongSupplier compressedConsumed;
    private final boolean compressed;

    InputBuffer(ReadableByteChannel channel, FileChannel seekable, long total, LongSupplier compressedConsumed, int capacity) {
        this.channel = channel;
        this.seekable = seekable;
        this.total = total;
        this.compressedConsumed = compressedConsumed;
        this.compressed = compressedConsumed != null;
        if (capacity < MIN_CAPACITY) {
            throw new IllegalArgumentException("read buffer of " + capacity + " bytes, at least " + MIN_CAPACITY + " needed");
        }
        this.buf = ByteBuffer.allocateDirect(capacity);
    }

    int capacity() {
        return buf.capacity();
    }

    /** Stream offset of the next unread byte. */
    long offset() {
        return base + pos;
    }

    int available() {
        return limit - pos;
    }

    /** Size of the (decompressed) stream if known up front: a plain regular file's size; else -1. */
    long streamSize() {
        return compressed ? -1 : total;
    }

    /** Size of the input as stored (the file size), or -1 for pipes and devices. */
    long total() {
        return total;
    }

    boolean isCompressed() {
        return compressed;
    }

    /** Input bytes consumed so far, for progress: compressed bytes for gzip input. */
    long consumed() {
        return compressed ? compressedConsumed.getAsLong() : offset();
    }

    /**
     * Makes at least {@code n} bytes (at most {@link #capacity()}) available from {@link #pos}.
     *
     * @return false if the input ends first; whatever was there stays available
     */
    boolean ensure(int n) throws IOException {
        return limit - pos >= n || fill(n);
    }

    private boolean fill(int n) throws IOException {
        if (n > buf.capacity()) {
            throw new IllegalArgumentException("record of " + n + " bytes exceeds the read buffer");
        }
        int remaining = limit - pos;
        if (pos > 0) {
            if (remaining > 0) {
                buf.put(0, buf, pos, remaining);
            }
            base += pos;
            pos = 0;
            limit = remaining;
        }
        while (limit < n && !eof) {
            buf.limit(buf.capacity()).position(limit);
            int read = channel.read(buf);
            if (read < 0) {
                eof = true;
            } else {
                limit += read;
            }
        }
        return limit >= n;
    }

    /**
     * Skips {@code n} bytes, seeking when the input is a plain file.
     *
     * @return false if the input ended first (the offset is then the end of input)
     */
    boolean skip(long n) throws IOException {
        int remaining = limit - pos;
        if (n <= remaining) {
            pos += (int) n;
            return true;
        }
        n -= remaining;
        base += limit;
        pos = 0;
        limit = 0;
        if (seekable != null) {
            long at = seekable.position();
            long step = Math.min(n, Math.max(0, total - at));
            seekable.position(at + step);
            base += step;
            if (step < n) {
                eof = true;
                return false;
            }
            return true;
        }
        while (n > 0) {
            if (!fill(1)) {
                return false;
            }
            int step = (int) Math.min(n, limit - pos);
            pos += step;
            n -= step;
        }
        return true;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read-only input loses nothing.
        }
    }
}
