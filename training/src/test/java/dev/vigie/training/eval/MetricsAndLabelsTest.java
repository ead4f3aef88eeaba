package dev.vigie.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.training.data.FlowFrame;
import dev.vigie.training.data.TrainingInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAndLabelsTest {
    @TempDir
    Path dir;

    @Test
    void rocAucCountsTiesHalf() {
        boolean[] pos = {true, true, false, false};
        assertEquals(1.0, Metrics.rocAuc(new double[] {3, 4, 1, 2}, pos));
        assertEquals(0.0, Metrics.rocAuc(new double[] {1, 2, 3, 4}, pos));
        assertEquals(0.5, Metrics.rocAuc(new double[] {1, 1, 1, 1}, pos));
        assertEquals(0.75, Metrics.rocAuc(new double[] {4, 2, 3, 1}, pos));
    }

    @Test
    void averagePrecisionAndThresholdFigures() {
        boolean[] pos = {true, false, true, false};
        // ranking: 0.9 (P), 0.8 (N), 0.7 (P), 0.1 (N) → AP = 0.5·1 + 0.5·(2/3)
        assertEquals(0.5 + 1.0 / 3, Metrics.averagePrecision(new double[] {0.9, 0.8, 0.7, 0.1}, pos), 1e-12);
        Metrics.Result r = Metrics.evaluate(new double[] {1.5, 1.2, 0.7, 0.1}, pos, 2.0);
        assertEquals(0.5, r.precision());
        assertEquals(0.5, r.recall());
        assertEquals(0.5, r.benignAlertsPerHour());
    }

    static FlowFrame frame() {
        return new FlowFrame(4, Map.of(), Map.of("orig_h", new int[] {0, 1, 0, 2}, "resp_h", new int[] {0, 1, 1, 0}),
                Map.of("orig_h", List.of("10.0.0.1", "10.0.0.9", "10.0.0.5"), "resp_h", List.of("10.0.0.9", "10.0.0.1")),
                new long[] {10_000_000, 10_000_000, 10_000_000, 99_000_000},
                new long[] {11_000_000, 11_000_000, 11_000_000, 99_500_000});
    }

    @Test
    void flowsBetweenAttackerAndVictimInsideTheWindowAreLabelled() throws Exception {
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "scenario,attacker_ip,attacker_mac,victim_ips,protocol,dst_ports,start_epoch,end_epoch,"
                + "start_utc,end_utc,tool,tool_version,description\n"
                + "scan,10.0.0.9,aa,\"10.0.0.1;10.0.0.2\",tcp,1-1000,10.5,20.0,x,y,nmap,7,\"a, b\"\n");
        Labels l = Labels.parse(csv);
        // row 0: 10.0.0.1 → 10.0.0.9 (victim → attacker, overlaps); row 1: attacker → 10.0.0.1;
        // row 2: 10.0.0.1 → 10.0.0.1 (no attacker); row 3: outside the window.
        assertArrayEquals(new String[] {"scan", "scan", "benign", "benign"}, l.label(frame()));
    }

    @Test
    void malformedLabelsAreOneLineErrors() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "scenario,attacker_ip,victim_ips,start_epoch\nscan,1.2.3.4,,1\n");
        TrainingInputException e = assertThrows(TrainingInputException.class, () -> Labels.parse(csv));
        assertTrue(e.getMessage().contains("no end_epoch or end column"), e.getMessage());
        Files.writeString(csv, "scenario,attacker_ip,victim_ips,start,end\nscan,1.2.3.4,,soon,later\n");
        e = assertThrows(TrainingInputException.class, () -> Labels.parse(csv));
        assertTrue(e.getMessage().endsWith(":2: bad time 'soon'"), e.getMessage());
        Files.writeString(csv, "scenario,attacker_ip,victim_ips,start,end\nscan,1.2.3.4,,2025-01-01T00:00:00Z,1735689700.5\n");
        assertTrue(Labels.parse(csv).windows().size() == 1);
    }
}
