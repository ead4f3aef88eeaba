package dev.vigie.protocols;

/**
 * Data connections announced on FTP control connections (227, 229, PORT, EPRT), waiting for the flow that uses
 * them: a fixed ring of (address, port) → control flow id, with expiry by capture time. The data flow's responder
 * is the announced endpoint in both modes (the client connects to the server's passive port; the server connects
 * to the client's active port), so the lookup key is the new flow's responder. When the ring is full the oldest
 * expectation is overwritten; an entry is used once.
 */
final class FtpExpectations {
    static final int CAPACITY = 256;
    /** Zeek waits as long for the data connection; a client that takes longer has given up anyway. */
    static final long TTL_NS = 5 * 60 * 1_000_000_000L;

    private final long[] hi = new long[CAPACITY];
    private final long[] lo = new long[CAPACITY];
    private final int[] port = new int[CAPACITY];
    private final long[] controlFlow = new long[CAPACITY];
    private final long[] expiresNs = new long[CAPACITY];
    private final boolean[] used = new boolean[CAPACITY];
    private int next;
    private int live;
    private final ProtocolCounters counters;

    FtpExpectations(ProtocolCounters counters) {
        this.counters = counters;
    }

    boolean isEmpty() {
        return live == 0;
    }

    void expect(long addrHi, long addrLo, int dataPort, long controlFlowId, long nowNs) {
        if (dataPort <= 0 || dataPort > 0xFFFF) {
            return;
        }
        int i = next;
        next = (next + 1) % CAPACITY;
        if (used[i]) {
            counters.expectationsDropped++;
        } else {
            live++;
        }
        hi[i] = addrHi;
        lo[i] = addrLo;
        port[i] = dataPort;
        controlFlow[i] = controlFlowId;
        expiresNs[i] = nowNs + TTL_NS;
        used[i] = true;
        counters.expectationsAdded++;
    }

    /** The control flow id that announced ({@code addrHi, addrLo}, {@code dataPort}), consuming it; -1 if none. */
    long match(long addrHi, long addrLo, int dataPort, long nowNs) {
        for (int i = 0; i < CAPACITY && live > 0; i++) {
            if (!used[i]) {
                continue;
            }
            if (nowNs > expiresNs[i]) {
                used[i] = false;
                live--;
                counters.expectationsDropped++;
                continue;
            }
            if (port[i] == dataPort && lo[i] == addrLo && hi[i] == addrHi) {
                used[i] = false;
                live--;
                counters.expectationsMatched++;
                return controlFlow[i];
            }
        }
        return -1;
    }
}
