package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsParserTest {

    private static Map<String, Object> exchange(byte[] query, byte[] response) {
        try (Harness h = new Harness()) {
            if (query != null) {
                h.udp("10.0.0.1", 40000, "10.0.0.53", 53, query);
            }
            if (response != null) {
                h.udp("10.0.0.53", 53, "10.0.0.1", 40000, response);
            }
            Map<String, Object> row = h.only();
            assertEquals(0, h.analyzer.counters().exceptions);
            return row;
        }
    }

    @Test
    void queryAndAddressAnswers() {
        Map<String, Object> row = exchange(Messages.dnsQuery(7, "www.example.com", 1),
                Messages.dnsResponse(7, "www.example.com", 1, 0, Bytes.hex("5db8d822"), Bytes.hex("0a000001")));
        assertEquals("dns", row.get("app_proto"));
        assertEquals("www.example.com", row.get("dns_query"));
        assertEquals(1, row.get("dns_qtype"));
        assertEquals(0, row.get("dns_rcode"));
        assertEquals(2, row.get("dns_answers_count"));
        assertEquals("93.184.216.34,10.0.0.1", row.get("dns_answers"));
    }

    @Test
    void aaaaCnameMxTxtAndNxdomain() {
        Map<String, Object> aaaa = exchange(null, Messages.dnsResponse(1, "v6.test", 28, 0,
                Bytes.hex("20010db8000000000000000000000001")));
        assertEquals("2001:db8::1", aaaa.get("dns_answers"));
        assertEquals("v6.test", aaaa.get("dns_query"));

        byte[] cnameTarget = new Bytes().u8(3).ascii("cdn").u16(0xC00C).array();   // "cdn." + pointer to the question
        Map<String, Object> cname = exchange(null, Messages.dnsResponse(1, "a.test", 5, 0, cnameTarget));
        assertEquals("cdn.a.test", cname.get("dns_answers"));

        byte[] mx = new Bytes().u16(10).u8(4).ascii("mail").u16(0xC00C).array();
        assertEquals("mail.a.test", exchange(null, Messages.dnsResponse(1, "a.test", 15, 0, mx)).get("dns_answers"));

        byte[] txt = new Bytes().u8(9).ascii("v=spf1,-a").array();
        assertEquals("v=spf1\\x2c-a", exchange(null, Messages.dnsResponse(1, "a.test", 16, 0, txt)).get("dns_answers"));

        Map<String, Object> nx = exchange(Messages.dnsQuery(2, "nope.test", 1), Messages.dnsResponse(2, "nope.test", 1, 3));
        assertEquals(3, nx.get("dns_rcode"));
        assertEquals(0, nx.get("dns_answers_count"));
        assertNull(nx.get("dns_answers"));
    }

    @Test
    void compressionLoopsAndForwardPointersAreRefused() {
        // the question name is a pointer to itself
        byte[] self = new Bytes().u16(1).u16(0x0100).u16(1).u16(0).u16(0).u16(0).u16(0xC00C).u16(1).u16(1).array();
        // two labels pointing at each other: offset 12 -> 16 (forward), 16 -> 12
        byte[] mutual = new Bytes().u16(1).u16(0x0100).u16(1).u16(0).u16(0).u16(0)
                .u8(1).ascii("a").u16(0xC010).u8(1).ascii("b").u16(0xC00C).u16(1).u16(1).array();
        // a response answer whose name points past the end of the message
        byte[] past = new Bytes().bytes(Messages.dnsQuery(1, "x.test", 1)).array();
        past[2] = (byte) 0x81;
        past[7] = 1;
        past = new Bytes().bytes(past).u16(0xC0FF).u16(1).u16(1).u32(1).u16(4).u32(0x01020304).array();
        for (byte[] m : new byte[][] {self, mutual, past}) {
            try (Harness h = new Harness()) {
                h.udp("10.0.0.1", 40000, "10.0.0.53", 53, m);
                Map<String, Object> row = h.only();
                assertEquals(0, h.analyzer.counters().exceptions);
                assertTrue(h.analyzer.counters().parseErrors.total() > 0, "counted as a parse error");
                if (m != past) {
                    assertNull(row.get("dns_query"));
                }
            }
        }
    }

    @Test
    void longCompressionChainStopsAtTheJumpLimit() {
        // 30 questions, each "x" then a pointer to the previous question's name: legal backward pointers whose
        // chains grow one jump per question, past the jump limit
        Bytes b = new Bytes().u16(1).u16(0x0100).u16(30).u16(0).u16(0).u16(0);
        int prev = -1;
        for (int i = 0; i < 30; i++) {
            int here = 12 + b.size() - 12;
            b.u8(1).ascii("x");
            if (prev < 0) {
                b.u8(0);
            } else {
                b.u16(0xC000 | prev);
            }
            b.u16(1).u16(1);
            prev = here;
        }
        try (Harness h = new Harness()) {
            h.udp("10.0.0.1", 40000, "10.0.0.53", 53, b.array());
            Map<String, Object> row = h.only();
            assertEquals(0, h.analyzer.counters().exceptions);
            assertEquals("x", row.get("dns_query"));
            assertEquals(1L, h.analyzer.counters().parseErrors.get(AppProto.DNS));
        }
    }

    @Test
    void dnsOverTcpWithLengthPrefix() {
        try (Harness h = new Harness()) {
            byte[] q = Messages.dnsQuery(9, "example.org", 252);
            byte[] r = Messages.dnsResponse(9, "example.org", 252, 5);
            Conversation c = new Conversation(h, "10.0.0.1", 40001, "10.0.0.53", 53).open();
            c.mss = 3;
            c.client(new Bytes().u16(q.length).bytes(q).array()).server(new Bytes().u16(r.length).bytes(r).array()).close();
            Map<String, Object> row = h.only();
            assertEquals("example.org", row.get("dns_query"));
            assertEquals(252, row.get("dns_qtype"));
            assertEquals(5, row.get("dns_rcode"));
        }
    }

    @Test
    void rootAndNonPrintableLabels() {
        assertEquals(".", exchange(Messages.dnsQuery(1, "", 2), null).get("dns_query"));
        byte[] q = new Bytes().u16(1).u16(0x0100).u16(1).u16(0).u16(0).u16(0).u8(3).u8('a').u8(0).u8(0xff).u8(0)
                .u16(1).u16(1).array();
        assertEquals("a\\x00\\xff", exchange(q, null).get("dns_query"));
    }

    @Test
    void notDnsOnPort53() {
        try (Harness h = new Harness()) {
            h.udp("10.0.0.1", 40000, "10.0.0.53", 53, "hello, this is not dns at all".getBytes());
            assertNull(h.only().get("app_proto"));
        }
    }
}
