package dev.vigie.dlp;

/** Per-flow scanner state: two direction scanners, counts per kind, a bounded list of keyed hashes. */
final class DlpState {
    /** Shared marker attached to flows that are not scanned (encrypted): no per-flow allocation for them. */
    static final DlpState SKIPPED = new DlpState(0);

    final DirectionScanner orig;
    final DirectionScanner resp;
    int nir;
    int cards;
    int badNir;
    int ipp;
    int iep;
    int hl7Patients;
    int gaps;
    final String[] hashes;
    final String[] masks;
    int hashCount;
    boolean failed;

    /** Next free state in {@link DlpAnalyzer}'s pool; null while in use. */
    DlpState nextFree;

    DlpState(int maxHashes) {
        this.orig = new DirectionScanner();
        this.resp = new DirectionScanner();
        this.hashes = new String[Math.max(0, maxHashes)];
        this.masks = new String[hashes.length];
    }

    /**
     * Back to the state of a new one, for the next flow (both scanners' pooled buffers must have been released):
     * the analyzer keeps ended flows' states in a pool instead of allocating ~1.2 KB per scanned flow, which the
     * sensor's young collections then copied for every flow still live.
     */
    void reset() {
        orig.reset();
        resp.reset();
        nir = cards = badNir = ipp = iep = hl7Patients = gaps = 0;
        java.util.Arrays.fill(hashes, null);
        java.util.Arrays.fill(masks, null);
        hashCount = 0;
        failed = false;
    }

    boolean skipped() {
        return this == SKIPPED;
    }

    /** True when {@code h} is new and there is room for it. */
    boolean wants(String h) {
        if (hashCount >= hashes.length) {
            return false;
        }
        for (int i = 0; i < hashCount; i++) {
            if (hashes[i].equals(h)) {
                return false;
            }
        }
        return true;
    }

    /** A new value's keyed hash and masked form, at the same index. */
    void add(String h, String mask) {
        hashes[hashCount] = h;
        masks[hashCount] = mask;
        hashCount++;
    }

    String joinedHashes() {
        if (hashCount == 0) {
            return null;
        }
        return String.join(",", java.util.Arrays.asList(hashes).subList(0, hashCount));
    }

    String joinedMasks() {
        if (hashCount == 0) {
            return null;
        }
        return String.join(",", java.util.Arrays.asList(masks).subList(0, hashCount));
    }
}
