package dev.vigie.flow;

import static dev.vigie.decode.DecodedPacket.TCP_ACK;
import static dev.vigie.decode.DecodedPacket.TCP_FIN;
import static dev.vigie.decode.DecodedPacket.TCP_RST;
import static dev.vigie.decode.DecodedPacket.TCP_SYN;
import static dev.vigie.flow.DirectionStats.CLOSED;
import static dev.vigie.flow.DirectionStats.ESTABLISHED;
import static dev.vigie.flow.DirectionStats.INACTIVE;
import static dev.vigie.flow.DirectionStats.PARTIAL;
import static dev.vigie.flow.DirectionStats.RESET;
import static dev.vigie.flow.DirectionStats.SYN_ACK_SENT;
import static dev.vigie.flow.DirectionStats.SYN_SENT;

/**
 * Zeek's TCP endpoint states and the conn_state they imply (base/protocols/conn/main.zeek, {@code conn_state}).
 * Each side moves INACTIVE → SYN_SENT / SYN_ACK_SENT / PARTIAL (mid-stream) → ESTABLISHED → CLOSED (FIN) or
 * RESET (RST); the pair of states at the end gives S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR or
 * OTH.
 */
final class TcpEndpoints {
    private TcpEndpoints() {}

    static void update(DirectionStats side, DirectionStats other, int flags, int payload) {
        boolean syn = (flags & TCP_SYN) != 0;
        boolean ack = (flags & TCP_ACK) != 0;
        if ((flags & TCP_RST) != 0) {
            side.tcpState = RESET;
            return;
        }
        if ((flags & TCP_FIN) != 0) {
            if (side.tcpState == SYN_ACK_SENT && (other.tcpState == SYN_SENT || other.tcpState == ESTABLISHED)) {
                other.tcpState = ESTABLISHED;
            }
            side.tcpState = CLOSED;
            return;
        }
        if (syn) {
            if (ack) {
                if (side.tcpState == INACTIVE || side.tcpState == SYN_SENT) {
                    side.tcpState = SYN_ACK_SENT;
                }
            } else if (side.tcpState == INACTIVE) {
                side.tcpState = SYN_SENT;
            }
            return;
        }
        // ACK or data without SYN/FIN/RST
        if (side.tcpState == INACTIVE) {
            side.tcpState = other.tcpState == SYN_ACK_SENT ? ESTABLISHED : PARTIAL;
        } else if (side.tcpState == SYN_SENT && other.tcpState == SYN_ACK_SENT) {
            side.tcpState = ESTABLISHED;
        }
        if (other.tcpState == SYN_ACK_SENT && side.tcpState == ESTABLISHED) {
            other.tcpState = ESTABLISHED;
        }
        if (side.tcpState == SYN_ACK_SENT && other.tcpState == ESTABLISHED && (ack || payload > 0)) {
            side.tcpState = ESTABLISHED;
        }
    }

    static String connState(Flow f) {
        int proto = f.protocol();
        DirectionStats o = f.orig();
        DirectionStats r = f.resp();
        if (proto == 17) {
            if (o.packets > 0) {
                return r.packets > 0 ? "SF" : "S0";
            }
            return r.packets > 0 ? "SHR" : "OTH";
        }
        if (proto != 6) {
            return "OTH";
        }
        int os = o.tcpState;
        int rs = r.tcpState;
        boolean oInactive = os == INACTIVE || os == PARTIAL;
        boolean rInactive = rs == INACTIVE || rs == PARTIAL;
        if (rs == RESET) {
            if (os == SYN_SENT || os == SYN_ACK_SENT || (os == RESET && o.payloadBytes == 0 && r.payloadBytes == 0)) {
                return "REJ";
            }
            return oInactive ? "RSTRH" : "RSTR";
        }
        if (os == RESET) {
            if (rInactive) {
                // Zeek: history matches ^?S[^HAFGIQ]*R.*  (a SYN, then a RST with no answer)
                return o.syn > 0 && r.packets == 0 ? "RSTOS0" : "OTH";
            }
            return "RSTO";
        }
        if (rs == CLOSED && os == CLOSED) {
            return "SF";
        }
        if (os == CLOSED) {
            return rInactive ? "SH" : "S2";
        }
        if (rs == CLOSED) {
            return oInactive ? "SHR" : "S3";
        }
        if (os == SYN_SENT && rs == INACTIVE) {
            return "S0";
        }
        if (os == ESTABLISHED && rs == ESTABLISHED) {
            return "S1";
        }
        return "OTH";
    }

    /** True once both sides sent a FIN, or either sent a RST: the flow may end after the linger delay. */
    static boolean isClosing(Flow f) {
        FlowStats s = f.stats;
        if (s == null) {
            return false;     // a compact flow has seen no FIN or RST (those packets take full statistics)
        }
        return (s.orig.tcpState == CLOSED && s.resp.tcpState == CLOSED)
                || s.orig.tcpState == RESET || s.resp.tcpState == RESET;
    }
}
