package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.dlp.DlpAnalyzer;
import dev.vigie.dlp.DlpConfig;
import dev.vigie.dlp.Detectors;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DLP analyzer on crafted flows through the real flow table and column writers: exact counts. */
class DlpFlowTest {

    /** A NIR with its correct key (Corsica 2A counts as 19, 2B as 18). */
    static String nir(String thirteen) {
        long n = Long.parseLong(thirteen.replace("2A", "19").replace("2B", "18"));
        return thirteen + String.format("%02d", 97 - n % 97);
    }

    static String badKey(String nir) {
        int key = Integer.parseInt(nir.substring(13));
        return nir.substring(0, 13) + String.format("%02d", key == 1 ? 2 : key - 1);
    }

    static String spaced(String n) {
        return n.charAt(0) + " " + n.substring(1, 3) + " " + n.substring(3, 5) + " " + n.substring(5, 7) + " "
                + n.substring(7, 10) + " " + n.substring(10, 13) + " " + n.substring(13);
    }

    static final String A = nir("1841275123456");
    static final String B = nir("2900699100042");
    static final String CORSICA_A = nir("175082A004017");
    static final String CORSICA_B = nir("266012B123456");

    private static Map<String, Object> post(int mss, String body) {
        return post(new DlpAnalyzer(), mss, body);
    }

    private static Map<String, Object> post(DlpAnalyzer dlp, int mss, String body) {
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 40000, "10.77.200.5", 80).open();
            c.mss = mss;
            c.client("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body + "\n");
            c.server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            c.close();
            return h.only();
        }
    }

    @Test
    void validInvalidSpacedAndCorsicaNirsAreCountedExactly() {
        String body = "ipp;nir\n1;" + A + "\n2;" + spaced(B) + "\n3;" + CORSICA_A + "\n4;" + CORSICA_B
                + "\n5;" + badKey(A) + "\nts;1701234567890123\nphone;0612345678\n";
        Map<String, Object> r = post(1460, body);
        assertEquals(4, r.get("dlp_nir"));
        assertEquals(1, r.get("dlp_nir_invalid"));
        assertEquals(0, r.get("dlp_cards"));
        String hashes = (String) r.get("dlp_hashes");
        assertEquals(4, hashes.split(",").length);
        for (String h : hashes.split(",")) {
            assertTrue(h.matches("[0-9a-f]{16}"), h);
        }
        for (Object v : r.values()) {
            String s = String.valueOf(v);
            assertFalse(s.contains(A) || s.contains(CORSICA_A) || s.contains(spaced(B)), "clear identifier in a column");
        }
    }

    @Test
    void byteBySegmentDeliveryFindsTheSameAndRepeatsHashOnce() {
        String body = A + "," + A + "," + spaced(A) + ",4111111111111111,4111111111111112,5500005555555559\n";
        Map<String, Object> r = post(1, body);
        assertEquals(3, r.get("dlp_nir"));
        assertEquals(2, r.get("dlp_cards"));
        assertEquals(3, ((String) r.get("dlp_hashes")).split(",").length, "one hash per distinct value");
    }

    @Test
    void retransmissionsAreNotCountedTwiceAndHolesAreCounted() {
        DlpAnalyzer dlp = new DlpAnalyzer();
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 40001, "10.77.200.5", 21).open();
            byte[] first = (A + "\n").getBytes(StandardCharsets.US_ASCII);
            c.client(first);
            c.retransmit(true, first, first.length);
            c.lose(true, 100);
            c.client(B + "\n");
            c.close();
            Map<String, Object> r = h.only();
            assertEquals(2, r.get("dlp_nir"));
            assertEquals(1, r.get("dlp_gaps"));
            assertEquals(first.length, dlp.counters().retransmittedBytes);
        }
    }

    @Test
    void segmentsArrivingOutOfOrderAreReassembledNotCountedAsHoles() {
        DlpAnalyzer dlp = new DlpAnalyzer();
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 40002, "10.77.200.5", 21).open();
            byte[] text = ("STOR x\n" + A + ";" + B + "\n").getBytes(StandardCharsets.US_ASCII);
            int cut = text.length - 8;                       // inside B: neither half holds it whole
            byte[] first = java.util.Arrays.copyOfRange(text, 0, cut);
            byte[] second = java.util.Arrays.copyOfRange(text, cut, text.length);
            c.lose(true, first.length);                      // the second segment overtakes the first
            c.client(second);
            c.retransmit(true, first, first.length + second.length);
            c.client(CORSICA_B + "\n");                      // the stream goes on in order afterwards
            c.close();
            Map<String, Object> r = h.only();
            assertEquals(3, r.get("dlp_nir"), "A, B across the reordered boundary, and the one after");
            assertEquals(text.length + CORSICA_B.length() + 1, r.get("dlp_bytes_scanned"));
            assertEquals(0, r.get("dlp_gaps"));
            assertEquals(1, dlp.counters().reorderHeld);
            assertEquals(1, dlp.counters().reorderFilled);
            assertEquals(0, dlp.counters().reorderGivenUp);
        }
    }

    @Test
    void aHoleThatNeverFillsIsGivenUpAfterAFewSegmentsAndScanningGoesOn() {
        DlpAnalyzer dlp = new DlpAnalyzer();
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 40004, "10.77.200.5", 21).open();
            c.client(A + "\n");
            c.lose(true, 300);
            for (int i = 0; i < 12; i++) c.client("line " + i + "\n");
            c.client(B + "\n");
            c.close();
            Map<String, Object> r = h.only();
            assertEquals(2, r.get("dlp_nir"), "held bytes are scanned once the hole is given up on");
            assertEquals(1, r.get("dlp_gaps"));
            assertEquals(1, dlp.counters().reorderGivenUp);
            assertEquals(0, dlp.counters().reorderFilled);
        }
    }

    @Test
    void binaryChunksAreSkippedAndCountedTextAroundThemIsScanned() {
        DlpAnalyzer dlp = new DlpAnalyzer();
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 40003, "10.77.200.5", 2121).open();
            c.client(A + "\n");                               // text: scanned
            byte[] blob = new byte[1000];
            new java.util.Random(7).nextBytes(blob);          // compressed-looking data with a NIR inside
            byte[] digits = (" " + B + " ").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(digits, 0, blob, 500, digits.length);
            c.client(blob);
            // HL7 over MLLP is text despite its framing bytes (VT, FS, CR)
            c.client("\u000bMSH|^~\\&|X\rPID|1||" + CORSICA_A + "^^^INS\r\u001c\r");
            c.close();
            Map<String, Object> r = h.only();
            assertEquals(2, r.get("dlp_nir"), "the text NIR and the HL7 one; the one inside the binary chunk is not read");
            assertEquals(blob.length, dlp.counters().bytesBinary);
        }
    }

    @Test
    void tlsFlowsAreSkippedAndCostNoState() {
        DlpAnalyzer dlp = new DlpAnalyzer();
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 40002, "10.77.200.5", 443).open();
            byte[] rec = new byte[64];
            rec[0] = 0x16;
            rec[1] = 3;
            rec[2] = 1;
            byte[] digits = A.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(digits, 0, rec, 10, digits.length);
            c.client(rec);
            c.close();
            Map<String, Object> r = h.only();
            assertNull(r.get("dlp_nir"));
            assertEquals(1, dlp.counters().flowsEncrypted);
            assertEquals(0, dlp.counters().bytesScanned);
        }
    }

    @Test
    void endlessDigitLinesAndTheByteCapAreCountedNeverMatched() {
        byte[] secret = new byte[32];
        DlpAnalyzer dlp = new DlpAnalyzer(new DlpConfig(4096, secret, 8));
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 40003, "10.77.200.5", 80).open();
            StringBuilder endless = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                endless.append(A);               // 4,500 digits in one run, no separator
            }
            c.client(endless + "\n" + B + "\n");
            c.close();
            Map<String, Object> r = h.only();
            assertEquals(0, r.get("dlp_nir"), "an identifier hidden after the cap is not read");
            assertEquals(Boolean.TRUE, r.get("dlp_capped"));
            assertEquals(4096, r.get("dlp_bytes_scanned"));
            assertEquals(1, dlp.counters().longRuns);
            assertEquals(1, dlp.counters().capReached);
        }
    }

    @Test
    void runsTouchingALetterArePartOfAWordNotAValue() {
        String body = "id" + A + "\n" + B + "z\nsha=deadbeef4111111111111111\n" + "nir=" + A + "&card=4111111111111111\n"
                + spaced(B) + " B\n";
        Map<String, Object> r = post(7, body);
        assertEquals(2, r.get("dlp_nir"), "nir=A and the spaced B");
        assertEquals(1, r.get("dlp_cards"));
    }

    @Test
    void theSiteSecretMakesHashesCorrelateAcrossRunsAndOnlyWithIt() {
        byte[] site = new byte[32];
        site[0] = 7;
        byte[] other = new byte[32];
        Object h1 = post(new DlpAnalyzer(new DlpConfig(65536, site, 8)), 1460, A + "\n").get("dlp_hashes");
        Object h2 = post(new DlpAnalyzer(new DlpConfig(65536, site, 8)), 3, "x;" + spaced(A) + ";\n").get("dlp_hashes");
        Object h3 = post(new DlpAnalyzer(new DlpConfig(65536, other, 8)), 1460, A + "\n").get("dlp_hashes");
        assertEquals(h1, h2, "same identifier, same secret: same hash, spaced or not");
        assertFalse(h1.equals(h3), "another site's secret gives another hash");
    }

    @Test
    void udpPayloadsAreScanned() {
        try (Harness h = new Harness(new DlpAnalyzer())) {
            h.udp("10.77.1.10", 5000, "10.77.200.5", 514, ("patient " + spaced(CORSICA_B) + " seen\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals(1, h.only().get("dlp_nir"));
        }
    }

    @Test
    void detectorsOnTheirOwn() {
        assertTrue(Detectors.nir(A.getBytes(StandardCharsets.US_ASCII), 15));
        assertFalse(Detectors.nir(badKey(A).getBytes(StandardCharsets.US_ASCII), 15));
        assertFalse(Detectors.nir("3841275123456".concat("00").getBytes(StandardCharsets.US_ASCII), 15)
                && !nir("3841275123456").endsWith("00"));
        assertFalse(Detectors.nir(nir("1841375123456").getBytes(StandardCharsets.US_ASCII), 15), "month 13");
        assertTrue(Detectors.card("378282246310005".getBytes(StandardCharsets.US_ASCII), 15));
        assertFalse(Detectors.card("1234567812345670".getBytes(StandardCharsets.US_ASCII), 16), "Luhn-valid, no brand");
        assertEquals("1 84 12 ** *** *** " + A.substring(13),
                Detectors.mask(dev.vigie.dlp.IdKind.NIR, A.getBytes(StandardCharsets.US_ASCII), 15));
    }
}
