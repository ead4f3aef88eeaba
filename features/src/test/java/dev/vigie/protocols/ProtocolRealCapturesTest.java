package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.protocols.SharedCaptures.Expected;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our protocol columns against tshark's fields on the same packets (reference files made by
 * src/test/resources/protocols/tshark-expected.sh with TShark 4.0.17). For each flow, the first packet tshark shows
 * with a value is compared with our record of that flow. Skipped without the shared captures.
 */
class ProtocolRealCapturesTest {
    private static Path dir;

    @BeforeAll
    static void captures() {
        dir = SharedCaptures.dir();
        Assumptions.assumeTrue(dir != null, "no shared captures in this checkout");
    }

    /** Mismatches and counts of one comparison. */
    private static final class Check {
        final String name;
        final List<String> mismatches = new ArrayList<>();
        int compared;
        int flowsMissing;

        Check(String name) {
            this.name = name;
        }

        void equal(String what, Object expected, Object actual, Expected e) {
            compared++;
            if (expected instanceof String s && s.length() > Text.MAX_VALUE) {
                expected = s.substring(0, Text.MAX_VALUE);        // our cap on single values
            }
            if (!Objects.equals(expected, actual)) {
                mismatches.add(what + " " + e.capture() + " frame " + e.frame() + ": tshark <" + expected + "> ours <" + actual + ">");
            }
        }

        void done(int minCompared) {
            System.out.printf("%s: %d values compared, %d flows not found, %d mismatches%n", name, compared, flowsMissing,
                    mismatches.size());
            mismatches.stream().limit(20).forEach(m -> System.out.println("  " + m));
            assertTrue(compared >= minCompared, name + ": only " + compared + " values compared");
            assertEquals(List.of(), mismatches.stream().limit(20).toList(), name);
        }
    }

    /** Per capture, per flow key: tshark's lines in frame order, and our first record of that key. */
    private static void forEachFlow(String tsv, Check check, FlowVisitor visitor) throws Exception {
        Map<String, Map<String, List<Expected>>> byCapture = new LinkedHashMap<>();
        for (Expected e : SharedCaptures.expected(tsv)) {
            byCapture.computeIfAbsent(e.capture(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<String, Map<String, List<Expected>>> cap : byCapture.entrySet()) {
            SharedCaptures.Extraction x = SharedCaptures.extract(dir.resolve(cap.getKey()));
            assertEquals(0, x.counters().exceptions, "parser exceptions in " + cap.getKey());
            Map<String, Map<String, Object>> ours = SharedCaptures.firstByKey(x.rows());
            for (Map.Entry<String, List<Expected>> flow : cap.getValue().entrySet()) {
                Map<String, Object> row = ours.get(flow.getKey());
                if (row == null) {
                    check.flowsMissing++;
                    continue;
                }
                visitor.visit(flow.getValue(), row);
            }
        }
    }

    @FunctionalInterface
    private interface FlowVisitor {
        void visit(List<Expected> lines, Map<String, Object> row) throws Exception;
    }

    private static Expected first(List<Expected> lines, Predicate<Expected> p) {
        return lines.stream().filter(p).findFirst().orElse(null);
    }

    private static String orNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Test
    void dns() throws Exception {
        // fields: response flag, query name, query type, rcode, answer count, A, AAAA
        Check check = new Check("dns");
        forEachFlow("dns.tsv", check, (lines, row) -> {
            Expected q = first(lines, e -> !e.first(1).isEmpty());
            if (q != null) {
                String name = q.first(1).equals("<Root>") ? "." : q.first(1);
                if (printable(name)) {
                    check.equal("dns_query", name, row.get("dns_query"), q);
                }
                check.equal("dns_qtype", Integer.valueOf(q.first(2)), row.get("dns_qtype"), q);
            }
            Expected r = first(lines, e -> e.first(0).equals("1"));
            if (r != null) {
                check.equal("dns_rcode", Integer.valueOf(r.first(3)), row.get("dns_rcode"), r);
                check.equal("dns_answers_count", Integer.valueOf(r.first(4)), row.get("dns_answers_count"), r);
                List<String> addresses = new ArrayList<>(r.all(5));
                addresses.addAll(r.all(6));
                // tshark's A/AAAA fields cover every section; ours the answer section only, as Zeek's answers
                boolean answersOnly = r.first(7).equals("0") && r.first(8).equals("0");
                if (answersOnly && addresses.size() <= 16 && Integer.parseInt(r.first(4)) <= DnsParser.MAX_ANSWERS_PARSED) {
                    List<String> mine = new ArrayList<>();
                    String answers = (String) row.get("dns_answers");
                    if (answers != null) {
                        for (String a : answers.split(",")) {
                            if (a.matches("[0-9.]+|[0-9a-f:]*:[0-9a-f:.]*")) {
                                mine.add(a);
                            }
                        }
                    }
                    check.equal("dns_answers", addresses.stream().sorted().toList(), mine.stream().sorted().toList(), r);
                }
            }
        });
        check.done(350);
    }

    private static boolean printable(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '\\');
    }

    @Test
    void tls() throws Exception {
        // fields: handshake types, SNI, JA3, ALPN, cipher, supported_version, version, certificates
        Check check = new Check("tls");
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        forEachFlow("tls.tsv", check, (lines, row) -> {
            Expected hello = first(lines, e -> e.all(0).contains("1"));
            if (hello != null) {
                check.equal("tls_sni", orNull(hello.first(1)), row.get("tls_sni"), hello);
                check.equal("ja3", hello.first(2), row.get("ja3"), hello);
                check.equal("tls_alpn", orNull(hello.joined(3, ",")), row.get("tls_alpn"), hello);
            }
            Expected server = first(lines, e -> e.all(0).contains("2"));
            if (server != null) {
                check.equal("tls_cipher", server.first(4), row.get("tls_cipher"), server);
                String v = server.first(5).isEmpty() ? server.first(6) : server.first(5);
                check.equal("tls_server_version", TlsVersions.name(Integer.decode(v)), row.get("tls_server_version"), server);
            }
            Expected cert = first(lines, e -> e.all(0).contains("11") && !e.first(7).isEmpty());
            if (cert != null) {
                X509Certificate c = (X509Certificate) x509.generateCertificate(
                        new ByteArrayInputStream(HexFormat.of().parseHex(cert.first(7))));
                check.equal("tls_cert_subject", rfc2253(c.getSubjectX500Principal()), row.get("tls_cert_subject"), cert);
                check.equal("tls_cert_issuer", rfc2253(c.getIssuerX500Principal()), row.get("tls_cert_issuer"), cert);
                check.equal("tls_cert_not_before", c.getNotBefore().getTime() * 1000, row.get("tls_cert_not_before"), cert);
                check.equal("tls_cert_not_after", c.getNotAfter().getTime() * 1000, row.get("tls_cert_not_after"), cert);
                check.equal("tls_cert_self_signed", c.getSubjectX500Principal().equals(c.getIssuerX500Principal()),
                        row.get("tls_cert_self_signed"), cert);
            }
        });
        check.done(500);
    }

    /** The JDK's RFC 2253 form with OpenSSL's names for the attributes the JDK only knows by OID. */
    private static String rfc2253(X500Principal p) {
        return p.getName(X500Principal.RFC2253, Map.of("1.2.840.113549.1.9.1", "emailAddress", "2.5.4.5", "serialNumber",
                "2.5.4.9", "street", "2.5.4.17", "postalCode", "2.5.4.4", "SN", "2.5.4.42", "GN", "2.5.4.12", "title",
                "2.5.4.15", "businessCategory"));
    }

    @Test
    void http() throws Exception {
        // fields: method, host, URI, user agent, status
        Check check = new Check("http");
        forEachFlow("http.tsv", check, (lines, row) -> {
            Expected req = first(lines, e -> !e.first(0).isEmpty());
            if (req != null) {
                check.equal("http_method", req.first(0), row.get("http_method"), req);
                check.equal("http_host", orNull(req.first(1)), row.get("http_host"), req);
                check.equal("http_uri", req.first(2), row.get("http_uri"), req);
                check.equal("http_user_agent", orNull(req.first(3)), row.get("http_user_agent"), req);
            }
            Expected resp = first(lines, e -> !e.first(4).isEmpty() && !e.first(4).startsWith("1"));
            if (resp != null) {
                check.equal("http_status", Integer.valueOf(resp.first(4)), row.get("http_status"), resp);
            }
        });
        check.done(240);
    }

    @Test
    void ftp() throws Exception {
        // fields: request command, request argument, response code
        Check check = new Check("ftp");
        Map<String, Object> controlIdByFrame = new LinkedHashMap<>();
        forEachFlow("ftp.tsv", check, (lines, row) -> {
            List<String> users = new ArrayList<>();
            List<String> commands = new ArrayList<>();
            int pass = 0;
            int ok = 0;
            int failed = 0;
            for (Expected e : lines) {
                controlIdByFrame.put(e.capture() + "#" + e.frame(), row.get("flow_id"));
                for (int i = 0; i < e.all(0).size(); i++) {
                    String cmd = e.all(0).get(i).toUpperCase();
                    String arg = i < e.all(1).size() ? e.all(1).get(i) : "";
                    if (cmd.equals("USER") && !users.contains(arg)) {
                        users.add(arg);
                    }
                    if (cmd.equals("PASS")) {
                        pass++;
                    }
                    if (List.of("RETR", "STOR", "STOU", "APPE", "DELE", "RNFR", "RNTO", "MKD", "RMD").contains(cmd)) {
                        commands.add(cmd + ":" + arg.replace(",", "\\x2c"));
                    }
                }
                ok += (int) e.all(2).stream().filter("230"::equals).count();
                failed += (int) e.all(2).stream().filter("530"::equals).count();
            }
            Expected at = lines.get(0);
            check.equal("ftp_user", users.isEmpty() ? null : String.join(",", users), row.get("ftp_user"), at);
            check.equal("ftp_login_attempts", pass, row.get("ftp_login_attempts"), at);
            check.equal("ftp_login_ok", ok, row.get("ftp_login_ok"), at);
            check.equal("ftp_login_failed", failed, row.get("ftp_login_failed"), at);
            check.equal("ftp_commands", commands.isEmpty() ? null : String.join(",", commands.subList(0, Math.min(32,
                    commands.size()))), row.get("ftp_commands"), at);
        });
        check.done(150);
        // ftp-data: the flow tshark links to the control packet that set it up (setup frame)
        Check data = new Check("ftp-data");
        forEachFlow("ftp-data.tsv", data, (lines, row) -> {
            Expected e = lines.get(0);
            Object control = controlIdByFrame.get(e.capture() + "#" + e.first(0));
            data.equal("ftp_control_flow_id", control, row.get("ftp_control_flow_id"), e);
            data.equal("app_proto", "ftp-data", row.get("app_proto"), e);
        });
        data.done(10);
    }

    @Test
    void bruteforceTraceHasThirtyFailedSessions() {
        SharedCaptures.Extraction x = SharedCaptures.extract(dir.resolve("zeek/testing/btest/Traces/ftp/bruteforce.pcap"));
        long sessions = x.rows().stream().filter(r -> "ftp".equals(r.get("app_proto"))
                && Integer.valueOf(1).equals(r.get("ftp_login_failed")) && Integer.valueOf(0).equals(r.get("ftp_login_ok"))
                && Boolean.TRUE.equals(r.get("cleartext_credentials"))).count();
        assertEquals(30, sessions);
    }

    @Test
    void ssh() throws Exception {
        Check check = new Check("ssh");
        forEachFlow("ssh.tsv", check, (lines, row) -> {
            for (Expected e : lines) {
                boolean fromOrig = e.src().equals(row.get("orig_h")) && Integer.valueOf(e.sport()).equals(row.get("orig_p"));
                check.equal(fromOrig ? "ssh_client" : "ssh_server", e.first(0), row.get(fromOrig ? "ssh_client" : "ssh_server"), e);
            }
        });
        check.done(60);
        // sshguess.pcap is password guessing: no session may look successful
        SharedCaptures.Extraction x = SharedCaptures.extract(dir.resolve("zeek/testing/btest/Traces/ssh/sshguess.pcap"));
        long ssh = x.rows().stream().filter(r -> "ssh".equals(r.get("app_proto"))).count();
        long success = x.rows().stream().filter(r -> Boolean.TRUE.equals(r.get("ssh_auth_success"))).count();
        long failed = x.rows().stream().filter(r -> Boolean.FALSE.equals(r.get("ssh_auth_success"))).count();
        System.out.printf("sshguess: %d ssh flows, auth success %d, failed %d%n", ssh, success, failed);
        assertEquals(0, success);
        assertTrue(failed > 0);
    }

    @Test
    void dhcp() throws Exception {
        // fields: message type, client MAC, requested address, host name, vendor class, parameter request list
        String[] names = {null, "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM"};
        Check check = new Check("dhcp");
        forEachFlow("dhcp.tsv", check, (lines, row) -> {
            List<String> types = new ArrayList<>();
            for (Expected e : lines) {
                String t = names[Integer.parseInt(e.first(0))];
                if (!types.contains(t)) {
                    types.add(t);
                }
            }
            check.equal("dhcp_msg_type", String.join(",", types), row.get("dhcp_msg_type"), lines.get(0));
            Expected client = first(lines, e -> e.sport() == 68);
            if (client != null) {
                check.equal("dhcp_client_mac", client.first(1), row.get("dhcp_client_mac"), client);
                check.equal("dhcp_requested_addr", orNull(client.first(2)), row.get("dhcp_requested_addr"), client);
                check.equal("dhcp_hostname", orNull(client.first(3)), row.get("dhcp_hostname"), client);
                check.equal("dhcp_vendor_class", orNull(client.first(4)), row.get("dhcp_vendor_class"), client);
                check.equal("dhcp_param_list", orNull(client.joined(5, ",")), row.get("dhcp_param_list"), client);
            }
        });
        check.done(1500);
    }

    @Test
    void hl7() throws Exception {
        // fields: message type, trigger, every non-empty field of the frame's segments
        Check check = new Check("hl7");
        forEachFlow("hl7.tsv", check, (lines, row) -> {
            List<String> types = new ArrayList<>();
            int messages = 0;
            for (Expected e : lines) {
                List<String> t = e.all(0);
                List<String> trig = e.all(1);
                for (int i = 0; i < t.size(); i++) {
                    String trigger = i < trig.size() ? trig.get(i) : "";
                    String type = trigger.isEmpty() ? t.get(i) : t.get(i) + "^" + trigger;
                    if (!types.contains(type)) {
                        types.add(type);
                    }
                    messages++;
                }
            }
            Expected e = lines.get(0);
            check.equal("hl7_message_types", String.join(",", types), row.get("hl7_message_types"), e);
            check.equal("hl7_messages", messages, row.get("hl7_messages"), e);
            Expected mine = first(lines, x -> x.src().equals(row.get("orig_h")) && Integer.valueOf(x.sport()).equals(row.get("orig_p")));
            // MSH, encoding characters, then MSH-3..6 (tshark leaves empty fields out: these four are never empty here)
            List<String> f = mine.all(2);
            check.equal("hl7_sending_app", f.get(2), row.get("hl7_sending_app"), mine);
            check.equal("hl7_sending_facility", f.get(3), row.get("hl7_sending_facility"), mine);
            check.equal("hl7_receiving_app", f.get(4), row.get("hl7_receiving_app"), mine);
            check.equal("hl7_receiving_facility", f.get(5), row.get("hl7_receiving_facility"), mine);
        });
        check.done(12);
    }

    @Test
    void dicom() throws Exception {
        Check check = new Check("dicom");
        forEachFlow("dicom.tsv", check, (lines, row) -> {
            Expected rq = first(lines, e -> e.first(0).equals("0x01"));
            check.equal("dicom_called_ae", rq.first(1).trim(), row.get("dicom_called_ae"), rq);
            check.equal("dicom_calling_ae", rq.first(2).trim(), row.get("dicom_calling_ae"), rq);
            check.equal("app_proto", "dicom", row.get("app_proto"), rq);
        });
        check.done(9);
    }

    @Test
    void torCertificatesLookLikeTor() {
        // Tor relays: random www.<x>.com SNI from the client, link certificates named www.<x>.net, short validity
        SharedCaptures.Extraction x = SharedCaptures.extract(dir.resolve("nDPI/tests/cfgs/default/pcap/tor.pcap"));
        long tor = x.rows().stream().filter(r -> r.get("tls_sni") instanceof String s && s.matches("www\\.[a-z0-9]+\\.com")
                && r.get("tls_cert_subject") instanceof String c && c.matches("CN=www\\.[a-z0-9]+\\.(net|com)")).count();
        assertTrue(tor > 0, "no Tor-looking TLS flow in tor.pcap");
    }

    @Test
    void telnetAndNothingThrowsAnywhere() {
        SharedCaptures.Extraction x = SharedCaptures.extract(dir.resolve("nDPI/tests/cfgs/default/pcap/telnet.pcap"));
        assertTrue(x.rows().stream().anyMatch(r -> "telnet".equals(r.get("app_proto")) && Boolean.TRUE.equals(r.get("cleartext_credentials"))));
    }
}
