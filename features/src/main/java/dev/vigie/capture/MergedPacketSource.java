package dev.vigie.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * Several sources as one stream in timestamp order: a k-way merge over a binary heap of the inputs' current
 * packets. Equal timestamps come out in input order, so a run is reproducible.
 *
 * <p>No packet is copied: each input's flyweight stays valid until that input's next {@code next()}, and we only
 * advance the input whose packet we handed out last. An input that faults simply leaves the merge; the others go
 * on. An input that is itself out of order is not re-sorted: its packets come out when they reach the heap top.
 */
public final class MergedPacketSource implements PacketSource {
    private final PacketSource[] inputs;
    private final CapturedPacket[] heads;
    private final long[] keys;
    /** Heap of input indexes ordered by (keys[i], i). */
    private final int[] heap;
    private int size;
    private int last = -1;
    private boolean started;

    public MergedPacketSource(List<? extends PacketSource> inputs) {
        this.inputs = inputs.toArray(new PacketSource[0]);
        int n = this.inputs.length;
        heads = new CapturedPacket[n];
        keys = new long[n];
        heap = new int[n];
    }

    @Override
    public CapturedPacket next() {
        if (!started) {
            started = true;
            for (int i = 0; i < inputs.length; i++) {
                CapturedPacket p = inputs[i].next();
                if (p != null) {
                    heads[i] = p;
                    keys[i] = p.timestampNanos;
                    heap[size] = i;
                    siftUp(size++);
                }
            }
        } else if (last >= 0) {
            // `last` is still at the heap top: nothing else moved since we returned it.
            CapturedPacket p = inputs[last].next();
            if (p == null) {
                heads[last] = null;
                heap[0] = heap[--size];
            } else {
                heads[last] = p;
                keys[last] = p.timestampNanos;
            }
            if (size > 0) {
                siftDown(0);
            }
        }
        if (size == 0) {
            last = -1;
            return null;
        }
        last = heap[0];
        return heads[last];
    }

    private boolean before(int a, int b) {
        return keys[a] < keys[b] || (keys[a] == keys[b] && a < b);
    }

    private void siftUp(int at) {
        int item = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(item, heap[parent])) {
                break;
            }
            heap[at] = heap[parent];
            at = parent;
        }
        heap[at] = item;
    }

    private void siftDown(int at) {
        int item = heap[at];
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], item)) {
                break;
            }
            heap[at] = heap[child];
            at = child;
        }
        heap[at] = item;
    }

    /** The merged inputs, in input order. */
    public List<PacketSource> inputs() {
        return List.of(inputs);
    }

    /** Faults of all inputs that have one, in input order. */
    public List<CaptureFault> faults() {
        List<CaptureFault> out = new ArrayList<>();
        for (PacketSource s : inputs) {
            if (s.fault() != null) {
                out.add(s.fault());
            }
        }
        return out;
    }

    /** The first input's fault (in input order); see {@link #faults()} for all of them. */
    @Override
    public CaptureFault fault() {
        for (PacketSource s : inputs) {
            if (s.fault() != null) {
                return s.fault();
            }
        }
        return null;
    }

    @Override
    public List<CaptureFault> warnings() {
        List<CaptureFault> out = new ArrayList<>();
        for (PacketSource s : inputs) {
            out.addAll(s.warnings());
        }
        return out;
    }

    @Override
    public String name() {
        return inputs.length == 1 ? inputs[0].name() : inputs.length + " inputs";
    }

    @Override
    public long bytesConsumed() {
        long sum = 0;
        for (PacketSource s : inputs) {
            sum += s.bytesConsumed();
        }
        return sum;
    }

    @Override
    public long bytesTotal() {
        long sum = 0;
        for (PacketSource s : inputs) {
            long t = s.bytesTotal();
            if (t < 0) {
                return -1;
            }
            sum += t;
        }
        return sum;
    }

    /** Closes every input, even if one of them fails to close. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (PacketSource s : inputs) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
