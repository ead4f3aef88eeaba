package dev.vigie.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.alerts.Alert;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionsTest {
    @TempDir
    Path tmp;

    static Alert alert(String rule, String src, String dst) {
        return AlertAggregatorTest.alert(rule, src, dst, 1);
    }

    Path file(String yaml) throws Exception {
        Path f = tmp.resolve("suppressions.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void matchesByRuleGlobHostAndCidrAndCountsWhatEachHid() throws Exception {
        Path f = file("""
                suppressions:
                  - id: hl7-beacons
                    rule: vigie.beacon.*
                    cidr: 10.77.20.0/24
                    expires: 2099-01-01
                    reason: HL7 devices poll the engine by design
                    who: soc
                  - rule: vigie.profile.new_peer
                    host: 10.77.10.103
                    expires: 2099-01-01T00:00:00Z
                    reason: migration week
                  - host: 10.1.1.1
                    expires: 2000-01-01
                    reason: expired long ago
                """);
        List<Alert> out = new ArrayList<>();
        SuppressionFilter filter = new SuppressionFilter(f, out::add, new PrintWriter(new StringWriter()));
        filter.accept(alert("vigie.beacon.periodic", "10.77.20.12", "10.77.1.75"));
        filter.accept(alert("vigie.beacon.periodic", "10.77.10.5", "10.77.1.75"));
        filter.accept(alert("vigie.profile.new_peer", "10.77.200.1", "10.77.10.103"));
        filter.accept(alert("vigie.profile.unusual_port", "10.77.10.103", "x"));
        filter.accept(alert("vigie.scan.vertical", "10.1.1.1", "10.2.2.2"));
        assertEquals(3, out.size(), "beacon from a workstation, another rule, and an expired entry pass");
        assertEquals(2, filter.hiddenTotal());
        List<String> summary = filter.summary();
        assertTrue(summary.get(0).startsWith("hl7-beacons") && summary.get(0).contains("1 hidden")
                && summary.get(0).contains("HL7 devices poll"), summary.toString());
        assertTrue(summary.get(2).contains("EXPIRED"), summary.toString());
    }

    @Test
    void everyErrorNamesTheFileTheLineAndTheProblem() throws Exception {
        String[][] cases = {
                {"suppressions:\n  - rule: x\n    expires: 2099-01-01\n", ":2: 'reason' is required"},
                {"suppressions:\n  - rule: x\n    reason: r\n", ":2: 'expires' is required"},
                {"suppressions:\n  - reason: r\n    expires: 2099-01-01\n", ":2: an entry needs at least one of rule, host, cidr"},
                {"suppressions:\n  - rule: x\n    reason: r\n    expires: soon\n", ":4: 'expires' is not an ISO-8601"},
                {"suppressions:\n  - host: 10.0.0.0/8\n    reason: r\n    expires: 2099-01-01\n", ":2: 'host' is not an IP address"},
                {"suppressions:\n  - cidr: 10.0.0.1\n    reason: r\n    expires: 2099-01-01\n", ":2: 'cidr' is not an address block"},
                {"suppressions:\n  - rule: x\n    reason: r\n    expires: 2099-01-01\n    colour: red\n", ":5: unknown key 'colour'"},
                {"supressions: []\n", ":1: unknown key 'supressions'"},
                {"suppressions:\n  - rule: [x\n", "malformed YAML"},
        };
        for (String[] c : cases) {
            Path f = file(c[0]);
            Suppressions.InvalidFile e = assertThrows(Suppressions.InvalidFile.class, () -> Suppressions.load(f), c[0]);
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void aChangedFileIsReloadedAndABrokenOneKeepsThePreviousEntries() throws Exception {
        Path f = file("suppressions:\n  - rule: a\n    reason: r\n    expires: 2099-01-01\n");
        List<Alert> out = new ArrayList<>();
        StringWriter log = new StringWriter();
        SuppressionFilter filter = new SuppressionFilter(f, out::add, new PrintWriter(log, true));
        filter.accept(alert("a", "1.1.1.1", "2.2.2.2"));
        filter.accept(alert("b", "1.1.1.1", "2.2.2.2"));
        assertEquals(1, out.size());
        Files.writeString(f, "suppressions:\n  - rule: b\n    reason: r\n    expires: 2099-01-01\n");
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        filter.maybeReload();
        filter.accept(alert("a", "1.1.1.1", "2.2.2.2"));
        filter.accept(alert("b", "1.1.1.1", "2.2.2.2"));
        assertEquals(2, out.size());
        assertEquals("a", out.get(1).ruleId());
        Files.writeString(f, "suppressions:\n  - rule: c\n");
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 10000));
        filter.maybeReload();
        filter.accept(alert("b", "1.1.1.1", "2.2.2.2"));
        assertEquals(2, out.size(), "the previous entries stay in force");
        assertEquals(1, filter.reloads());
        assertEquals(1, filter.reloadErrors());
        assertTrue(log.toString().contains("not reloaded") && log.toString().contains(":2:"), log.toString());
    }
}
