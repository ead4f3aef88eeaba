package dev.vigie.dlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer is a streaming one: where TCP cut the payload must not change what it finds. Random documents
 * built from the pieces the tokenizer cares about (keywords, digit runs with and without spaces, separators, HL7
 * segments, accented letters, line ends) are scanned in one piece and in random pieces of 1 to 40 bytes; counts,
 * keyed hashes and masks must be the same. This covers the word-and-punctuation fast loop of
 * {@link DirectionScanner#scan} at every possible boundary.
 */
class DirectionScannerTest {
    private static final String[] PIECES = {
        "IPP", "ipp", "NIP", "patient", "IEP", "NDA", "sejour", "séjour", "Numéro IPP:", "N°", "dossier", "numero",
        " ", " ", " ", ";", ";", ",", "\t", "|", "^", "~", "\r\n", "\n", "\r", "\"", "'", "::", "/", "=", "-",
        "PID|", "PV1|", "MSH|^~\\&|", "\u000b", "\u001c", "A", "B", "2A", "2B", "AB12", "12AB", "ééé", "x", "abc",
        "1 84 12 76 451 089 46", "184127645108946", "4970101234567890", "4970 1012 3456 7890",
        "77001234", "7712 3456", "524012345", "52401234 5", "12345678", "2024", "9", "99", "0000",
        "ipp;iep;nir\r\n", "IPP\tNDA\n", "Host: example.org\r\n",
        "PID|1||77001234^^^H||DUPONT^JEAN||19800101|M|||||||||524012345\r",
        "PV1|1|I|||||||||||||||||523000111\r",
    };

    private final DlpScanner scanner = new DlpScanner(
            new DlpConfig(DlpConfig.DEFAULT_BYTES_PER_DIRECTION, new byte[32], 8), new DlpCounters());

    @Test
    void findingsDoNotDependOnWhereThePayloadIsCut() {
        Random r = new Random(20261207);
        int found = 0;
        for (int doc = 0; doc < 20_000; doc++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 5 + r.nextInt(60); k > 0; k--) {
                sb.append(PIECES[r.nextInt(PIECES.length)]);
            }
            Charset cs = r.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
            byte[] d = (sb + "\n").getBytes(cs);

            DlpState whole = new DlpState(8);
            whole.orig.scan(whole, scanner, d, 0, d.length);
            DlpState cut = new DlpState(8);
            for (int off = 0; off < d.length; ) {
                int len = Math.min(d.length - off, 1 + r.nextInt(40));
                cut.orig.scan(cut, scanner, d, off, len);
                off += len;
            }
            assertEquals(summary(whole), summary(cut), () -> "document " + sb);
            found += whole.nir + whole.cards + whole.ipp + whole.iep;
        }
        assertTrue(found > 10_000, "the documents hold identifiers the scanner finds: " + found);
    }

    /** What a state found, in one comparable line. */
    static String summary(DlpState s) {
        return s.nir + " nir, " + s.badNir + " bad, " + s.cards + " cards, " + s.ipp + " ipp, " + s.iep + " iep, "
                + s.hl7Patients + " patients, " + s.gaps + " gaps, " + s.orig.ids + " ids, " + s.joinedHashes()
                + " / " + s.joinedMasks();
    }
}
