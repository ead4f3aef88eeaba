package dev.vigie.protocols;

/**
 * Data connections announced on FTP control connections (227, 229, PORT, EPRT), waiting for the flow that uses
 * them: (address, port) → control flow id, with expiry by capture time. The data flow's responder is the announced
 * endpoint in both modes (the client connects to the server's passive port; the server connects to the client's
 * active port), so the lookup key is the new flow's responder.
 *
 * <p>Every new TCP flow is looked up while any expectation is live, so the table is a small open-addressing hash:
 * a lookup probes at most {@link #PROBES} slots. An entry is used once; a full probe window drops its oldest entry.
 */
final class FtpExpectations {
    static final int CAPACITY = 1024;
    static final int PROBES = 8;
    /** Zeek waits as long for the data connection; a client that takes longer has given up anyway. */
    static final long TTL_NS = 5 * 60 * 1_000_000_000L;

    private final long[] hi = new long[CAPACITY];
    private final long[] lo = new long[CAPACITY];
    private final int[] port = new int[CAPACITY];
    private final long[] controlFlow = new long[CAPACITY];
    private final long[] expiresNs = new long[CAPACITY];
    private final boolean[] used = new boolean[CAPACITY];
    private int live;
    private final ProtocolCounters counters;

    FtpExpectations(ProtocolCounters counters) {
        this.counters = counters;
    }

    boolean isEmpty() {
        return live == 0;
    }

    private static int slot(long addrHi, long addrLo, int dataPort) {
        long h = (addrLo * 0x9E3779B97F4A7C15L) ^ (addrHi * 0xC2B2AE3D27D4EB4FL) ^ (dataPort * 0x165667B19E3779F9L);
        return (int) (h ^ (h >>> 29)) & (CAPACITY - 1);
    }

    void expect(long addrHi, long addrLo, int dataPort, long controlFlowId, long nowNs) {
        if (dataPort <= 0 || dataPort > 0xFFFF) {
            return;
        }
        int start = slot(addrHi, addrLo, dataPort);
        int target = -1;
        long oldest = Long.MAX_VALUE;
        for (int k = 0; k < PROBES; k++) {
            int i = (start + k) & (CAPACITY - 1);
            if (!used[i] || nowNs > expiresNs[i]
                    || port[i] == dataPort && lo[i] == addrLo && hi[i] == addrHi) {
                target = i;                          // free, expired, or the same endpoint announced again
                break;
            }
            if (expiresNs[i] < oldest) {
                oldest = expiresNs[i];
                target = i;
            }
        }
        if (used[target]) {
            live--;
            if (!(port[target] == dataPort && lo[target] == addrLo && hi[target] == addrHi)) {
                counters.expectationsDropped++;          // expired unused, or pushed out of a full window
            }
        }
        hi[target] = addrHi;
        lo[target] = addrLo;
        port[target] = dataPort;
        controlFlow[target] = controlFlowId;
        expiresNs[target] = nowNs + TTL_NS;
        used[target] = true;
        live++;
        counters.expectationsAdded++;
    }

    /** The control flow id that announced ({@code addrHi, addrLo}, {@code dataPort}), consuming it; -1 if none. */
    long match(long addrHi, long addrLo, int dataPort, long nowNs) {
        int start = slot(addrHi, addrLo, dataPort);
        for (int k = 0; k < PROBES; k++) {
            int i = (start + k) & (CAPACITY - 1);
            if (used[i] && port[i] == dataPort && lo[i] == addrLo && hi[i] == addrHi) {
                used[i] = false;
                live--;
                if (nowNs > expiresNs[i]) {
                    counters.expectationsDropped++;
                    return -1;
                }
                counters.expectationsMatched++;
                return controlFlow[i];
            }
        }
        return -1;
    }
}
