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
        List<String[]> file = Files.readAllLines(ROOT.resolve("datasets/lab/exfil-patients.csv")).stream().skip(1)
                .map(l -> l.split(";")).toList();
        List<String> nirs = file.stream().map(f -> f[0]).toList();
        List<String> clear = file.stream().flatMap(f -> java.util.stream.Stream.of(f[0], f[1], f[2])).toList();
        assertEquals(180, nirs.size());
        assertEquals(180, sum(h, "http", "dlp_nir"), "the HTTP POST of exfil-patients.csv");
        assertEquals(180, sum(h, "ftp-data", "dlp_nir"), "the FTP STOR data channel");
        // ADT messages carry the INS to the HL7 engine by design (datasets/lab/README.md), ORU messages do not
        assertEquals(75, sum(h, "hl7", "dlp_nir"), "the INS of the ADT messages");
        assertEquals(360 + 75, sum(h, null, "dlp_nir"), "nothing outside those flows");
        assertEquals(0, sum(h, null, "dlp_nir_invalid"));
        assertEquals(0, sum(h, null, "dlp_cards"));
        // the file's IPP and IEP columns, found through the CSV header (nir;ipp;iep;...)
        assertEquals(180, sum(h, "http", "dlp_ipp"));
        assertEquals(180, sum(h, "http", "dlp_iep"));
        assertEquals(180, sum(h, "ftp-data", "dlp_ipp"));
        assertEquals(180, sum(h, "ftp-data", "dlp_iep"));
        // HL7: one IPP per PID segment (PID-3) and one IEP per ADT PV1-19; counted independently from the capture
        // with tshark (PID segments 224 + 113 + 75 from 10.77.20.11/12/13, PV1-19 75, all ADT)
        assertEquals(540, sum(h, "http", "dlp_orig_ids"), "the POST body: 180 NIR + 180 IPP + 180 IEP, client side");
        assertEquals(540, sum(h, "ftp-data", "dlp_orig_ids"), "STOR over a passive channel: the client sends");
        assertEquals(412 + 75 + 75, sum(h, "hl7", "dlp_orig_ids"), "devices send, the engine only ACKs");
        assertEquals(412, sum(h, "hl7", "dlp_ipp"));
        assertEquals(75, sum(h, "hl7", "dlp_iep"));
        assertEquals(412, sum(h, "hl7", "dlp_hl7_patients"), "every PID segment names its patient");
        assertEquals(412, sum(h, null, "dlp_hl7_patients"));
        assertEquals(360 + 412, sum(h, null, "dlp_ipp"), "no IPP outside those flows");
        assertEquals(360 + 75, sum(h, null, "dlp_iep"), "no IEP outside those flows");
        for (Map<String, Object> r : h.rows) {
            for (Object v : r.values()) {
                if (v instanceof String s) {
                    for (String n : clear) {
                        assertFalse(s.contains(n), "clear NIR, IPP or IEP in a flow column");
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
        // PID segments 151 + 81 + 54 (tshark), PV1-19 54; nothing outside HL7
        assertEquals(286, sum(h, "hl7", "dlp_ipp"));
        assertEquals(54, sum(h, "hl7", "dlp_iep"));
        assertEquals(286, sum(h, null, "dlp_hl7_patients"));
        assertEquals(286, sum(h, null, "dlp_ipp"), "IPP only in HL7 traffic");
        assertEquals(54, sum(h, null, "dlp_iep"), "IEP only in HL7 traffic");
    }
}
