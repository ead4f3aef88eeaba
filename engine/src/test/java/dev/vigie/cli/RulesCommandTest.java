package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCommandTest {

    @Test
    void checkReportsFileLineAndProblem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("site.yaml"), """
                rules:
                  - id: site.smb
                    sid: 1000001
                    name: SMB to the internet
                    severity: medium
                    category: policy
                    mitre: {technique_id: T1048}
                    description: SMB leaving the site
                    condition: resp_p == 445 && !is_private(resp_hh)
                """);
        CliRun r = CliRun.of("rules", "check", dir.toString());
        assertEquals(DetectCommand.RULES_INVALID, r.exit(), r.toString());
        assertTrue(r.err().contains("site.yaml:9: rule site.smb: condition: undeclared reference to 'resp_hh'"), r.toString());
    }

    @Test
    void checkAcceptsValidRulesAndTheBuiltinPack(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("site.yml"), """
                rules:
                  - id: site.iocs
                    sid: 1000002
                    name: Connection to an IOC address
                    severity: high
                    category: ioc
                    mitre: {technique_id: T1071, tactic_id: TA0011}
                    description: Destination is on the site IOC list
                    condition: in_list(resp_h, "iocs")
                """);
        CliRun r = CliRun.of("rules", "check", "--builtin", dir.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("rule(s) valid"), r.toString());
    }

    @Test
    void detectWritesAlertsAndASummary(@TempDir Path dir) throws Exception {
        String shared = System.getProperty("vigie.shared");
        Path pcap = shared == null ? null : Path.of(shared, "captures/zeek/testing/btest/Traces/ssh/sshguess.pcap");
        org.junit.jupiter.api.Assumptions.assumeTrue(pcap != null && Files.exists(pcap));
        Path out = dir.resolve("alerts.jsonl");
        CliRun r = CliRun.of("detect", "-q", pcap.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.toString());
        String first = Files.readAllLines(out).get(0);
        assertTrue(first.contains("\"event_type\":\"alert\"") && first.contains("\"signature_id\":9000011"), first);
        CliRun bad = CliRun.of("detect", pcap.toString(), "-o", out.toString(), "--rules", dir.resolve("missing").toString());
        assertEquals(DetectCommand.RULES_INVALID, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("missing:1: no such file or directory"), bad.toString());
    }
}
