package dev.vigie.protocols;

import static dev.vigie.schema.Columns.bool;
import static dev.vigie.schema.Columns.boolOrNull;
import static dev.vigie.schema.Columns.int32OrNull;
import static dev.vigie.schema.Columns.utf8;

import dev.vigie.features.FlowRow;
import dev.vigie.schema.ArrowTypes;
import dev.vigie.schema.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;

/**
 * The protocol metadata columns. Every one is null when the flow is not of that protocol, or the value was not
 * seen; list columns are one string, items separated by {@code ,} (an item's own commas written {@code \x2c}),
 * at most 16 items and 1,024 chars; single values stop at 256 chars. Wire text is kept as valid UTF-8, other bytes
 * written {@code \xNN}. Columns describe the connection so far, also in the parts of a long flow.
 */
final class ProtocolColumns {
    private ProtocolColumns() {}

    private static final long NONE = Long.MIN_VALUE;

    static List<Column<FlowRow>> all(Function<FlowRow, ProtocolState> state) {
        List<Column<FlowRow>> c = new ArrayList<>();
        c.add(utf8("app_proto", "enum",
                "Application protocol recognised from content (port as a hint): dns, tls, http, ftp, ftp-data, ssh, dhcp, hl7, dicom, telnet or smtp.",
                r -> label(state.apply(r))));

        // ---- DNS
        Function<FlowRow, DnsParser> dns = r -> parser(state.apply(r), DnsParser.class);
        c.add(utf8("dns_query", "name", "Query name of the first DNS question seen in the flow (\".\" for the root).",
                r -> get(dns.apply(r), d -> d.query)));
        c.add(int32OrNull("dns_qtype", "code", "Query type of that question (1 A, 28 AAAA, 16 TXT, 255 ANY, ...).",
                r -> getInt(dns.apply(r), d -> d.qtype)));
        c.add(int32OrNull("dns_rcode", "code", "Response code of the first DNS response (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, ...).",
                r -> getInt(dns.apply(r), d -> d.rcode)));
        c.add(int32OrNull("dns_answers_count", "count", "Answer count (ANCOUNT) of the first DNS response.",
                r -> getInt(dns.apply(r), d -> d.answersCount)));
        c.add(utf8("dns_answers", "list",
                "Answers of the first response: addresses of A/AAAA records, names of CNAME/PTR/NS/MX, the first string of TXT.",
                r -> get(dns.apply(r), d -> d.answers == null ? null : d.answers.joined())));

        // ---- TLS
        Function<FlowRow, TlsParser> tls = r -> parser(state.apply(r), TlsParser.class);
        c.add(utf8("tls_version", "enum",
                "Highest TLS version the ClientHello offers (supported_versions, else its version field): SSLv3, TLSv10 ... TLSv13.",
                r -> get(tls.apply(r), t -> t.clientMaxVersion < 0 ? null : TlsVersions.name(t.clientMaxVersion))));
        c.add(utf8("tls_versions_offered", "list", "Versions listed in the ClientHello's supported_versions, GREASE left out, in wire order.",
                r -> get(tls.apply(r), t -> t.versionsOffered)));
        c.add(utf8("tls_sni", "name", "Server name (SNI) of the ClientHello.", r -> get(tls.apply(r), t -> t.sni)));
        c.add(utf8("tls_alpn", "list", "ALPN protocols offered by the ClientHello, in wire order (h2, http/1.1, ...).",
                r -> get(tls.apply(r), t -> t.alpn)));
        c.add(utf8("ja3", "fingerprint", "JA3 fingerprint of the ClientHello (MD5, 32 hex digits).", r -> get(tls.apply(r), t -> t.ja3)));
        c.add(utf8("ja4", "fingerprint", "JA4 fingerprint of the ClientHello (FoxIO spec, e.g. t13d1516h2_8daaf6152771_e5627efa2ab1).",
                r -> get(tls.apply(r), t -> t.ja4)));
        c.add(utf8("tls_server_version", "enum", "Version the ServerHello selected (its supported_versions entry, else its version field).",
                r -> get(tls.apply(r), t -> t.serverVersion < 0 ? null : TlsVersions.name(t.serverVersion))));
        c.add(utf8("tls_cipher", "code", "Cipher suite the ServerHello selected, as its IANA code in hex (0x1301 is TLS_AES_128_GCM_SHA256).",
                r -> get(tls.apply(r), t -> t.cipher < 0 ? null : TlsVersions.hex(t.cipher))));
        c.add(utf8("tls_cert_subject", "name", "Subject of the server's leaf certificate (TLS 1.2 and older), RFC 2253 form as OpenSSL writes it.",
                r -> get(tls.apply(r), t -> t.cert == null ? null : t.cert.subject)));
        c.add(utf8("tls_cert_issuer", "name", "Issuer of the server's leaf certificate, RFC 2253 form.",
                r -> get(tls.apply(r), t -> t.cert == null ? null : t.cert.issuer)));
        c.add(timestampOrNull("tls_cert_not_before", "Start of the leaf certificate's validity (UTC).",
                r -> { TlsParser t = tls.apply(r); return t == null || t.cert == null ? NONE : t.cert.notBeforeNs; }));
        c.add(timestampOrNull("tls_cert_not_after", "End of the leaf certificate's validity (UTC).",
                r -> { TlsParser t = tls.apply(r); return t == null || t.cert == null ? NONE : t.cert.notAfterNs; }));
        c.add(boolOrNull("tls_cert_self_signed", "flag", "The leaf certificate's subject equals its issuer (null without a certificate).",
                r -> { TlsParser t = tls.apply(r); return t != null && t.cert != null && t.cert.subject != null; },
                r -> tls.apply(r).selfSigned()));

        // ---- HTTP
        Function<FlowRow, HttpParser> http = r -> parser(state.apply(r), HttpParser.class);
        c.add(utf8("http_method", "enum", "Method of the first HTTP request.", r -> get(http.apply(r), h -> h.method)));
        c.add(utf8("http_host", "name", "Host header of the first HTTP request.", r -> get(http.apply(r), h -> h.host)));
        c.add(utf8("http_uri", "text", "Request target of the first HTTP request, as sent.", r -> get(http.apply(r), h -> h.uri)));
        c.add(utf8("http_user_agent", "text", "User-Agent header of the first HTTP request.", r -> get(http.apply(r), h -> h.userAgent)));
        c.add(int32OrNull("http_status", "code", "Status code of the first final (non-1xx, or 101) HTTP response.",
                r -> getInt(http.apply(r), h -> h.status)));
        c.add(int32OrNull("http_requests", "count", "HTTP requests seen in the connection (keep-alive and pipelining included).",
                r -> getInt(http.apply(r), h -> h.requests)));
        c.add(int64OrNull("http_request_body_len", "bytes", "Body bytes of all requests (Content-Length or de-chunked), as Zeek's request_body_len summed.",
                r -> { HttpParser h = http.apply(r); return h == null || h.requests == 0 ? NONE : h.requestBodyBytes; }));
        c.add(int64OrNull("http_response_body_len", "bytes", "Body bytes of all responses (Content-Length, de-chunked, or up to the close).",
                r -> { HttpParser h = http.apply(r); return h == null || h.responses == 0 ? NONE : h.responseBodyBytes; }));
        c.add(utf8("http_auth_basic_user", "name", "User name of the first Basic Authorization header (the password is never kept).",
                r -> get(http.apply(r), h -> h.basicUser)));

        // ---- FTP
        Function<FlowRow, FtpParser> ftp = r -> {
            FtpParser f = parser(state.apply(r), FtpParser.class);
            return f != null && f.proto() == AppProto.FTP ? f : null;
        };
        c.add(utf8("ftp_user", "list", "Distinct user names sent with USER, in order.", r -> get(ftp.apply(r), f -> f.users.joined())));
        c.add(int32OrNull("ftp_login_attempts", "count", "PASS commands sent (one per password tried).",
                r -> getInt(ftp.apply(r), f -> f.loginAttempts)));
        c.add(int32OrNull("ftp_login_ok", "count", "230 (logged in) replies.", r -> getInt(ftp.apply(r), f -> f.loginOk)));
        c.add(int32OrNull("ftp_login_failed", "count", "530 (not logged in) replies.", r -> getInt(ftp.apply(r), f -> f.loginFailed)));
        c.add(utf8("ftp_commands", "list", "File commands with their argument, in order (STOR:patients.csv,RETR:x; up to 32 items).",
                r -> get(ftp.apply(r), f -> f.commands.joined())));
        c.add(int32OrNull("ftp_data_channels", "count", "Data channels announced on this control connection (227, 229 replies; PORT, EPRT commands).",
                r -> getInt(ftp.apply(r), f -> f.dataChannels)));
        c.add(int64OrNull("ftp_control_flow_id", "id", "On an FTP data flow: flow_id of the control connection that announced it.",
                r -> { ProtocolState s = state.apply(r); return s == null || s.ftpControlFlowId < 0 ? NONE : s.ftpControlFlowId; }));

        // ---- SSH
        Function<FlowRow, SshParser> ssh = r -> parser(state.apply(r), SshParser.class);
        c.add(utf8("ssh_client", "text", "Client identification line (SSH-2.0-OpenSSH_9.6 ...).", r -> get(ssh.apply(r), s -> s.client)));
        c.add(utf8("ssh_server", "text", "Server identification line.", r -> get(ssh.apply(r), s -> s.server)));
        c.add(boolOrNull("ssh_auth_success", "flag",
                "Zeek's heuristic on encrypted packet sizes: true when authentication looked successful, false when the last attempt failed, null when undecided.",
                r -> { SshParser s = ssh.apply(r); return s != null && s.authResult >= 0; }, r -> ssh.apply(r).authResult == 1));

        // ---- DHCP
        Function<FlowRow, DhcpParser> dhcp = r -> parser(state.apply(r), DhcpParser.class);
        c.add(utf8("dhcp_msg_type", "list", "DHCP message types seen (option 53), distinct, in order: DISCOVER, OFFER, REQUEST, ACK, ...",
                r -> get(dhcp.apply(r), d -> d.messageTypes.joined())));
        c.add(utf8("dhcp_client_mac", "mac", "Client hardware address (chaddr) of the first client message.", r -> get(dhcp.apply(r), d -> d.clientMac)));
        c.add(utf8("dhcp_requested_addr", "address", "Requested IP address (option 50).", r -> get(dhcp.apply(r), d -> d.requestedAddr)));
        c.add(utf8("dhcp_hostname", "name", "Client host name (option 12, else the option 81 FQDN).", r -> get(dhcp.apply(r), d -> d.hostname)));
        c.add(utf8("dhcp_vendor_class", "text", "Vendor class identifier (option 60).", r -> get(dhcp.apply(r), d -> d.vendorClass)));
        c.add(utf8("dhcp_param_list", "list", "Parameter request list (option 55), option codes in wire order (an OS fingerprint).",
                r -> get(dhcp.apply(r), d -> d.paramList)));

        // ---- HL7
        Function<FlowRow, Hl7Parser> hl7 = r -> parser(state.apply(r), Hl7Parser.class);
        c.add(int32OrNull("hl7_messages", "count", "HL7 v2 messages (MLLP frames) in both directions, acknowledgements included.",
                r -> getInt(hl7.apply(r), h -> h.messages)));
        c.add(utf8("hl7_message_types", "list", "Distinct message types (MSH-9 type^trigger: ADT^A01, ORU^R01, ACK), in order.",
                r -> get(hl7.apply(r), h -> h.types.joined())));
        c.add(utf8("hl7_sending_app", "text", "MSH-3 sending application of the originator's first message.", r -> get(hl7.apply(r), h -> h.sendingApp)));
        c.add(utf8("hl7_sending_facility", "text", "MSH-4 sending facility.", r -> get(hl7.apply(r), h -> h.sendingFacility)));
        c.add(utf8("hl7_receiving_app", "text", "MSH-5 receiving application.", r -> get(hl7.apply(r), h -> h.receivingApp)));
        c.add(utf8("hl7_receiving_facility", "text", "MSH-6 receiving facility.", r -> get(hl7.apply(r), h -> h.receivingFacility)));

        // ---- DICOM
        Function<FlowRow, DicomParser> dicom = r -> parser(state.apply(r), DicomParser.class);
        c.add(utf8("dicom_calling_ae", "name", "Calling AE title of the A-ASSOCIATE-RQ (the requesting application).",
                r -> get(dicom.apply(r), d -> d.callingAe)));
        c.add(utf8("dicom_called_ae", "name", "Called AE title of the A-ASSOCIATE-RQ (the application asked for).",
                r -> get(dicom.apply(r), d -> d.calledAe)));

        c.add(bool("cleartext_credentials", "flag",
                "Credentials crossed the wire in clear: FTP USER/PASS, HTTP Basic authorization, or a telnet login prompt.",
                r -> { ProtocolState s = state.apply(r); return s != null && s.parser != null && !s.parser.rejected
                        && s.parser.cleartextCredentials(); }));
        return List.copyOf(c);
    }

    private static String label(ProtocolState s) {
        return s == null ? null : s.label();
    }

    private static <T extends ProtocolParser> T parser(ProtocolState s, Class<T> type) {
        return s == null ? null : s.parser(type);
    }

    private static <T> String get(T p, Function<T, String> f) {
        return p == null ? null : f.apply(p);
    }

    private static <T> int getInt(T p, java.util.function.ToIntFunction<T> f) {
        return p == null ? -1 : f.applyAsInt(p);
    }

    /** An int64 that is null when {@code value} returns {@link Long#MIN_VALUE}. */
    static Column<FlowRow> int64OrNull(String name, String unit, String description, ToLongFunction<FlowRow> value) {
        return new Column<>(name, ArrowTypes.INT64, unit, description, (v, row, s) -> {
            long x = value.applyAsLong(s);
            if (x == NONE) {
                ((BigIntVector) v).setNull(row);
            } else {
                ((BigIntVector) v).setSafe(row, x);
            }
        });
    }

    /** A UTC microsecond timestamp from epoch nanoseconds; null when {@code nanos} returns {@link Long#MIN_VALUE}. */
    static Column<FlowRow> timestampOrNull(String name, String description, ToLongFunction<FlowRow> nanos) {
        return new Column<>(name, ArrowTypes.TIMESTAMP_US_UTC, "time", description, (v, row, s) -> {
            long x = nanos.applyAsLong(s);
            if (x == NONE) {
                ((TimeStampMicroTZVector) v).setNull(row);
            } else {
                ((TimeStampMicroTZVector) v).setSafe(row, Math.floorDiv(x, 1000L));
            }
        });
    }
}
