package dev.vigie.protocols;

import static dev.vigie.schema.Columns.boolOrNull;
import static dev.vigie.schema.Columns.int32OrNull;
import static dev.vigie.schema.Columns.int64OrNull;
import static dev.vigie.schema.Columns.label;
import static dev.vigie.schema.Columns.timestampOrNull;
import static dev.vigie.schema.Columns.utf8;

import dev.vigie.features.FlowRow;
import dev.vigie.schema.Column;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol metadata columns. Every one is null when the flow is not of that protocol, or the value was not
 * seen; list columns are one string, items separated by {@code ,} (an item's own commas written {@code \x2c}),
 * at most 16 items and 1,024 chars; single values stop at 256 chars. Wire text is kept as valid UTF-8, other bytes
 * written {@code \xNN}. Columns describe the connection so far, also in the parts of a long flow.
 *
 * <p>Each column reads the row's {@link RowView}, resolved once per row. The rows of flows that are no candidate
 * are not written at all ({@link ProtocolAnalyzer#hasValues}: the batch writer leaves them null), nor are the
 * columns of the protocols a candidate does not speak ({@link ProtocolAnalyzer#columnGroups}). The column types
 * are {@link dev.vigie.schema.Columns}'; each has a reader, through which the rule layer sees the same values.
 */
final class ProtocolColumns {
    private ProtocolColumns() {}

    private static final long NONE = Long.MIN_VALUE;

    /** A protocol's own columns: {@code [from, to)} of {@link Layout#columns}, null unless the flow speaks it. */
    record Section(Class<? extends ProtocolParser> parser, int from, int to) {}

    /** The columns in schema order, and the sections of the protocols that own a contiguous run of them. */
    record Layout(List<Column<FlowRow>> columns, List<Section> sections) {}

    /** Collects columns; {@link #section} opens a protocol's run, which lasts until the next section or {@link #close}. */
    private static final class Builder {
        final List<Column<FlowRow>> columns = new ArrayList<>();
        final List<Section> sections = new ArrayList<>();
        private Class<? extends ProtocolParser> open;
        private int from;

        void add(Column<FlowRow> column) {
            columns.add(column);
        }

        void section(Class<? extends ProtocolParser> parser) {
            close();
            open = parser;
            from = columns.size();
        }

        void close() {
            if (open != null && columns.size() > from) {
                sections.add(new Section(open, from, columns.size()));
            }
            open = null;
        }
    }

    static Layout all(RowView v) {
        Builder c = new Builder();
        c.add(label("app_proto", "enum",
                "Application protocol recognised from content (port as a hint): dns, tls, http, ftp, ftp-data, ssh, dhcp, hl7, dicom, telnet or smtp.",
                r -> { ProtocolState s = v.at(r).state; return s == null ? null : s.label(); }));

        // ---- DNS
        c.section(DnsParser.class);
        c.add(utf8("dns_query", "name", "Query name of the first DNS question seen in the flow (\".\" for the root).",
                r -> { DnsParser d = v.at(r).dns; return d == null ? null : d.query; }));
        c.add(int32OrNull("dns_qtype", "code", "Query type of that question (1 A, 28 AAAA, 16 TXT, 255 ANY, ...).",
                r -> { DnsParser d = v.at(r).dns; return d == null ? -1 : d.qtype; }));
        c.add(int32OrNull("dns_rcode", "code", "Response code of the first DNS response (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, ...).",
                r -> { DnsParser d = v.at(r).dns; return d == null ? -1 : d.rcode; }));
        c.add(int32OrNull("dns_answers_count", "count", "Answer count (ANCOUNT) of the first DNS response.",
                r -> { DnsParser d = v.at(r).dns; return d == null ? -1 : d.answersCount; }));
        c.add(utf8("dns_answers", "list",
                "Answers of the first response: addresses of A/AAAA records, names of CNAME/PTR/NS/MX, the first string of TXT.",
                r -> { DnsParser d = v.at(r).dns; return d == null || d.answers == null ? null : d.answers.joined(); }));

        // ---- TLS
        c.section(TlsParser.class);
        c.add(label("tls_version", "enum",
                "Highest TLS version the ClientHello offers (supported_versions, else its version field): SSLv3, TLSv10 ... TLSv13.",
                r -> { TlsParser t = v.at(r).tls; return t == null || t.clientMaxVersion < 0 ? null : TlsVersions.name(t.clientMaxVersion); }));
        c.add(utf8("tls_versions_offered", "list", "Versions listed in the ClientHello's supported_versions, GREASE left out, in wire order.",
                r -> { TlsParser t = v.at(r).tls; return t == null ? null : t.versionsOffered; }));
        c.add(utf8("tls_sni", "name", "Server name (SNI) of the ClientHello.",
                r -> { TlsParser t = v.at(r).tls; return t == null ? null : t.sni; }));
        c.add(utf8("tls_alpn", "list", "ALPN protocols offered by the ClientHello, in wire order (h2, http/1.1, ...).",
                r -> { TlsParser t = v.at(r).tls; return t == null ? null : t.alpn; }));
        c.add(utf8("ja3", "fingerprint", "JA3 fingerprint of the ClientHello (MD5, 32 hex digits).",
                r -> { TlsParser t = v.at(r).tls; return t == null ? null : t.ja3; }));
        c.add(utf8("ja4", "fingerprint", "JA4 fingerprint of the ClientHello (FoxIO spec, e.g. t13d1516h2_8daaf6152771_e5627efa2ab1).",
                r -> { TlsParser t = v.at(r).tls; return t == null ? null : t.ja4; }));
        c.add(label("tls_server_version", "enum", "Version the ServerHello selected (its supported_versions entry, else its version field).",
                r -> { TlsParser t = v.at(r).tls; return t == null || t.serverVersion < 0 ? null : TlsVersions.name(t.serverVersion); }));
        c.add(label("tls_cipher", "code", "Cipher suite the ServerHello selected, as its IANA code in hex (0x1301 is TLS_AES_128_GCM_SHA256).",
                r -> { TlsParser t = v.at(r).tls; return t == null || t.cipher < 0 ? null : TlsVersions.hex(t.cipher); }));
        c.add(utf8("tls_cert_subject", "name", "Subject of the server's leaf certificate (TLS 1.2 and older), RFC 2253 form as OpenSSL writes it.",
                r -> { TlsParser t = v.at(r).tls; return t == null || t.cert == null ? null : t.cert.subject; }));
        c.add(utf8("tls_cert_issuer", "name", "Issuer of the server's leaf certificate, RFC 2253 form.",
                r -> { TlsParser t = v.at(r).tls; return t == null || t.cert == null ? null : t.cert.issuer; }));
        c.add(timestampOrNull("tls_cert_not_before", "Start of the leaf certificate's validity (UTC).",
                r -> { TlsParser t = v.at(r).tls; return t == null || t.cert == null ? NONE : t.cert.notBeforeNs; }));
        c.add(timestampOrNull("tls_cert_not_after", "End of the leaf certificate's validity (UTC).",
                r -> { TlsParser t = v.at(r).tls; return t == null || t.cert == null ? NONE : t.cert.notAfterNs; }));
        c.add(boolOrNull("tls_cert_self_signed", "flag", "The leaf certificate's subject equals its issuer (null without a certificate).",
                r -> { TlsParser t = v.at(r).tls; return t != null && t.cert != null && t.cert.subject != null; },
                r -> v.at(r).tls.selfSigned()));

        // ---- HTTP
        c.section(HttpParser.class);
        c.add(label("http_method", "enum", "Method of the first HTTP request.",
                r -> { HttpParser h = v.at(r).http; return h == null ? null : h.method; }));
        c.add(utf8("http_host", "name", "Host header of the first HTTP request.",
                r -> { HttpParser h = v.at(r).http; return h == null ? null : h.host; }));
        c.add(utf8("http_uri", "text", "Request target of the first HTTP request, as sent.",
                r -> { HttpParser h = v.at(r).http; return h == null ? null : h.uri; }));
        c.add(utf8("http_user_agent", "text", "User-Agent header of the first HTTP request.",
                r -> { HttpParser h = v.at(r).http; return h == null ? null : h.userAgent; }));
        c.add(int32OrNull("http_status", "code", "Status code of the first final (non-1xx, or 101) HTTP response.",
                r -> { HttpParser h = v.at(r).http; return h == null ? -1 : h.status; }));
        c.add(int32OrNull("http_requests", "count", "HTTP requests seen in the connection (keep-alive and pipelining included).",
                r -> { HttpParser h = v.at(r).http; return h == null ? -1 : h.requests; }));
        c.add(int64OrNull("http_request_body_len", "bytes", "Body bytes of all requests (Content-Length or de-chunked), as Zeek's request_body_len summed.",
                r -> { HttpParser h = v.at(r).http; return h == null || h.requests == 0 ? NONE : h.requestBodyBytes; }));
        c.add(int64OrNull("http_response_body_len", "bytes", "Body bytes of all responses (Content-Length, de-chunked, or up to the close).",
                r -> { HttpParser h = v.at(r).http; return h == null || h.responses == 0 ? NONE : h.responseBodyBytes; }));
        c.add(utf8("http_auth_basic_user", "name", "User name of the first Basic Authorization header (the password is never kept).",
                r -> { HttpParser h = v.at(r).http; return h == null ? null : h.basicUser; }));

        // ---- FTP
        c.section(FtpParser.class);
        c.add(utf8("ftp_user", "list", "Distinct user names sent with USER, in order.",
                r -> { FtpParser f = v.at(r).ftp; return f == null ? null : f.users.joined(); }));
        c.add(int32OrNull("ftp_login_attempts", "count", "PASS commands sent (one per password tried).",
                r -> { FtpParser f = v.at(r).ftp; return f == null ? -1 : f.loginAttempts; }));
        c.add(int32OrNull("ftp_login_ok", "count", "230 (logged in) replies.",
                r -> { FtpParser f = v.at(r).ftp; return f == null ? -1 : f.loginOk; }));
        c.add(int32OrNull("ftp_login_failed", "count", "530 (not logged in) replies.",
                r -> { FtpParser f = v.at(r).ftp; return f == null ? -1 : f.loginFailed; }));
        c.add(utf8("ftp_commands", "list", "File commands with their argument, in order (STOR:patients.csv,RETR:x; up to 32 items).",
                r -> { FtpParser f = v.at(r).ftp; return f == null ? null : f.commands.joined(); }));
        c.add(int32OrNull("ftp_data_channels", "count", "Data channels announced on this control connection (227, 229 replies; PORT, EPRT commands).",
                r -> { FtpParser f = v.at(r).ftp; return f == null ? -1 : f.dataChannels; }));
        c.close(); // set on FTP data flows, whose parser is no FTP control parser
        c.add(int64OrNull("ftp_control_flow_id", "id", "On an FTP data flow: flow_id of the control connection that announced it.",
                r -> { ProtocolState s = v.at(r).state; return s == null || s.ftpControlFlowId < 0 ? NONE : s.ftpControlFlowId; }));

        // ---- SSH
        c.section(SshParser.class);
        c.add(utf8("ssh_client", "text", "Client identification line (SSH-2.0-OpenSSH_9.6 ...).",
                r -> { SshParser s = v.at(r).ssh; return s == null ? null : s.client; }));
        c.add(utf8("ssh_server", "text", "Server identification line.",
                r -> { SshParser s = v.at(r).ssh; return s == null ? null : s.server; }));
        c.add(boolOrNull("ssh_auth_success", "flag",
                "Zeek's heuristic on encrypted packet sizes: true when authentication looked successful, false when the last attempt failed, null when undecided.",
                r -> { SshParser s = v.at(r).ssh; return s != null && s.authResult >= 0; }, r -> v.at(r).ssh.authResult == 1));
        c.add(int32OrNull("ssh_auth_attempts", "count",
                "Authentication attempts the same heuristic counted (each failure, and the success), as Zeek's auth_attempts; 0 when SSH but none seen.",
                r -> { SshParser s = v.at(r).ssh; return s == null ? -1 : s.authAttempts; }));

        // ---- DHCP
        c.section(DhcpParser.class);
        c.add(utf8("dhcp_msg_type", "list", "DHCP message types seen (option 53), distinct, in order: DISCOVER, OFFER, REQUEST, ACK, ...",
                r -> { DhcpParser d = v.at(r).dhcp; return d == null ? null : d.messageTypes.joined(); }));
        c.add(utf8("dhcp_client_mac", "mac", "Client hardware address (chaddr) of the first client message.",
                r -> { DhcpParser d = v.at(r).dhcp; return d == null ? null : d.clientMac; }));
        c.add(utf8("dhcp_requested_addr", "address", "Requested IP address (option 50).",
                r -> { DhcpParser d = v.at(r).dhcp; return d == null ? null : d.requestedAddr; }));
        c.add(utf8("dhcp_hostname", "name", "Client host name (option 12, else the option 81 FQDN).",
                r -> { DhcpParser d = v.at(r).dhcp; return d == null ? null : d.hostname; }));
        c.add(utf8("dhcp_vendor_class", "text", "Vendor class identifier (option 60).",
                r -> { DhcpParser d = v.at(r).dhcp; return d == null ? null : d.vendorClass; }));
        c.add(utf8("dhcp_param_list", "list", "Parameter request list (option 55), option codes in wire order (an OS fingerprint).",
                r -> { DhcpParser d = v.at(r).dhcp; return d == null ? null : d.paramList; }));

        // ---- HL7
        c.section(Hl7Parser.class);
        c.add(int32OrNull("hl7_messages", "count", "HL7 v2 messages (MLLP frames) in both directions, acknowledgements included.",
                r -> { Hl7Parser h = v.at(r).hl7; return h == null ? -1 : h.messages; }));
        c.add(utf8("hl7_message_types", "list", "Distinct message types (MSH-9 type^trigger: ADT^A01, ORU^R01, ACK), in order.",
                r -> { Hl7Parser h = v.at(r).hl7; return h == null ? null : h.types.joined(); }));
        c.add(utf8("hl7_sending_app", "text", "MSH-3 sending application of the originator's first message.",
                r -> { Hl7Parser h = v.at(r).hl7; return h == null ? null : h.sendingApp; }));
        c.add(utf8("hl7_sending_facility", "text", "MSH-4 sending facility.",
                r -> { Hl7Parser h = v.at(r).hl7; return h == null ? null : h.sendingFacility; }));
        c.add(utf8("hl7_receiving_app", "text", "MSH-5 receiving application.",
                r -> { Hl7Parser h = v.at(r).hl7; return h == null ? null : h.receivingApp; }));
        c.add(utf8("hl7_receiving_facility", "text", "MSH-6 receiving facility.",
                r -> { Hl7Parser h = v.at(r).hl7; return h == null ? null : h.receivingFacility; }));

        // ---- DICOM
        c.section(DicomParser.class);
        c.add(utf8("dicom_calling_ae", "name", "Calling AE title of the A-ASSOCIATE-RQ (the requesting application).",
                r -> { DicomParser d = v.at(r).dicom; return d == null ? null : d.callingAe; }));
        c.add(utf8("dicom_called_ae", "name", "Called AE title of the A-ASSOCIATE-RQ (the application asked for).",
                r -> { DicomParser d = v.at(r).dicom; return d == null ? null : d.calledAe; }));

        c.close();
        c.add(boolOrNull("cleartext_credentials", "flag",
                "Credentials crossed the wire in clear: FTP USER/PASS, HTTP Basic authorization, or a telnet login prompt (null when no protocol was recognised).",
                r -> v.at(r).state != null && v.at(r).state.label() != null,
                r -> v.at(r).state.parser != null && v.at(r).state.parser.cleartextCredentials()));
        return new Layout(List.copyOf(c.columns), List.copyOf(c.sections));
    }
}
