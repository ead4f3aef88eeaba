package dev.vigie.capture;

/** Every way a capture input can be bad; each has a counter in {@link CaptureCounters}. */
public enum CaptureError {
    UNREADABLE("cannot read the input"),
    NOT_A_FILE("not a regular file"),
    EMPTY_FILE("empty file"),
    BAD_MAGIC("not a pcap or pcapng file (unknown magic number)"),
    TRUNCATED_FILE_HEADER("file header truncated"),
    TRUNCATED_RECORD_HEADER("record header truncated"),
    TRUNCATED_RECORD("record data truncated"),
    CAPLEN_TOO_LARGE("record length above 256 KiB"),
    CAPLEN_ABOVE_SNAPLEN("record length above the file's snaplen"),
    BAD_BLOCK_LENGTH("pcapng block with an invalid length"),
    BAD_BLOCK_TRAILER("pcapng block trailer length differs from its header"),
    UNKNOWN_INTERFACE("pcapng packet refers to an interface that was not described"),
    UNSUPPORTED_VERSION("unsupported format version"),
    GZIP_CORRUPT("corrupt gzip data"),
    IO_ERROR("I/O error");

    private final String description;

    CaptureError(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
