package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FtpExpectationsTest {
    private static final long S = 1_000_000_000L;

    @Test
    void matchOnceThenGone() {
        ProtocolCounters c = new ProtocolCounters();
        FtpExpectations t = new FtpExpectations(c);
        t.expect(0, 0x0A000001L, 5000, 42, 0);
        assertEquals(-1, t.match(0, 0x0A000002L, 5000, S));
        assertEquals(-1, t.match(0, 0x0A000001L, 5001, S));
        assertEquals(42, t.match(0, 0x0A000001L, 5000, S));
        assertEquals(-1, t.match(0, 0x0A000001L, 5000, S));
        assertTrue(t.isEmpty());
    }

    @Test
    void expiresAfterTheTtl() {
        ProtocolCounters c = new ProtocolCounters();
        FtpExpectations t = new FtpExpectations(c);
        t.expect(0, 1, 5000, 7, 0);
        assertEquals(-1, t.match(0, 1, 5000, FtpExpectations.TTL_NS + S));
        assertEquals(1, c.expectationsDropped);
    }

    @Test
    void floodStaysBoundedAndRecentEntriesWin() {
        ProtocolCounters c = new ProtocolCounters();
        FtpExpectations t = new FtpExpectations(c);
        for (int i = 0; i < 100_000; i++) {
            t.expect(0, 0x0A000000L + (i % 5000), 1024 + i % 60000, i, i);
        }
        // the most recent announcement is still there
        assertEquals(99_999, t.match(0, 0x0A000000L + (99_999 % 5000), 1024 + 99_999 % 60000, 100_000));
        assertTrue(c.expectationsDropped > 0);
    }
}
