package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vigie.decode.DecodedPacket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The naive reassembly: retransmissions, one reordered run, holes, snaplen cuts. */
class StreamDirectionTest {
    private static final byte[] REQUEST = ("GET /reordered HTTP/1.1\r\nHost: example.test\r\nUser-Agent: order-test/1\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    /** Sends REQUEST cut in 4 pieces in the given order (piece indexes), as segments with their true sequence numbers. */
    private static Map<String, Object> send(int... order) {
        try (Harness h = new Harness()) {
            Conversation c = new Conversation(h, "10.0.0.1", 40000, "10.0.0.80", 80).open();
            int piece = (REQUEST.length + 3) / 4;
            long base = c.clientSeq;
            for (int i : order) {
                int off = i * piece;
                int len = Math.min(piece, REQUEST.length - off);
                h.wire.tcp(h.tick(), c.client, c.clientPort, c.server, c.serverPort,
                        DecodedPacket.TCP_ACK | DecodedPacket.TCP_PSH, base + off, c.serverSeq,
                        REQUEST, off, len);
                h.send();
            }
            Map<String, Object> row = h.only();
            row.put("gaps", h.analyzer.counters().gaps.get(AppProto.HTTP));
            return row;
        }
    }

    @Test
    void inOrderAndRetransmitted() {
        assertEquals("example.test", send(0, 1, 2, 3).get("http_host"));
        assertEquals("example.test", send(0, 1, 1, 0, 2, 3, 3).get("http_host"));
    }

    @Test
    void oneReorderedRunIsHeldUntilTheHoleFills() {
        assertEquals("order-test/1", send(0, 2, 1, 3).get("http_user_agent"));
        assertEquals("order-test/1", send(0, 2, 3, 1).get("http_user_agent"));   // a run of two early segments
        assertEquals(0L, send(0, 2, 3, 1).get("gaps"));
    }

    @Test
    void anotherHoleEndsTheDirection() {
        // 3 is held; 2 is early too but not after the held run: a second hole, which naive reassembly gives up on
        Map<String, Object> row = send(0, 3, 2, 1);
        assertNull(row.get("http_user_agent"));
        assertEquals(1L, row.get("gaps"));
        Map<String, Object> lost = send(0, 2);      // 1 never comes: the request line stays incomplete
        assertEquals("http", lost.get("app_proto"));
        assertNull(lost.get("http_method"));
    }
}
