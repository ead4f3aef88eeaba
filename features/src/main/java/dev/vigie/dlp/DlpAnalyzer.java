package dev.vigie.dlp;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.features.FeatureAnalyzer;
import dev.vigie.features.FlowRow;
import dev.vigie.flow.Flow;
import dev.vigie.schema.Column;
import dev.vigie.schema.Columns;
import java.util.List;

/**
 * Patient-data leak detection on clear-text payloads: scans the first {@link DlpConfig#maxBytesPerDirection} bytes
 * of each direction of every TCP stream and UDP flow for NIR/INS and payment card numbers, and writes per-flow
 * counts and keyed hashes as columns. Never a clear identifier in a column (see docs/dlp.md).
 *
 * <p>Cost model: the decision is taken on a flow's first payload packet. A TLS record or an SSH banner there
 * attaches the shared {@link DlpState#SKIPPED} marker: the flow then costs one attachment check per packet and no
 * allocation. A clear-text flow gets one {@link DlpState} (two 24-byte run buffers), and each of its payload
 * bytes costs one comparison chain until the direction's cap; nothing is buffered, so memory per flow is fixed
 * and the global memory is bounded by the flow table's own flow cap.
 */
public final class DlpAnalyzer implements FeatureAnalyzer {
    private final DlpConfig config;
    private final DlpCounters counters = new DlpCounters();
    private final DlpScanner scanner;
    private final List<Column<FlowRow>> columns;
    private int slot;
    private int slotCount = 1;
    /**
     * States of ended flows, for the next scanned flows (single-threaded, like the flow table the analyzer is bound
     * to): it grows to the peak number of scanned flows live at once, which the table's flow limit bounds.
     */
    private DlpState free;

    public DlpAnalyzer(DlpConfig config) {
        this.config = config;
        this.scanner = new DlpScanner(config, counters);
        this.columns = List.of(
                Columns.int32OrNull("dlp_nir", "count",
                        "NIR/INS numbers with a valid key seen in the flow's scanned payload, both directions.",
                        r -> { DlpState s = state(r); return s == null ? -1 : s.nir; }),
                Columns.int32OrNull("dlp_nir_invalid", "count",
                        "15-character digit runs shaped like a NIR whose validation failed (bad key, month or sex digit).",
                        r -> { DlpState s = state(r); return s == null ? -1 : s.badNir; }),
                Columns.int32OrNull("dlp_cards", "count",
                        "Payment card numbers (Visa, Mastercard, Amex, Discover prefixes, valid Luhn digit) seen in the scanned payload.",
                        r -> { DlpState s = state(r); return s == null ? -1 : s.cards; }),
                Columns.int32OrNull("dlp_ipp", "count",
                        "Site patient numbers (IPP pattern) seen with context: a keyword before them on the line, a CSV/TSV column named for them, or HL7 PID-3.",
                        r -> { DlpState s = state(r); return s == null ? -1 : s.ipp; }),
                Columns.int32OrNull("dlp_iep", "count",
                        "Site stay numbers (IEP/NDA pattern) seen with context: a keyword before them on the line, a CSV/TSV column named for them, or HL7 PV1-19/PID-18.",
                        r -> { DlpState s = state(r); return s == null ? -1 : s.iep; }),
                Columns.int32OrNull("dlp_hl7_patients", "count",
                        "HL7 v2 PID segments that name a patient (a letter in PID-5) in the scanned payload, both directions; the name is never kept.",
                        r -> { DlpState s = state(r); return s == null ? -1 : s.hl7Patients; }),
                Columns.int32OrNull("dlp_orig_ids", "count",
                        "Identifiers (NIR, card, IPP, IEP) in the originator's direction only: what the connecting side sent (an upload, a POST body).",
                        r -> { DlpState s = state(r); return s == null ? -1 : s.orig.ids; }),
                Columns.utf8("dlp_hashes", "list",
                        "Keyed hashes of the distinct identifiers found (HMAC-SHA256 with the site secret, first 16 hex digits), comma separated, at most 8.",
                        r -> { DlpState s = state(r); return s == null ? null : s.joinedHashes(); }),
                Columns.utf8("dlp_masked", "list",
                        "Masked forms of the identifiers of dlp_hashes, same order and count (NIR 1 84 12 ** *** *** 42, card **** 1234, IPP/IEP site prefix, admission year and last 2 digits: 77****15), comma separated.",
                        r -> { DlpState s = state(r); return s == null ? null : s.joinedMasks(); }),
                Columns.int32OrNull("dlp_bytes_scanned", "bytes",
                        "Payload bytes the content scanner read in this flow, both directions (each capped at the per-direction limit).",
                        r -> { DlpState s = state(r); return s == null ? -1 : (int) Math.min(Integer.MAX_VALUE, s.orig.scanned + (long) s.resp.scanned); }),
                Columns.boolOrNull("dlp_capped", "flag",
                        "True when a direction reached a scan limit (bytes scanned, HTTP inflate ratio, chunk size or line, wire bytes): the rest of that stream was not scanned.",
                        r -> state(r) != null, r -> state(r).orig.capped || state(r).resp.capped),
                Columns.int32OrNull("dlp_gaps", "count",
                        "TCP segments that arrived ahead of the expected sequence number (loss or reordering); scanning resumed after each hole.",
                        r -> { DlpState s = state(r); return s == null ? -1 : s.gaps; }));
    }

    /** Default bounds and the site secret ({@link DlpConfig#standard()}). */
    public DlpAnalyzer() {
        this(DlpConfig.standard());
    }

    public DlpCounters counters() {
        return counters;
    }

    public DlpConfig config() {
        return config;
    }

    @Override
    public List<Column<FlowRow>> columns() {
        return columns;
    }

    @Override
    public void bind(int slot, int slotCount) {
        this.slot = slot;
        this.slotCount = slotCount;
    }

    /** The scanned flow's state, or null when the flow was not scanned (no payload yet, or encrypted). */
    private DlpState state(FlowRow row) {
        return row.flow().attachment(slot) instanceof DlpState s && !s.skipped() ? s : null;
    }

    @Override
    public boolean hasValues(Flow flow) {
        return flow.attachment(slot) instanceof DlpState s && !s.skipped();
    }

    @Override
    public void onPacket(Flow flow, DecodedPacket p, CapturedPacket frame, boolean fromOriginator) {
        if (!p.hasTransport || (p.protocol != DecodedPacket.PROTO_TCP && p.protocol != DecodedPacket.PROTO_UDP)) {
            return;
        }
        Object a = flow.attachment(slot);
        DlpState s = (DlpState) a;
        if (s != null && (s.skipped() || s.failed)) {
            return;
        }
        int len = Math.max(0, Math.min(p.payloadCaptured, frame.captureLength - p.payloadOffset));
        boolean tcp = p.protocol == DecodedPacket.PROTO_TCP;
        if (s == null) {
            if (len == 0) {
                return;                // the scanner starts at the first data segment, in sequence from there
            }
            if (encrypted(frame.data, p.payloadOffset, len)) {
                counters.flowsEncrypted++;
                flow.attach(slot, DlpState.SKIPPED, slotCount);
                return;
            }
            s = take();
            counters.flowsScanned++;
            flow.attach(slot, s, slotCount);
        }
        try {
            (fromOriginator ? s.orig : s.resp).feed(s, scanner, p, flow, fromOriginator,
                    frame.data, p.payloadOffset, len, tcp);
        } catch (RuntimeException e) {
            counters.exceptions++;     // never the payload in a message: the exception is dropped
            s.failed = true;
            s.orig.release(scanner);
            s.resp.release(scanner);
        }
    }

    /** A TLS record header (content type 20-23, version 3.x) or an SSH identification banner. */
    static boolean encrypted(byte[] d, int off, int len) {
        if (len >= 3 && d[off] >= 20 && d[off] <= 23 && d[off + 1] == 3 && d[off + 2] >= 0 && d[off + 2] <= 4) {
            return true;
        }
        return len >= 4 && d[off] == 'S' && d[off + 1] == 'S' && d[off + 2] == 'H' && d[off + 3] == '-';
    }

    @Override
    public void beforeRecord(Flow flow) {
        if (flow.attachment(slot) instanceof DlpState s && !s.skipped() && !s.failed) {
            s.orig.finishPending(s, scanner);   // a hole that never filled: held bytes are scanned after it
            s.resp.finishPending(s, scanner);
        }
    }

    @Override
    public void onFlowEnd(Flow flow) {
        // The record is already written: a digit run still open at the end of the stream (no byte after it) is
        // not counted, which docs/dlp.md states. Release the state so the pooled flow starts clean.
        Object a = flow.attachment(slot);
        if (a != null) {
            flow.attach(slot, null, slotCount);
            if (a instanceof DlpState s && !s.skipped()) {
                s.orig.release(scanner);   // a pooled inflater goes back for the next compressed body
                s.resp.release(scanner);
                s.reset();
                s.nextFree = free;
                free = s;
            }
        }
    }

    private DlpState take() {
        DlpState s = free;
        if (s == null) {
            return new DlpState(config.maxHashesPerFlow());
        }
        free = s.nextFree;
        s.nextFree = null;
        return s;
    }
}
