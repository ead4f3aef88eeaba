package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SshParserTest {

    /** Banners, KEXINIT, ECDH, NEWKEYS each way, then encrypted segments of the given sizes (client, server, ...). */
    private static Map<String, Object> session(int mss, int... encrypted) {
        try (Harness h = new Harness()) {
            Conversation c = new Conversation(h, "10.0.0.1", 40000, "10.0.0.22", 22).open();
            c.mss = mss;
            c.server("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n").client("SSH-2.0-PuTTY_Release_0.80\r\n");
            c.client(Messages.sshPacket(20, 1200)).server(Messages.sshPacket(20, 900));
            c.client(Messages.sshPacket(30, 40)).server(Messages.sshPacket(31, 600));
            c.server(Messages.sshPacket(21, 0)).client(Messages.sshPacket(21, 0));
            for (int i = 0; i < encrypted.length; i++) {
                c.send(i % 2 == 0, new byte[encrypted[i]]);
            }
            c.close();
            Map<String, Object> row = h.only();
            assertEquals(0, h.analyzer.counters().exceptions);
            return row;
        }
    }

    @Test
    void bannersAreKept() {
        Map<String, Object> row = session(1460);
        assertEquals("ssh", row.get("app_proto"));
        assertEquals("SSH-2.0-PuTTY_Release_0.80", row.get("ssh_client"));
        assertEquals("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13", row.get("ssh_server"));
        assertNull(row.get("ssh_auth_success"));
    }

    @Test
    void zeekHeuristicSuccessAfterAFailure() {
        // client SERVICE_REQUEST, server SERVICE_ACCEPT (52); USERAUTH_REQUEST, FAILURE (68); again FAILURE (68);
        // then a request answered by USERAUTH_SUCCESS, 16 bytes shorter than the SERVICE_ACCEPT (36)
        assertEquals(true, session(1460, 52, 52, 100, 68, 100, 68, 100, 36, 200, 400).get("ssh_auth_success"));
    }

    @Test
    void zeekHeuristicRepeatedFailures() {
        assertEquals(false, session(1460, 52, 52, 100, 68, 100, 68, 100, 68).get("ssh_auth_success"));
        // a single failure only sets the failure size: undecided, as in Zeek
        assertNull(session(1460, 52, 52, 100, 68).get("ssh_auth_success"));
    }

    @Test
    void noneAuthenticationSucceedsAtOnce() {
        assertEquals(true, session(1460, 52, 52, 100, 36).get("ssh_auth_success"));
    }

    @Test
    void cleartextPhaseSurvivesTinySegments() {
        assertEquals("SSH-2.0-PuTTY_Release_0.80", session(7).get("ssh_client"));
    }

    @Test
    void garbageAfterTheBannerIsAParseError() {
        try (Harness h = new Harness()) {
            new Conversation(h, "10.0.0.1", 40000, "10.0.0.22", 22).open().server("SSH-2.0-x\r\n")
                    .server(new Bytes().u32(0x7fffffff).zeros(20).array()).close();
            Map<String, Object> row = h.only();
            assertEquals("SSH-2.0-x", row.get("ssh_server"));
            assertEquals(1L, h.analyzer.counters().parseErrors.get(AppProto.SSH));
        }
    }
}
