package dev.vigie.protocols;

/**
 * What the protocol analyzer attaches to a candidate flow: the parser that recognised it, the two TCP directions'
 * reassembly state, and for an FTP data flow, the control flow that announced it.
 */
final class ProtocolState {
    /** Null for an FTP data flow (nothing to parse) or once parsing was abandoned after an exception. */
    ProtocolParser parser;
    /** Set for FTP data flows; -1 otherwise. */
    long ftpControlFlowId = -1;
    final StreamDirection orig;
    final StreamDirection resp;
    /** Nothing more to do for this flow: packets cost one check. */
    boolean done;

    ProtocolState(ProtocolParser parser, boolean tcp) {
        this.parser = parser;
        this.orig = tcp ? new StreamDirection() : null;
        this.resp = tcp ? new StreamDirection() : null;
    }

    /** The {@code app_proto} label, or null when the content turned out not to be the protocol. */
    String label() {
        if (ftpControlFlowId >= 0) {
            return AppProto.FTP_DATA.label();
        }
        if (parser == null || parser.rejected || parser instanceof SniffParser) {
            return null;
        }
        return parser.proto().label();
    }

    /** The parser if it is a {@code type}, for the columns. */
    <T extends ProtocolParser> T parser(Class<T> type) {
        ProtocolParser p = parser;
        return type.isInstance(p) && !p.rejected ? type.cast(p) : null;
    }
}
