package dev.vigie.dlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.extract.ExtractHarness;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.flow.FlowConfig;
import dev.vigie.protocols.ProtocolAnalyzers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standard pipeline on the lab captures: the exfiltration flows carry exactly the file's NIRs. */
class DlpLabTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));

    static ExtractHarness extract(String name) {
        Path p = ROOT.resolve("datasets/lab/" + name);
        assumeTrue(Files.isRegularFile(p), "no " + p);
        return ExtractHarness.run(FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, ProtocolAnalyzers.standard()), p);
    }

    static long sum(ExtractHarness h, String proto, String column) {
        return h.rows.stream().filter(r -> proto == null || proto.equals(r.get("app_proto")))
                .map(r -> r.get(column)).filter(v -> v != null).mapToLong(v -> ((Number) v).longValue()).sum();
    }

    @Test
    void mixedCarriesTheExfilFileOverHttpAndFtpAndNoClearValueInAnyColumn() throws Exception {
        ExtractHarness h = extract("mixed.pcap");
        List<String> nirs = Files.readAllLines(ROOT.resolve("datasets/lab/exfil-patients.csv")).stream().skip(1)
                .map(l -> l.split(";")[0]).toList();
        assertEquals(180, nirs.size());
        assertEquals(180, sum(h, "http", "dlp_nir"), "the HTTP POST of exfil-patients.csv");
        assertEquals(180, sum(h, "ftp-data", "dlp_nir"), "the FTP STOR data channel");
        // ADT messages carry the INS to the HL7 engine by design (datasets/lab/README.md), ORU messages do not
        assertEquals(75, sum(h, "hl7", "dlp_nir"), "the INS of the ADT messages");
        assertEquals(360 + 75, sum(h, null, "dlp_nir"), "nothing outside those flows");
        assertEquals(0, sum(h, null, "dlp_nir_invalid"));
        assertEquals(0, sum(h, null, "dlp_cards"));
        for (Map<String, Object> r : h.rows) {
            for (Object v : r.values()) {
                if (v instanceof String s) {
                    for (String n : nirs) {
                        assertFalse(s.contains(n), "clear NIR in a flow column");
                    }
                }
            }
        }
    }

    @Test
    void benignHasNoMatchOutsideTheHl7EnginesTraffic() {
        ExtractHarness h = extract("benign.pcap");
        long hl7Flows = h.rows.stream().filter(r -> "hl7".equals(r.get("app_proto"))).count();
        assertEquals(sum(h, "hl7", "dlp_nir"), sum(h, null, "dlp_nir"), "NIRs only in HL7 traffic");
        assertEquals(143, hl7Flows);
        assertEquals(54, sum(h, "hl7", "dlp_nir"), "the INS of the ADT messages");
        assertEquals(0, sum(h, null, "dlp_nir_invalid"));
        assertEquals(0, sum(h, null, "dlp_cards"));
    }
}
