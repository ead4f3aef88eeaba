package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpParserTest {

    private static Map<String, Object> http(int mss, String... exchange) {
        try (Harness h = new Harness()) {
            Conversation c = new Conversation(h, "10.0.0.1", 50000, "10.0.0.80", 80).open();
            c.mss = mss;
            for (int i = 0; i < exchange.length; i++) {
                if (i % 2 == 0) {
                    c.client(exchange[i]);
                } else {
                    c.server(exchange[i]);
                }
            }
            c.close();
            Map<String, Object> row = h.only();
            assertEquals(0, h.analyzer.counters().exceptions);
            return row;
        }
    }

    @Test
    void requestAndResponseWithBodies() {
        Map<String, Object> row = http(1460,
                "POST /upload?x=%41 HTTP/1.1\r\nHost: files.example\r\nUser-Agent: curl/8.5.0\r\nContent-Length: 11\r\n\r\nhello world",
                "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
        assertEquals("http", row.get("app_proto"));
        assertEquals("POST", row.get("http_method"));
        assertEquals("files.example", row.get("http_host"));
        assertEquals("/upload?x=%41", row.get("http_uri"));
        assertEquals("curl/8.5.0", row.get("http_user_agent"));
        assertEquals(201, row.get("http_status"));
        assertEquals(11L, row.get("http_request_body_len"));
        assertEquals(2L, row.get("http_response_body_len"));
        assertEquals(false, row.get("cleartext_credentials"));
    }

    @Test
    void keepAliveChunkedHeadAnd304() {
        String[] exchange = {
            "GET /a HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b HTTP/1.1\r\nHost: h\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n",
            "GET /c HTTP/1.1\r\nHost: h\r\n\r\n",
            "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n",
            "GET /d HTTP/1.0\r\n\r\n",
            "HTTP/1.0 200 OK\r\n\r\nuntil the connection closes",
        };
        Map<String, Object> whole = http(1460, exchange);
        assertEquals(4, whole.get("http_requests"));
        assertEquals(200, whole.get("http_status"));
        assertEquals("/a", whole.get("http_uri"));
        assertEquals(11L + 27, whole.get("http_response_body_len"));
        assertEquals(0L, whole.get("http_request_body_len"));
        Map<String, Object> bytes = http(1, exchange);
        for (String k : whole.keySet()) {
            if (k.startsWith("http_") || k.equals("app_proto")) {
                assertEquals(whole.get(k), bytes.get(k), k);
            }
        }
    }

    @Test
    void basicAuthorizationKeepsTheUserOnly() {
        // "alice:s3cret" in base64
        Map<String, Object> row = http(1460, "GET / HTTP/1.1\r\nHost: intranet\r\nAuthorization: Basic YWxpY2U6czNjcmV0\r\n\r\n",
                "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
        assertEquals("alice", row.get("http_auth_basic_user"));
        assertEquals(true, row.get("cleartext_credentials"));
        assertEquals(401, row.get("http_status"));
    }

    @Test
    void connectStopsAtTheTunnel() {
        Map<String, Object> row = http(1460, "CONNECT db.internal:5432 HTTP/1.1\r\nHost: db.internal:5432\r\n\r\n",
                "HTTP/1.1 200 Connection established\r\n\r\n", "\u0016\u0003\u0001 binary tunnel bytes\r\n\r\n",
                "more binary");
        assertEquals("CONNECT", row.get("http_method"));
        assertEquals(200, row.get("http_status"));
        assertEquals(1, row.get("http_requests"));
        assertEquals(0L, row.get("http_response_body_len"));
    }

    @Test
    void endlessHeaderLineIsCutNotBuffered() {
        StringBuilder huge = new StringBuilder("GET /x HTTP/1.1\r\nCookie: ");
        huge.append("a".repeat(50_000)).append("\r\nUser-Agent: after-the-cookie\r\n\r\n");
        Map<String, Object> row = http(1460, huge.toString(), "HTTP/1.1 204 No Content\r\n\r\n");
        assertEquals("after-the-cookie", row.get("http_user_agent"));
        assertEquals(204, row.get("http_status"));
    }

    @Test
    void garbageAfterARequestLine() {
        Map<String, Object> row = http(1460, "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n");
        assertEquals("GET", row.get("http_method"));
        assertEquals(200, row.get("http_status"));
        Map<String, Object> junk = http(1460, "GET \u0000\u0001\u0002 garbage\r\n", "\u00ff\u00fe junk\r\n");
        assertEquals("GET", junk.get("http_method"));
        assertEquals("\\x00\\x01\\x02 garbage", junk.get("http_uri"));
        assertNull(junk.get("http_status"));
    }
}
