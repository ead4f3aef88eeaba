package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsParserTest {

    private static Map<String, Object> run(int mss, byte[]... serverRecords) {
        try (Harness h = new Harness()) {
            Conversation c = new Conversation(h, "10.0.0.1", 50000, "10.0.0.2", 443).open();
            c.mss = mss;
            c.client(Messages.specClientHello("example.com", true, true));
            for (byte[] r : serverRecords) {
                c.server(r);
            }
            c.close();
            Map<String, Object> row = h.only();
            assertEquals(0, h.analyzer.counters().exceptions);
            return row;
        }
    }

    @Test
    void ja4MatchesTheSpecExample() {
        // FoxIO JA4 spec (technical_details/JA4.md), "Example": t13d1516h2_8daaf6152771_e5627efa2ab1
        Map<String, Object> row = run(1460);
        assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", row.get("ja4"));
        assertEquals("tls", row.get("app_proto"));
        assertEquals("example.com", row.get("tls_sni"));
        assertEquals("h2,http/1.1", row.get("tls_alpn"));
        assertEquals("TLSv13", row.get("tls_version"));
        assertEquals("TLSv13,TLSv12", row.get("tls_versions_offered"));
    }

    @Test
    void ja4WithoutSignatureAlgorithmsHasNoTrailingSection() {
        // the spec: "0005,000a,...,ff01 = 6d807ffa2a79" when the hello lists no signature algorithms
        try (Harness h = new Harness()) {
            new Conversation(h, "10.0.0.1", 50000, "10.0.0.2", 443).open()
                    .client(Messages.specClientHello("example.com", false, false)).close();
            assertEquals("t13d1516h2_8daaf6152771_6d807ffa2a79", h.only().get("ja4"));
        }
    }

    @Test
    void ja3StringLeavesGreaseOut() {
        ParseContext ctx = new ParseContext(new ProtocolCounters());
        TlsParser p = new TlsParser();
        ProtocolState s = new ProtocolState(p, true);
        byte[] hello = Messages.specClientHello("example.com", true, true);
        s.orig.deliver(ctx, s, true, hello, 0, hello.length);
        assertEquals("771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
                + "27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23-24,0", Ja3.text(ctx.ascii, ctx.hello));
        assertEquals(32, p.ja3.length());
    }

    @Test
    void segmentationDoesNotChangeTheResult() {
        Map<String, Object> whole = Rows.protocolColumns(run(1460, Messages.serverHello(0x0304, 0x1301, true)));
        Map<String, Object> bytes = Rows.protocolColumns(run(1, Messages.serverHello(0x0304, 0x1301, true)));
        assertEquals(whole, bytes);
        assertEquals("TLSv13", whole.get("tls_server_version"));
        assertEquals("0x1301", whole.get("tls_cipher"));
        assertNull(whole.get("tls_cert_subject"));
    }

    @Test
    void tls12CertificateSubjectIssuerValidity() throws Exception {
        byte[] der = Files.readAllBytes(Path.of("src/test/resources/protocols/selfsigned.der"));
        Map<String, Object> row = run(700, Messages.serverHello(0x0303, 0xc02f, false), Messages.certificate(der, der));
        assertEquals("TLSv12", row.get("tls_server_version"));
        assertEquals("0xc02f", row.get("tls_cipher"));
        assertEquals("CN=vigie.test,OU=NDR,O=Vigie\\, Inc.,C=FR", row.get("tls_cert_subject"));
        assertEquals(row.get("tls_cert_subject"), row.get("tls_cert_issuer"));
        assertEquals(Boolean.TRUE, row.get("tls_cert_self_signed"));
        java.security.cert.X509Certificate jdk = (java.security.cert.X509Certificate)
                java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(der));
        assertEquals(jdk.getNotBefore().getTime() * 1000, row.get("tls_cert_not_before"));
        assertEquals(jdk.getNotAfter().getTime() * 1000, row.get("tls_cert_not_after"));
    }

    @Test
    void certificateSplitAcrossRecordsIsReassembled() throws Exception {
        byte[] der = Files.readAllBytes(Path.of("src/test/resources/protocols/selfsigned.der"));
        byte[] record = Messages.certificate(der);
        // re-frame the one handshake message as two records cut in the middle of the certificate
        int bodyLen = record.length - 5;
        int first = bodyLen / 2;
        byte[] a = new Bytes().u8(22).u16(0x0303).u16(first).bytes(java.util.Arrays.copyOfRange(record, 5, 5 + first)).array();
        byte[] b = new Bytes().u8(22).u16(0x0303).u16(bodyLen - first).bytes(java.util.Arrays.copyOfRange(record, 5 + first, record.length)).array();
        Map<String, Object> row = run(1460, Messages.serverHello(0x0303, 0xc02f, false), a, b);
        assertEquals("CN=vigie.test,OU=NDR,O=Vigie\\, Inc.,C=FR", row.get("tls_cert_subject"));
    }

    @Test
    void notTlsAfterAll() {
        try (Harness h = new Harness()) {
            byte[] junk = new Bytes().u8(22).u8(3).u8(1).u16(100).u8(1).ascii("not really a hello but long enough").array();
            new Conversation(h, "10.0.0.1", 50000, "10.0.0.2", 443).open().client(junk)
                    .client(new Bytes().u8(99).u8(99).u8(99).u8(99).u8(99).zeros(80).array()).close();
            Map<String, Object> row = h.only();
            assertEquals(0, h.analyzer.counters().exceptions);
            assertNull(row.get("ja4"));
            assertFalse(h.analyzer.counters().parseErrors.total() == 0);
        }
    }

    @Test
    void greaseValues() {
        assertTrue(TlsVersions.isGrease(0x0a0a));
        assertTrue(TlsVersions.isGrease(0xfafa));
        assertFalse(TlsVersions.isGrease(0x0a1a));
        assertFalse(TlsVersions.isGrease(0x1301));
    }
}
