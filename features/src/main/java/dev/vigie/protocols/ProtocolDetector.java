package dev.vigie.protocols;

import dev.vigie.decode.DecodedPacket;
import dev.vigie.flow.Flow;

/**
 * Decides, from the first payload of a flow, which parser (if any) gets it: content first, the way nDPI and Zeek's
 * dynamic protocol detection do, with the port as a hint for protocols whose first bytes prove little on their own
 * (DNS, telnet, an FTP command when the banner was missed). A flow matching nothing costs nothing more.
 */
final class ProtocolDetector {
    private ProtocolDetector() {}

    /** A new parser for the flow, or null when the payload looks like none of ours. */
    static ProtocolParser detect(Flow flow, int ipProtocol, byte[] b, int off, int len, boolean fromOrig) {
        int sport = flow.origPort();
        int dport = flow.respPort();
        if (ipProtocol == DecodedPacket.PROTO_UDP) {
            if (isDnsPort(sport) || isDnsPort(dport)) {
                return DnsParser.looksLikeDns(b, off, len) ? new DnsParser() : null;
            }
            if ((dport == 67 || dport == 68 || sport == 67 || sport == 68) && DhcpParser.looksLikeDhcp(b, off, len)) {
                return new DhcpParser();
            }
            return null;
        }
        if (ipProtocol != DecodedPacket.PROTO_TCP) {
            return null;
        }
        if (TlsParser.looksLikeTls(b, off, len)) {
            return new TlsParser();
        }
        if (SshParser.looksLikeSsh(b, off, len)) {
            return new SshParser();
        }
        if (fromOrig && HttpParser.looksLikeRequest(b, off, len) || !fromOrig && HttpParser.looksLikeResponse(b, off, len)) {
            return new HttpParser();
        }
        if (Hl7Parser.looksLikeMllp(b, off, len)) {
            return new Hl7Parser();
        }
        if (fromOrig && DicomParser.looksLikeAssociateRq(b, off, len)) {
            return new DicomParser();
        }
        boolean ftpPort = dport == 21 || sport == 21;
        if (!fromOrig && FtpParser.looksLikeGreeting(b, off, len)) {
            return new FtpParser(!ftpPort);
        }
        if (ftpPort && fromOrig && FtpParser.looksLikeCommand(b, off, len)) {
            return new FtpParser(false);
        }
        if (dport == 53 && len >= 14 && DnsParser.looksLikeDns(b, off + 2, len - 2)) {
            return new DnsParser();
        }
        if (TelnetParser.looksLikeTelnet(b, off, len) || dport == 23) {
            return new TelnetParser();
        }
        return null;
    }

    private static boolean isDnsPort(int port) {
        return port == 53 || port == 5353 || port == 5355;
    }
}
