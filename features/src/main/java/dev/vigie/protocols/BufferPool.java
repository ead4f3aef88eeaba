package dev.vigie.protocols;

/**
 * Fixed-size byte arrays recycled between flows, so that reassembly buffers cost nothing in steady state. Single
 * threaded; keeps at most {@code maxFree} spare arrays, and lets the garbage collector have the rest.
 */
final class BufferPool {
    private final int size;
    private final byte[][] free;
    private int count;
    private final ProtocolCounters counters;

    BufferPool(int size, int maxFree, ProtocolCounters counters) {
        this.size = size;
        this.free = new byte[maxFree][];
        this.counters = counters;
    }

    int size() {
        return size;
    }

    byte[] take() {
        if (count > 0) {
            byte[] b = free[--count];
            free[count] = null;
            return b;
        }
        counters.bufferAllocations++;
        return new byte[size];
    }

    void give(byte[] b) {
        if (b != null && b.length == size && count < free.length) {
            free[count++] = b;
        }
    }
}
