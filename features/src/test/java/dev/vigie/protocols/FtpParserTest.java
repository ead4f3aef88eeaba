package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FtpParserTest {

    @Test
    void bruteForceSessionCountsAttemptsAndOutcomes() {
        try (Harness h = new Harness()) {
            Conversation c = new Conversation(h, "10.0.0.1", 40000, "10.0.0.21", 21).open();
            c.server("220-Welcome\r\n220-to the\r\n220 FTP server\r\n");
            for (String user : new String[] {"admin", "root", "admin"}) {
                c.client("USER " + user + "\r\n").server("331 Password required\r\n")
                        .client("PASS hunter2\r\n").server("530 Login incorrect.\r\n");
            }
            c.client("USER bob\r\n").server("331 Password required\r\n").client("PASS right\r\n")
                    .server("230-Welcome bob\r\n230-230 lines inside do not count\r\n230 Logged in\r\n")
                    .client("STOR patients,2024.csv\r\n").server("150 ok\r\n").client("retr x\r\n").close();
            Map<String, Object> row = h.only();
            assertEquals("ftp", row.get("app_proto"));
            assertEquals("admin,root,bob", row.get("ftp_user"));
            assertEquals(4, row.get("ftp_login_attempts"));
            assertEquals(1, row.get("ftp_login_ok"));
            assertEquals(3, row.get("ftp_login_failed"));
            assertEquals("STOR:patients\\x2c2024.csv,RETR:x", row.get("ftp_commands"));
            assertEquals(true, row.get("cleartext_credentials"));
            assertEquals(0, row.get("ftp_data_channels"));
        }
    }

    @Test
    void passiveDataChannelIsLinkedToItsControlFlow() {
        try (Harness h = new Harness()) {
            Conversation control = new Conversation(h, "10.0.0.1", 40000, "10.0.0.21", 21).open();
            control.server("220 ready\r\n").client("USER u\r\n").server("331 pw\r\n").client("PASS p\r\n")
                    .server("230 ok\r\n").client("PASV\r\n").server("227 Entering Passive Mode (10,0,0,21,195,80).\r\n")
                    .client("RETR data.bin\r\n");
            new Conversation(h, "10.0.0.1", 40001, "10.0.0.21", 195 * 256 + 80).open().server("binary data").close();
            control.client("EPSV\r\n").server("229 Entering Extended Passive Mode (|||50001|)\r\n");
            new Conversation(h, "10.0.0.1", 40002, "10.0.0.21", 50001).open().close();
            // active mode: the server connects from 20 to the address the client gave
            control.client("PORT 10,0,0,1,156,64\r\n").server("200 PORT ok\r\n");
            new Conversation(h, "10.0.0.21", 20, "10.0.0.1", 156 * 256 + 64).open().close();
            control.client("EPRT |1|10.0.0.1|6275|\r\n").server("200 ok\r\n");
            new Conversation(h, "10.0.0.21", 20, "10.0.0.1", 6275).open().close();
            // an unannounced connection to another port is not ftp-data
            new Conversation(h, "10.0.0.1", 40003, "10.0.0.21", 50002).open().close();
            control.close();
            List<Map<String, Object>> rows = h.finish();
            Map<String, Object> ctl = rows.stream().filter(r -> "ftp".equals(r.get("app_proto"))).findFirst().orElseThrow();
            assertEquals(4, ctl.get("ftp_data_channels"));
            long data = rows.stream().filter(r -> "ftp-data".equals(r.get("app_proto"))).peek(
                    r -> assertEquals(ctl.get("flow_id"), r.get("ftp_control_flow_id"))).count();
            assertEquals(4, data);
            assertEquals(4, h.analyzer.counters().expectationsMatched);
            Map<String, Object> stranger = rows.stream().filter(r -> Integer.valueOf(50002).equals(r.get("resp_p")))
                    .findFirst().orElseThrow();
            assertNull(stranger.get("app_proto"));
            assertNull(stranger.get("ftp_control_flow_id"));
        }
    }

    @Test
    void banner220OnAnotherPortIsFtpOnlyIfTheClientSpeaksFtp() {
        try (Harness h = new Harness()) {
            new Conversation(h, "10.0.0.1", 40000, "10.0.0.25", 2121).open().server("220 ftp.example FTP\r\n")
                    .client("USER anonymous\r\n").server("331 ok\r\n").close();
            assertEquals("ftp", h.only().get("app_proto"));
        }
        try (Harness h = new Harness()) {
            new Conversation(h, "10.0.0.1", 40000, "10.0.0.25", 25).open().server("220 mail.example ESMTP\r\n")
                    .client("EHLO client\r\n").server("250 hi\r\n").close();
            Map<String, Object> row = h.only();
            assertEquals("smtp", row.get("app_proto"));
            assertNull(row.get("ftp_user"));
        }
        try (Harness h = new Harness()) {
            new Conversation(h, "10.0.0.1", 40000, "10.0.0.25", 7000).open().server("220 something\r\n")
                    .client("HELLO? anyone\r\n").close();
            assertNull(h.only().get("app_proto"));
        }
    }

    @Test
    void authTlsStopsParsing() {
        try (Harness h = new Harness()) {
            new Conversation(h, "10.0.0.1", 40000, "10.0.0.21", 21).open().server("220 ready\r\n").client("AUTH TLS\r\n")
                    .server("234 Proceed\r\n").client("USER hidden\r\n").close();
            Map<String, Object> row = h.only();
            assertEquals("ftp", row.get("app_proto"));
            assertNull(row.get("ftp_user"));
            assertEquals(false, row.get("cleartext_credentials"));
        }
    }

    @Test
    void manyUsersAndCommandsAreCapped() {
        try (Harness h = new Harness()) {
            Conversation c = new Conversation(h, "10.0.0.1", 40000, "10.0.0.21", 21).open().server("220 ready\r\n");
            for (int i = 0; i < 100; i++) {
                c.client("USER user" + i + "\r\nPASS x\r\nSTOR " + "f".repeat(300) + i + "\r\n").server("530 no\r\n");
            }
            Map<String, Object> row = h.only();
            assertEquals(16, ((String) row.get("ftp_user")).split(",").length);
            assertEquals(100, row.get("ftp_login_attempts"));
            assertEquals(100, row.get("ftp_login_failed"));
            String commands = (String) row.get("ftp_commands");
            assertEquals(true, commands.length() <= Text.MAX_LIST);
        }
    }
}
