package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privacy of the whole pipeline on the lab capture full of identifiers: extract (Parquet: its bytes, and every
 * value decoded by {@code vigie sql}) and detect (alerts JSON lines, logs) write no NIR of exfil-patients.csv in clear, with or
 * without spaces, and none of its IPPs and IEPs; the DLP rules name the exfiltrating host and nothing on the benign capture.
 */
class DlpPrivacyTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));

    @TempDir
    Path tmp;

    static List<String> identifiers() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("datasets/lab/exfil-patients.csv")).subList(1, 181)) {
            String n = line.split(";")[0];
            out.add(n);
            out.add(n.charAt(0) + " " + n.substring(1, 3) + " " + n.substring(3, 5) + " " + n.substring(5, 7) + " "
                    + n.substring(7, 10) + " " + n.substring(10, 13) + " " + n.substring(13));
        }
        return out;
    }

    /** The file's IPPs and IEPs (8 and 9 digits). */
    static List<String> localIdentifiers() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("datasets/lab/exfil-patients.csv")).subList(1, 181)) {
            String[] f = line.split(";");
            out.add(f[1]);
            out.add(f[2]);
        }
        return out;
    }

    static Set<String> dlpSources(Path alerts) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Set<String> s = new HashSet<>();
        for (String line : Files.readAllLines(alerts)) {
            JsonNode a = json.readTree(line);
            if (a.path("vigie").path("rule_id").asText().startsWith("vigie.dlp.")) {
                s.add(a.path("src_ip").asText());
            }
        }
        return s;
    }

    @Test
    void noIdentifierInClearInAnyOutputAndTheRulesNameTheExfiltratingHost() throws Exception {
        Path mixed = ROOT.resolve("datasets/lab/mixed.pcap");
        assumeTrue(Files.exists(mixed), "lab capture missing");
        CliRun x = CliRun.of("extract", mixed.toString(), "-o", tmp.resolve("flows.parquet").toString());
        assertEquals(0, x.exit(), x.toString());
        Path alerts = tmp.resolve("alerts.jsonl");
        CliRun d = CliRun.of("detect", mixed.toString(), "--lists", ROOT.resolve("datasets/lab").toString(),
                "-o", alerts.toString());
        assertEquals(0, d.exit(), d.toString());
        assertEquals(Set.of("10.77.10.103"), dlpSources(alerts), "curl POST and FTP STOR ran from 10.77.10.103");

        // the Parquet file is zstd-compressed: decode every value of every column through vigie sql as well
        CliRun all = CliRun.of("sql", tmp.toString(), "-q", "-f", "csv", "-c", "SELECT * FROM flows");
        assertEquals(0, all.exit(), all.err());
        assertTrue(all.out().contains("dlp_hashes") && all.out().length() > 1_000_000, "every flow row decoded");
        List<String> ids = identifiers();
        List<String> outputs = new ArrayList<>(List.of(x.toString(), d.toString(), all.out()));
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                outputs.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(outputs.size() >= 4, "flows, alerts and both command outputs scanned");
        List<String> localIds = localIdentifiers();
        for (String out : outputs) {
            // an 8- or 9-digit IPP/IEP leaks when it stands as a number of its own; inside a longer digit run
            // (a float's mantissa, a timestamp) it is a coincidence of digits, not the identifier
            Set<String> numbers = new HashSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9]+").matcher(out);
            while (m.find()) {
                numbers.add(m.group());
            }
            for (String id : localIds) {
                assertFalse(numbers.contains(id), "an IPP or IEP of exfil-patients.csv in clear in an output");
            }
            for (String id : ids) {
                assertFalse(out.contains(id), "an identifier of exfil-patients.csv in clear in an output");
            }
        }
    }

    @Test
    void benignCaptureRaisesNoDlpAlert() throws Exception {
        Path benign = ROOT.resolve("datasets/lab/benign.pcap");
        assumeTrue(Files.exists(benign), "lab capture missing");
        Path alerts = tmp.resolve("alerts.jsonl");
        CliRun d = CliRun.of("detect", "-q", benign.toString(), "--lists", ROOT.resolve("datasets/lab").toString(),
                "-o", alerts.toString());
        assertEquals(0, d.exit(), d.toString());
        assertEquals(Set.of(), dlpSources(alerts), "HL7 feeds carry one INS per message by design");
    }
}
