package dev.vigie.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowConfig;
import dev.vigie.flow.FlowSink;
import dev.vigie.protocols.ProtocolAnalyzers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/**
 * Binary state keys group flows exactly as their text would: on every flow of the lab captures, two flows have
 * equal keys if and only if the texts of their key columns are equal, for address, port, text and mixed keys;
 * and a probe refilled with keys of every length in turn equals, hashes like and finds the key made anew.
 */
class StateKeyTest {

    @Test
    void keysAreEqualExactlyWhenTheKeyColumnsTextsAre() throws Exception {
        Path lab = FastConditionTest.ROOT.resolve("datasets/lab");
        assumeTrue(Files.exists(lab.resolve("mixed.pcap")), "lab capture missing");
        FlowExtractor extractor = FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, ProtocolAnalyzers.standard());
        List<List<String>> keyColumns = List.of(
                List.of("orig_h"), List.of("orig_h", "resp_h"), List.of("orig_h", "resp_h", "resp_p"),
                List.of("orig_h", "resp_h", "app_proto"), List.of("app_proto"), List.of("resp_p", "orig_p"));
        List<String> used = List.of("orig_h", "resp_h", "resp_p", "orig_p", "app_proto");
        List<Map<StateKey, String>> textOf = new ArrayList<>();
        List<Map<String, StateKey>> keyOf = new ArrayList<>();
        for (int i = 0; i < keyColumns.size(); i++) {
            textOf.add(new HashMap<>());
            keyOf.add(new HashMap<>());
        }
        List<String> mismatches = new ArrayList<>();
        long[] flows = {0};
        try (BufferAllocator allocator = new RootAllocator();
             FlowValues values = new FlowValues(extractor.schema(), allocator, used)) {
            long[] scratch = new long[2];
            StateKey probe = StateKey.probe();    // one probe for every key length, as the engine reuses it
            FlowSink check = (flow, reason) -> {
                values.set(flow, reason);
                flows[0]++;
                for (int k = 0; k < keyColumns.size(); k++) {
                    int[] cols = keyColumns.get(k).stream().mapToInt(values::indexOf).toArray();
                    StringBuilder text = new StringBuilder();
                    for (int c : cols) text.append(values.text(c)).append('|');
                    StateKey key = StateKey.of(values, cols, scratch);
                    assertEquals(key, StateKey.of(values, cols, scratch));
                    String t = text.toString();
                    StateKey p = probe.refill(values, cols, scratch);
                    assertEquals(key.hashCode(), p.hashCode());
                    assertTrue(p.equals(key) && key.equals(p), key + " vs probe " + p);
                    assertEquals(key, p.copy());
                    String before = textOf.get(k).putIfAbsent(key, t);
                    assertEquals(before == null ? t : before, textOf.get(k).get(p), "a lookup by the probe");
                    StateKey other = keyOf.get(k).putIfAbsent(t, key);
                    if ((before != null && !before.equals(t)) || (other != null && !other.equals(key))) {
                        if (mismatches.size() < 10) mismatches.add(keyColumns.get(k) + ": " + t + " vs " + before);
                    }
                }
            };
            for (String capture : List.of("benign.pcap", "mixed.pcap")) {
                ExtractionCounters counters = new ExtractionCounters();
                try (MergedPacketSource source = CaptureFiles.openAll(List.of(lab.resolve(capture)), counters.capture)) {
                    extractor.run(source, counters, allocator, b -> { }, List.of(check), ProgressListener.NONE);
                }
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.toString());
        assertTrue(flows[0] > 1000, "flows " + flows[0]);
        assertTrue(textOf.get(2).size() > 100, "distinct (orig_h, resp_h, resp_p) keys " + textOf.get(2).size());
        assertTrue(textOf.get(4).size() > 3, "distinct app_proto keys, null among them " + textOf.get(4).keySet());
    }
}
