package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.dlp.DlpAnalyzer;
import dev.vigie.dlp.DlpConfig;
import dev.vigie.dlp.IdPattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPP/IEP detectors on crafted flows: a value that fits the site pattern counts only as a whole token with
 * context (keyword before it on the line, a CSV/TSV column named for it, HL7 PID-3 / PV1-19 / PID-18).
 */
class DlpIdFlowTest {
    static final String IPP = "77656115";
    static final String IEP = "525068711";
    static final byte[] SECRET = new byte[32];

    @TempDir
    Path tmp;

    static Map<String, Object> flow(DlpAnalyzer dlp, int mss, String client, String server) {
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 40100, "10.77.200.5", 21).open();
            c.mss = mss;
            c.client(client);
            if (server != null) {
                c.server(server);
            }
            c.client("\n");
            c.close();
            return h.only();
        }
    }

    static Map<String, Object> send(String text) {
        return flow(new DlpAnalyzer(new DlpConfig(65536, SECRET, 8)), 1460, text, null);
    }

    static int ipp(Map<String, Object> r) {
        return (Integer) r.get("dlp_ipp");
    }

    static int iep(Map<String, Object> r) {
        return (Integer) r.get("dlp_iep");
    }

    /** {@code body} followed by its Luhn check digit. */
    static String luhn(String body) {
        for (int d = 0; d < 10; d++) {
            byte[] b = (body + d).getBytes();
            if (dev.vigie.dlp.Detectors.luhn(b, b.length)) {
                return body + d;
            }
        }
        throw new IllegalStateException();
    }

    @Test
    void csvHeaderColumnsGiveContextToTheirColumnOnly() {
        String csv = "nir;ipp;iep;date_naissance\n"
                + "105092A93861965;" + IPP + ";" + IEP + ";20050905\n"
                + "263096773548267;77877093;524499492;19630908\n"
                + "x;" + IEP + ";" + IPP + ";\n";         // swapped columns: each value is in the other's column
        Map<String, Object> r = send(csv);
        assertEquals(2, ipp(r));
        assertEquals(2, iep(r));
        assertEquals(2, r.get("dlp_nir"));
    }

    @Test
    void quotedCommaAndTabHeadersAndAnEmptyLineEndsTheTable() {
        assertEquals(1, ipp(send("\"Nom\",\"IPP\",\"x\"\n\"DUPONT\",\"" + IPP + "\",\"1\"\n")));
        assertEquals(1, iep(send("nom\tnda\nDUPONT\t" + IEP + "\n")));
        assertEquals(0, ipp(send("nom;ipp\n\nDUPONT;" + IPP + "\n")), "an empty line ends the table");
        assertEquals(0, ipp(send("nom;ipp patient\nDUPONT;" + IPP + "\n")), "a field of two words is no header name");
        assertEquals(1, ipp(send("nom;ipp\r\nDUPONT;" + IPP + "\r\nDURAND;x\r\n")), "CR LF is one line break");
    }

    @Test
    void aKeywordCountsWithinTheWindowOnItsLineOnly() {
        assertEquals(1, ipp(send("IPP: " + IPP + "\n")));
        assertEquals(1, ipp(send("{\"patient\":\"" + IPP + "\",\"nda\":\"" + IEP + "\"}\n")));
        assertEquals(1, iep(send("{\"patient\":\"" + IPP + "\",\"nda\":\"" + IEP + "\"}\n")));
        assertEquals(1, iep(send("Numero de sejour : " + IEP + "\n")));
        assertEquals(1, iep(send("N. de s\u00e9jour : " + IEP + "\n")), "Latin-1 keyword (the harness sends Latin-1)");
        String utf8 = new String("S\u00e9jour : ".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(1, iep(send(utf8 + IEP + "\n")), "the same keyword in UTF-8");
        assertEquals(0, ipp(send("IPP\n" + IPP + "\n")), "a keyword on the previous line");
        assertEquals(0, ipp(send("IPP " + "-".repeat(40) + " " + IPP + "\n")), "beyond the 32-byte window");
        assertEquals(0, iep(send("IPP: " + IEP + "\n")), "an IPP keyword gives no IEP context");
        assertEquals(1, ipp(send("<IPP>" + IPP + "</IPP>\n")));
    }

    @Test
    void onlyWholeTokensThatFitThePatternCount() {
        String line = "ipp=x" + IPP + " " + IPP + "z 1" + IPP + " " + IPP + "0 78656115 7765611 "
                + "0612345678 1701234567 20250905 ipp " + IPP + "\n";
        DlpAnalyzer dlp = new DlpAnalyzer(new DlpConfig(65536, SECRET, 8));
        Map<String, Object> r = flow(dlp, 5, line, null);
        assertEquals(1, ipp(r), "only the last value is a whole token with the pattern");
        assertEquals(0, iep(r));
        assertEquals(0, iep(send("sejour 5" + "19" + "068711 5" + "30" + "068711\n")), "admission year outside 20-29");
        assertEquals(0, ipp(send(IPP + ";" + IPP + "\n")), "no context at all");
        assertEquals(1, ipp(send("patient_id=" + IPP + "&x=1\n")), "patient_id: the word patient, then the value");
    }

    @Test
    void spaceSeparatedValuesAreSeparateTokens() {
        Map<String, Object> r = send("ipp " + IPP + " nda " + IEP + " " + IPP + "\n");
        assertEquals(2, ipp(r), "the keyword window covers the second IPP too");
        assertEquals(1, iep(r));
        assertEquals(1, ipp(send("ipp " + "123456789012345678901234567 " + IPP + "\n")), "after a long run");
    }

    @Test
    void hl7Pid3AndPv119GiveContextInMllpFrames() {
        String msg = "\u000bMSH|^~\\&|LAB|HOPITAL|VIGIE-ENGINE|HOPITAL|20251201120000||ADT^A01^ADT_A01|LAB000001|P|2.5\r"
                + "PID|1||" + IPP + "^^^HOPITAL&1.2.250.1.71.4.2.7&ISO^PI||DUPONT^JEAN^^^^^L||19800101|M\r"
                + "PV1|1|I|CARDIO^101^1||||||||||||||||" + IEP + "^^^HOPITAL&1.2.250.1.71.4.2.7&ISO^VN\r"
                + "OBX|1|NM|X||" + IPP + "|mL\r\u001c\r";
        DlpAnalyzer dlp = new DlpAnalyzer(new DlpConfig(65536, SECRET, 8));
        Map<String, Object> r = flow(dlp, 7, msg, "\u000bMSH|^~\\&|E|H|L|H|20251201120000||ACK^A01^ACK|A1|P|2.5\rMSA|AA|LAB000001\r\u001c\r");
        assertEquals(1, ipp(r), "PID-3, not OBX-5");
        assertEquals(1, iep(r));
        assertEquals(1, dlp.counters().ippNoContext);
        assertEquals(1, r.get("dlp_hl7_patients"));
        String two = "PID|1||" + IPP + "^^^H^PI||DUPONT^JEAN||19800101|M\rPID|2||77000001^^^H^PI||||19800101|M\r"
                + "PID|3||77000002^^^H^PI||\"\"^^^^^^L||19800101|M\r";
        DlpAnalyzer d2 = new DlpAnalyzer(new DlpConfig(65536, SECRET, 8));
        Map<String, Object> r2 = flow(d2, 3, two, null);
        assertEquals(1, r2.get("dlp_hl7_patients"), "PID-5 empty or only quotes and a type code: no name");
        assertEquals(3, d2.counters().hl7PidSegments);
        assertEquals(3, r2.get("dlp_ipp"));
        for (Object v : r.values()) {
            assertFalse(String.valueOf(v).contains("DUPONT"), "a name in a column");
        }
        String pid18 = "PID|1||x||DUPONT^JEAN||19800101|M" + "|".repeat(10) + IEP + "\r";
        assertEquals(1, iep(send(pid18)), "PID-18, the patient account number");
    }

    @Test
    void valuesAreHashedNeverKeptAndAHoleResetsTheLine() {
        Map<String, Object> r = send("nom;ipp;iep\nA;" + IPP + ";" + IEP + "\n");
        String hashes = (String) r.get("dlp_hashes");
        assertEquals(2, hashes.split(",").length);
        assertEquals("77****15,525****11", r.get("dlp_masked"), "same order as the hashes");
        Map<String, Object> all = send("nir;ipp;card\n" + DlpFlowTest.A + ";" + IPP + ";4111111111111111\n"
                + DlpFlowTest.A + ";" + IPP + ";4111111111111111\n");
        assertEquals("1 84 12 ** *** *** " + DlpFlowTest.A.substring(13) + ",77****15,**** 1111", all.get("dlp_masked"));
        assertEquals(3, ((String) all.get("dlp_hashes")).split(",").length, "repeated values: one hash, one mask");
        IdPattern noYear = new IdPattern("", 8, -1, -1, IdPattern.Check.NONE, List.of("ipp"));
        Map<String, Object> short8 = flow(new DlpAnalyzer(new DlpConfig(65536, SECRET, 8, noYear, IdPattern.DEFAULT_IEP, 32)),
                1460, "ipp 12345678\n", null);
        assertEquals("******78", short8.get("dlp_masked"), "no prefix: only the last 2 digits");
        for (Object v : r.values()) {
            assertFalse(String.valueOf(v).contains(IPP) || String.valueOf(v).contains(IEP), "clear value in a column");
        }
        DlpAnalyzer dlp = new DlpAnalyzer(new DlpConfig(65536, SECRET, 8));
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 40101, "10.77.200.5", 21).open();
            c.client("nom;ipp\nA;");
            c.lose(true, 30);                          // the field count of this line is unknown after the hole
            c.client("x;" + IPP + "\nB;" + IPP + "\n");
            c.close();
            assertEquals(1, h.only().get("dlp_ipp"), "the table holds again from the next line");
        }
    }

    @Test
    void checkDigitsAndTurningADetectorOff() {
        IdPattern luhn = new IdPattern("12", 8, -1, -1, IdPattern.Check.LUHN, List.of("ipp"));
        assertTrue(luhn.matches("12345674".getBytes(), 0, 8));
        assertFalse(luhn.matches("12345675".getBytes(), 0, 8));
        IdPattern mod97 = new IdPattern("", 10, -1, -1, IdPattern.Check.MOD97, List.of("ipp"));
        String v = "12345678" + String.format("%02d", 97 - 12345678 % 97);
        assertTrue(mod97.matches(v.getBytes(), 0, 10));
        int key = Integer.parseInt(v.substring(8));
        assertFalse(mod97.matches(("12345678" + String.format("%02d", key % 97 + 1)).getBytes(), 0, 10));
        IdPattern off = new IdPattern("77", 0, -1, -1, IdPattern.Check.NONE, List.of());
        DlpConfig c = new DlpConfig(65536, SECRET, 8, off, IdPattern.DEFAULT_IEP, 32);
        assertEquals(0, flow(new DlpAnalyzer(c), 1460, "ipp " + IPP + "\n", null).get("dlp_ipp"));
    }

    @Test
    void aSettingsFileChangesThePatternsAndAnInvalidOneNamesFileLineAndProblem() throws Exception {
        Path f = tmp.resolve("dlp.conf");
        Files.writeString(f, "# site 31\nipp.prefix = 31\nipp.length: 9\nipp.check = luhn\nipp.keywords = dossier, ipp\n"
                + "iep.years = none\nkeyword_window = 8\n");
        DlpConfig c = new DlpConfig(65536, SECRET, 8).withSettings(f);
        assertEquals(new IdPattern("31", 9, -1, -1, IdPattern.Check.LUHN, List.of("dossier", "ipp")), c.ipp());
        assertEquals(8, c.keywordWindow());
        assertEquals(IdPattern.DEFAULT_IEP.prefix(), c.iep().prefix());
        assertEquals(1, flow(new DlpAnalyzer(c), 1460, "dossier " + luhn("31234567") + "\n", null).get("dlp_ipp"));
        assertEquals(0, flow(new DlpAnalyzer(c), 1460, "dossier " + IPP + "\n", null).get("dlp_ipp"));

        for (String[] bad : new String[][] {
                {"ipp.prefx = 77\n", ":1: unknown key 'ipp.prefx'"},
                {"\nipp.length = eight\n", ":2: ipp.length: not an integer: 'eight'"},
                {"ipp.check = crc\n", ":1: ipp.check: check must be none, luhn or mod97, got 'crc'"},
                {"iep.years = 2020-2029\n", ":1: iep.years: years must be LO-HI"},
                {"ipp.prefix = 123456789\n", ": ipp: prefix '123456789' leaves no digit in a 8-digit value"},
                {"ipp.keywords = n\u00b0ipp\n", ": ipp: keyword 'n\u00b0ipp' must be 1-16 bytes of letters"},
                {"just a line\n", ":1: expected key = value"},
                {"ipp.length = 8\nipp.length = 9\n", ":2: 'ipp.length' given twice"}}) {
            Files.writeString(f, bad[0]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new DlpConfig(65536, SECRET, 8).withSettings(f));
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(bad[1]) && !e.getMessage().contains("\n"),
                    e.getMessage());
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new DlpConfig(65536, SECRET, 8).withSettings(tmp.resolve("nope.conf")));
        assertTrue(missing.getMessage().startsWith(tmp.resolve("nope.conf") + ": cannot read DLP settings"), missing.getMessage());
    }

    @Test
    void theStandardConfigReadsTheFileNamedByTheSystemProperty() throws Exception {
        Path f = tmp.resolve("dlp.conf");
        Files.writeString(f, "iep.prefix = 6\n");
        String before = System.getProperty(DlpConfig.CONFIG_PROPERTY);
        try {
            System.setProperty(DlpConfig.CONFIG_PROPERTY, f.toString());
            assertEquals("6", DlpConfig.standard().iep().prefix());
            Files.writeString(f, "iep.prefix = x\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, DlpConfig::standard);
            assertTrue(e.getMessage().contains("prefix must be digits"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(DlpConfig.CONFIG_PROPERTY);
            } else {
                System.setProperty(DlpConfig.CONFIG_PROPERTY, before);
            }
        }
    }
}
