package dev.vigie.protocols;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.features.FeatureAnalyzer;
import dev.vigie.features.FlowRow;
import dev.vigie.flow.Flow;
import dev.vigie.schema.Column;
import java.util.List;

/**
 * Protocol metadata as flow columns (see {@link ProtocolColumns}): recognises a flow's application protocol from
 * its first payload ({@link ProtocolDetector}) and hands the flow's payload to that protocol's parser.
 *
 * <p>Cost model: a flow whose first payload matches nothing gets nothing attached, and costs one attachment check
 * and one payload-count check per packet from then on, with no allocation (the flow's first payload packet is the
 * one where both sides' payload packet counts add up to one). A candidate gets one {@link ProtocolState} and one
 * parser; TCP candidates borrow pooled buffers while they parse, and once the parser has what it wants the flow is
 * marked done and costs one check per packet again. Strings are created once per field per flow.
 *
 * <p>Parsers never throw by design; as a second line of defence, a parser exception is counted, parsing stops for
 * that flow, and the flow record is written with what was found before.
 */
public final class ProtocolAnalyzer implements FeatureAnalyzer {
    private final ProtocolCounters counters = new ProtocolCounters();
    private final ParseContext ctx = new ParseContext(counters);
    private final List<Column<FlowRow>> columns;
    private int slot;
    private int slotCount = 1;

    private final List<ColumnGroup> groups;

    public ProtocolAnalyzer() {
        ProtocolColumns.Layout layout = ProtocolColumns.all(new RowView(this));
        this.columns = layout.columns();
        this.groups = groups(layout.sections());
    }

    /**
     * One group per protocol section of {@link ProtocolColumns}: its columns are null unless the flow's parser is
     * that protocol's (as {@link RowView} resolves it), so a DNS flow's row costs nothing in the TLS, HTTP, FTP...
     * columns.
     */
    private List<ColumnGroup> groups(List<ProtocolColumns.Section> sections) {
        List<ColumnGroup> out = new java.util.ArrayList<>();
        for (ProtocolColumns.Section s : sections) {
            Class<? extends ProtocolParser> type = s.parser();
            out.add(new ColumnGroup(s.from(), s.to(), f -> speaks(f, type)));
        }
        return List.copyOf(out);
    }

    /** The flow's parser is a live one of {@code type} (the FTP parser on a control connection). */
    private boolean speaks(Flow flow, Class<?> type) {
        if (!(flow.attachment(slot) instanceof ProtocolState s)) return false;
        ProtocolParser p = s.parser;
        if (p == null || p.rejected || !type.isInstance(p)) return false;
        return !(p instanceof FtpParser x) || x.proto() == AppProto.FTP;
    }

    @Override
    public List<ColumnGroup> columnGroups() {
        return groups;
    }

    public ProtocolCounters counters() {
        return counters;
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

    @Override
    public boolean hasValues(Flow flow) {
        return flow.attachment(slot) != null;
    }

    /** The state attached to a row's flow, or null when the flow is not a candidate. */
    ProtocolState state(FlowRow row) {
        Object o = row.flow().attachment(slot);
        return o instanceof ProtocolState s ? s : null;
    }

    @Override
    public void onPacket(Flow flow, DecodedPacket p, CapturedPacket frame, boolean fromOriginator) {
        Object a = flow.attachment(slot);
        ProtocolState s;
        if (a == null) {
            s = start(flow, p, frame, fromOriginator);
            if (s == null) {
                return;
            }
        } else {
            s = (ProtocolState) a;
            if (s.done) {
                return;
            }
        }
        ctx.flow = flow;
        ctx.nowNs = frame.timestampNanos;
        try {
            feed(s, p, frame, fromOriginator);
        } catch (RuntimeException e) {
            counters.exceptions++;
            finish(s);
        }
    }

    private ProtocolState start(Flow flow, DecodedPacket p, CapturedPacket frame, boolean fromOrig) {
        boolean tcp = p.protocol == DecodedPacket.PROTO_TCP;
        if (tcp && flow.packets() == 1 && !ctx.expectations.isEmpty()) {
            long control = ctx.expectations.match(flow.respHi(), flow.respLo(), flow.respPort(), frame.timestampNanos);
            if (control >= 0) {
                ProtocolState s = new ProtocolState(null, false);
                s.ftpControlFlowId = control;
                s.done = true;
                counters.candidates++;
                flow.attach(slot, s, slotCount);
                return null;
            }
        }
        int len = captured(p, frame);
        if (len <= 0 || !p.hasTransport || flow.part() != 0
                || flow.payloadPackets() != 1) {
            return null;                                  // decided on the flow's first payload packet, once
        }
        ProtocolParser parser;
        if (tcp && !SniffParser.ready(frame.data, p.payloadOffset, len)) {
            parser = new SniffParser(flow, p.protocol);   // too short to tell: wait for more of the stream
        } else {
            parser = ProtocolDetector.detect(flow, p.protocol, frame.data, p.payloadOffset, len, fromOrig);
        }
        if (parser == null) {
            return null;
        }
        ProtocolState s = new ProtocolState(parser, tcp);
        counters.candidates++;
        flow.attach(slot, s, slotCount);
        return s;
    }

    private static int captured(DecodedPacket p, CapturedPacket frame) {
        int available = frame.captureLength - p.payloadOffset;
        return Math.max(0, Math.min(p.payloadCaptured, available));
    }

    private void feed(ProtocolState s, DecodedPacket p, CapturedPacket frame, boolean fromOrig) {
        ProtocolParser parser = s.parser;
        if (s.orig != null) {
            if (p.protocol == DecodedPacket.PROTO_TCP && p.hasTransport) {
                (fromOrig ? s.orig : s.resp).onSegment(ctx, s, fromOrig, p, frame.data);
                if (s.parser != parser) {
                    parser = sniffed(s, fromOrig);
                    if (parser == null) {
                        return;
                    }
                }
            }
        } else if (p.hasTransport) {
            int len = captured(p, frame);
            if (len > 0 && parser.wants(fromOrig)) {
                parser.onDatagram(ctx, fromOrig, frame.data, p.payloadOffset, len);
            }
        }
        if (!parser.wants(true) && !parser.wants(false)) {
            finish(s);
        }
    }

    /**
     * Detection replaced the sniffing parser while this packet was delivered: the other direction's waiting bytes
     * go to the real parser too. Returns it, or null when detection chose none (the flow is then not a candidate).
     */
    private ProtocolParser sniffed(ProtocolState s, boolean fromOrig) {
        if (s.parser == null) {
            finish(s);
            ctx.flow.attach(slot, null, slotCount);
            return null;
        }
        (fromOrig ? s.resp : s.orig).reoffer(ctx, s, !fromOrig);
        return s.parser;
    }

    private void finish(ProtocolState s) {
        s.done = true;
        if (s.orig != null) {
            s.orig.release(ctx);
            s.resp.release(ctx);
        }
        if (s.parser != null) {
            s.parser.release(ctx);
        }
    }

    @Override
    public void onFlowEnd(Flow flow) {
        Object a = flow.attachment(slot);
        if (a instanceof ProtocolState s) {
            try {
                finish(s);
            } catch (RuntimeException e) {
                counters.exceptions++;
            }
            if (s.ftpControlFlowId >= 0) {
                counters.flows.increment(AppProto.FTP_DATA);
            } else if (s.label() != null) {
                counters.flows.increment(s.parser.proto());
            }
        }
        if (a != null) {
            flow.attach(slot, null, slotCount);     // the pooled flow object starts clean
        }
    }
}
