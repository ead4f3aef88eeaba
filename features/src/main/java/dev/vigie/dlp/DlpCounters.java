package dev.vigie.dlp;

/** Run-wide counters of the content scanner: everything it skipped, cut or refused is counted here. */
public final class DlpCounters {
    /** Flows whose payload was scanned (clear text). */
    public long flowsScanned;
    /** Flows skipped because their first payload is TLS or SSH: they cost one check per packet afterwards. */
    public long flowsEncrypted;
    /** Payload bytes scanned. */
    public long bytesScanned;
    /** Payload bytes not scanned because their chunk sniffed binary (compressed, image, binary protocol). */
    public long bytesBinary;
    /** Directions that reached the per-direction byte cap (the rest of that direction is not scanned). */
    public long capReached;
    /** TCP segments ahead of the expected sequence number (a hole: lost or reordered); scanning resumes after them. */
    public long gaps;
    /** Segments that arrived ahead of the stream and were held until the hole before them filled (or not). */
    public long reorderHeld;
    /** Holes closed by a late segment: the held bytes were scanned in order, nothing lost. */
    public long reorderFilled;
    /** Held segments given up on (the hole stayed open for 8 more segments, or a second hole came): a gap. */
    public long reorderGivenUp;
    /** Out-of-order segments not held because every reorder buffer was lent (the global cap): a gap. */
    public long reorderCapHit;
    /** Held bytes still waiting when their flow ended (the hole never filled): not scanned. */
    public long reorderDroppedBytes;
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
    /** HTTP bodies whose framing needs decoding and were decoded (chunked or compressed). */
    public long httpDecodedBodies;
    /** HTTP directions that reached the wire-byte cap (4 x the output cap) before the output cap. */
    public long httpRawCapped;
    /** HTTP framing lost (no start line after a body, bad chunk line, hole in a body): the rest is scanned as is. */
    public long httpDesync;
    /** Bodies with a Content-Encoding other than gzip/deflate/identity (br, zstd): scanned as they are. */
    public long httpUnsupportedEncoding;
    /** Compressed bodies not inflated because every pooled inflater was in use. */
    public long inflaterBusy;
    /** Inflaters created (at most the pool size for the run). */
    public long inflatersCreated;
    /** Compressed bodies cut by the inflate ratio cap (gzip bomb). */
    public long inflateRatioCapped;
    /** Compressed bodies that failed to inflate (corrupt, preset dictionary, not gzip): rest of the body skipped. */
    public long inflateErrors;
    /** Chunk-size lines longer than 1 KiB (an endless line): decoding of the direction stopped. */
    public long chunkLineCapped;
    /** Chunks announced larger than the chunk-size cap: decoding of the direction stopped. */
    public long chunkSizeCapped;
    /** Scanner exceptions (never expected): scanning stops for that flow. */
    public long exceptions;

    /** One line for a run's summary: what was read, what was found, and every limit that was hit. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "flows %d scanned, %d encrypted skipped; %,d bytes read, %,d binary skipped; NIR %d (%d bad key), "
                        + "card %d, IPP %d, IEP %d, HL7 patients %d; holes %d (reordered: %d held, %d filled, %d given up, "
                        + "%d at the 8 MiB cap); caps: per-direction %d, inflate ratio %d, chunk size %d, chunk line %d; "
                        + "exceptions %d",
                flowsScanned, flowsEncrypted, bytesScanned, bytesBinary, nir, nirBadKey, cards, ipp, iep, hl7Patients,
                gaps, reorderHeld, reorderFilled, reorderGivenUp, reorderCapHit, capReached, inflateRatioCapped,
                chunkSizeCapped, chunkLineCapped, exceptions);
    }
}
