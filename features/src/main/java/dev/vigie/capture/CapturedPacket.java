package dev.vigie.capture;

/**
 * One captured frame as a flyweight: the reader that owns it overwrites it on every {@code next()} call, so nothing
 * on the packet path allocates. Consumers must copy what they keep.
 */
public final class CapturedPacket {
    /** Largest frame we accept; a record claiming more is malformed (pcap's own limit is 256 KiB). */
    public static final int MAX_CAPTURE_LENGTH = 256 * 1024;

    /** Frame bytes in {@code data[0, captureLength)}. Grows only up to {@link #MAX_CAPTURE_LENGTH}. */
    public byte[] data = new byte[MAX_CAPTURE_LENGTH];
    /** Bytes actually captured (pcap caplen). */
    public int captureLength;
    /** Length of the frame on the wire (pcap origlen); larger than captureLength when the snaplen cut it. */
    public int originalLength;
    /** Capture time, nanoseconds since the Unix epoch. */
    public long timestampNanos;
    /** Link-layer header type of this frame (see {@link LinkType}). */
    public int linkType;
    /** Index of the source among the inputs of one run (file index for files, 0 for a live interface). */
    public int sourceIndex;
    /** pcapng interface id (0 for classic pcap). */
    public int interfaceId;
    /** Byte offset of this record in its (decompressed) file, for error messages. */
    public long fileOffset;

    public void copyFrom(CapturedPacket other) {
        if (data.length < other.captureLength) {
            data = new byte[Math.max(other.captureLength, MAX_CAPTURE_LENGTH)];
        }
        System.arraycopy(other.data, 0, data, 0, other.captureLength);
        captureLength = other.captureLength;
        originalLength = other.originalLength;
        timestampNanos = other.timestampNanos;
        linkType = other.linkType;
        sourceIndex = other.sourceIndex;
        interfaceId = other.interfaceId;
        fileOffset = other.fileOffset;
    }
}
