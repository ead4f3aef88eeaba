package dev.vigie.protocols;

import dev.vigie.features.FlowRow;
import dev.vigie.flow.Flow;

/**
 * The protocol state of the row being written, resolved once per row: the batch writer fills a row's columns one
 * after another, so the first protocol column finds the state and its typed parser, and the others reuse them. A
 * row is identified by its flow object, flow id and part (a flow emits each part once).
 */
final class RowView {
    private final ProtocolAnalyzer analyzer;
    private Flow flow;
    private long flowId = -1;
    private int part = -1;

    ProtocolState state;
    DnsParser dns;
    TlsParser tls;
    HttpParser http;
    FtpParser ftp;
    SshParser ssh;
    DhcpParser dhcp;
    Hl7Parser hl7;
    DicomParser dicom;

    RowView(ProtocolAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    RowView at(FlowRow row) {
        Flow f = row.flow();
        if (f == flow && f.flowId() == flowId && f.part() == part) {
            return this;
        }
        flow = f;
        flowId = f.flowId();
        part = f.part();
        state = analyzer.state(row);
        dns = null;
        tls = null;
        http = null;
        ftp = null;
        ssh = null;
        dhcp = null;
        hl7 = null;
        dicom = null;
        ProtocolParser p = state == null ? null : state.parser;
        if (p == null || p.rejected) {
            return this;
        }
        if (p instanceof TlsParser x) {
            tls = x;
        } else if (p instanceof HttpParser x) {
            http = x;
        } else if (p instanceof DnsParser x) {
            dns = x;
        } else if (p instanceof FtpParser x) {
            ftp = x.proto() == AppProto.FTP ? x : null;
        } else if (p instanceof SshParser x) {
            ssh = x;
        } else if (p instanceof DhcpParser x) {
            dhcp = x;
        } else if (p instanceof Hl7Parser x) {
            hl7 = x;
        } else if (p instanceof DicomParser x) {
            dicom = x;
        }
        return this;
    }
}
