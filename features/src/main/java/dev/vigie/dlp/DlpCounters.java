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
    /** IPP matches: the site pattern with context (keyword, CSV column or HL7 PID-3). */
    public long ipp;
    /** IEP matches: the site pattern with context (keyword, CSV column or HL7 PV1-19 / PID-18). */
    public long iep;
    /** Whole tokens that fit the IPP pattern without context: not reported (bare numbers are everywhere). */
    public long ippNoContext;
    /** Whole tokens that fit the IEP pattern without context: not reported. */
    public long iepNoContext;
    /** HL7 PID segments seen (lines starting {@code PID|}). */
    public long hl7PidSegments;
    /** HL7 PID segments whose PID-5 (patient name) holds a letter: identifiable patients, names never kept. */
    public long hl7Patients;
    /** Payment card matches. */
    public long cards;
    /** Scanner exceptions (never expected): scanning stops for that flow. */
    public long exceptions;
}
