package dev.vigie.dlp;

/** Run-wide counters of the content scanner: everything it skipped, cut or refused is counted here. */
public final class DlpCounters {
    /** Flows whose payload was scanned (clear text). */
    public long flowsScanned;
    /** Flows skipped because their first payload is TLS or SSH: they cost one check per packet afterwards. */
    public long flowsEncrypted;
    /** Payload bytes scanned. */
    public long bytesScanned;
    /** Directions that reached the per-direction byte cap (the rest of that direction is not scanned). */
    public long capReached;
    /** TCP segments ahead of the expected sequence number (a hole: lost or reordered); scanning resumes after them. */
    public long gaps;
    /** Retransmitted bytes already scanned, skipped. */
    public long retransmittedBytes;
    /** Digit runs longer than the longest identifier (endless digit lines), skipped without evaluation. */
    public long longRuns;
    /** NIR/INS matches with a valid key. */
    public long nir;
    /** 15-character runs that failed NIR validation (bad key, month or sex digit): counted, not reported. */
    public long nirBadKey;
    /** Payment card matches. */
    public long cards;
    /** Scanner exceptions (never expected): scanning stops for that flow. */
    public long exceptions;
}
