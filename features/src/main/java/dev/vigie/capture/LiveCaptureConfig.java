package dev.vigie.capture;

/**
 * How to open a live interface.
 *
 * @param interfaceName     e.g. "eth0" or "any"
 * @param filter            BPF expression applied in the kernel, or "" for everything
 * @param snaplen           bytes kept per frame, 1..{@link CapturedPacket#MAX_CAPTURE_LENGTH}
 * @param promiscuous       capture frames not addressed to this host
 * @param readTimeoutMillis how long libpcap may hold packets before delivering them; also bounds how long
 *                          {@link LivePacketSource#close()} from another thread waits if the wake-up is missed
 */
public record LiveCaptureConfig(String interfaceName, String filter, int snaplen, boolean promiscuous, int readTimeoutMillis) {
    public static final int DEFAULT_SNAPLEN = CapturedPacket.MAX_CAPTURE_LENGTH;
    public static final int DEFAULT_READ_TIMEOUT_MILLIS = 100;

    public LiveCaptureConfig {
        if (interfaceName == null || interfaceName.isBlank()) {
            throw new IllegalArgumentException("interface name is empty");
        }
        filter = filter == null ? "" : filter.strip();
        if (snaplen < 1 || snaplen > CapturedPacket.MAX_CAPTURE_LENGTH) {
            throw new IllegalArgumentException("snaplen " + snaplen + " not in 1.." + CapturedPacket.MAX_CAPTURE_LENGTH);
        }
        if (readTimeoutMillis < 1) {
            throw new IllegalArgumentException("read timeout " + readTimeoutMillis + " ms must be positive");
        }
    }

    /** Whole frames, promiscuous, no filter, 100 ms timeout. */
    public static LiveCaptureConfig of(String interfaceName) {
        return new LiveCaptureConfig(interfaceName, "", DEFAULT_SNAPLEN, true, DEFAULT_READ_TIMEOUT_MILLIS);
    }

    public LiveCaptureConfig withFilter(String bpf) {
        return new LiveCaptureConfig(interfaceName, bpf, snaplen, promiscuous, readTimeoutMillis);
    }

    public LiveCaptureConfig withSnaplen(int bytes) {
        return new LiveCaptureConfig(interfaceName, filter, bytes, promiscuous, readTimeoutMillis);
    }

    public LiveCaptureConfig withPromiscuous(boolean on) {
        return new LiveCaptureConfig(interfaceName, filter, snaplen, on, readTimeoutMillis);
    }

    public LiveCaptureConfig withReadTimeoutMillis(int millis) {
        return new LiveCaptureConfig(interfaceName, filter, snaplen, promiscuous, millis);
    }
}
