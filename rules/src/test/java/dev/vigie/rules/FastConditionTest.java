package dev.vigie.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cel.runtime.CelEvaluationException;
import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowConfig;
import dev.vigie.flow.FlowSink;
import dev.vigie.protocols.ProtocolAnalyzers;
import dev.vigie.rules.lists.ListRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/**
 * The Java form of the conditions must decide exactly as CEL does: every built-in rule with a fast form, on every
 * flow of the lab captures and of a sample of the shared real captures, gives the same true/false/error both ways.
 */
class FastConditionTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));

    static int cel(CompiledRule r, FlowValues v) {
        try {
            return Boolean.TRUE.equals(r.program().eval(v)) ? FastCondition.TRUE : FastCondition.FALSE;
        } catch (CelEvaluationException e) {
            return FastCondition.ERROR;
        }
    }

    @Test
    void everyBuiltInFastConditionAgreesWithCelOnRealFlows() throws Exception {
        List<Path> captures = new ArrayList<>();
        Path lab = ROOT.resolve("datasets/lab");
        assumeTrue(Files.exists(lab.resolve("mixed.pcap")), "lab capture missing");
        captures.add(lab.resolve("benign.pcap"));
        captures.add(lab.resolve("mixed.pcap"));
        Path shared = ROOT.resolve("../shared/captures");
        if (Files.isDirectory(shared)) {
            try (Stream<Path> s = Files.walk(shared)) {
                s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng)$")).sorted().limit(60).forEach(captures::add);
            }
        }
        FlowExtractor extractor = FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, ProtocolAnalyzers.standard());
        // the lab's zones (datasets/lab/site.yaml): its "Internet" is a /24 inside the internal /16
        dev.vigie.rules.lists.SiteZones zones = new dev.vigie.rules.lists.SiteZones(
                dev.vigie.rules.lists.SiteZones.blocks(List.of("10.77.0.0/16")),
                dev.vigie.rules.lists.SiteZones.blocks(List.of("10.77.200.0/24")),
                Map.of("partner", dev.vigie.rules.lists.SiteZones.blocks(List.of("192.0.2.0/24"))));
        RuleSet set = RuleCompiler.compile(RuleSources.builtinPack().rules(), extractor.schema(), ListRegistry.load(lab), zones);
        List<CompiledRule> fast = set.active().stream().filter(r -> r.fast() != null).toList();
        List<String> notExact = set.active().stream().filter(r -> r.fast() == null || !r.fast().exact())
                .map(r -> r.rule().id()).toList();
        // the rule layer's cost: a built-in condition that falls back to the CEL interpreter costs ~3 µs per flow
        assertTrue(notExact.isEmpty(), "built-in rules without a complete fast form: " + notExact);
        Map<String, long[]> seen = new TreeMap<>(); // rule -> {flows, true, error}
        List<String> mismatches = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
             FlowValues values = new FlowValues(set.schema(), allocator, set.columns())) {
            FlowSink check = (flow, reason) -> {
                values.set(flow, reason);
                for (CompiledRule r : fast) {
                    int a = r.fast().eval(values);
                    values.set(flow, reason); // fresh values for CEL: nothing cached by the fast form
                    int b = cel(r, values);
                    if (!r.fast().exact()) { // a prefilter may only say false when CEL says false
                        if (a == FastCondition.FALSE && b != FastCondition.FALSE && mismatches.size() < 20) {
                            mismatches.add(r.rule().id() + " flow " + flow.flowId() + ": prefilter false, cel " + b);
                        }
                        a = b;
                    }
                    long[] c = seen.computeIfAbsent(r.rule().id(), k -> new long[3]);
                    c[0]++;
                    if (b == FastCondition.TRUE) c[1]++;
                    if (b == FastCondition.ERROR) c[2]++;
                    if (a != b && mismatches.size() < 20) {
                        mismatches.add(r.rule().id() + " flow " + flow.flowId() + ": fast " + a + ", cel " + b);
                    }
                }
            };
            for (Path p : captures) {
                ExtractionCounters counters = new ExtractionCounters();
                try (MergedPacketSource source = CaptureFiles.openAll(List.of(p), counters.capture)) {
                    extractor.run(source, counters, allocator, b -> { }, List.of(check), ProgressListener.NONE);
                }
            }
        }
        StringBuilder report = new StringBuilder("[fast conditions] flows / true / error per rule over " + captures.size() + " captures\n");
        seen.forEach((k, v) -> report.append(String.format("  %-28s %8d %6d %6d%n", k, v[0], v[1], v[2])));
        System.out.print(report);
        assertTrue(mismatches.isEmpty(), mismatches + "\n" + report);
        assertTrue(seen.get("vigie.scan.vertical")[1] > 1000, "the lab's scans make the scan condition true often");
        assertNotNull(seen.get("vigie.ftp.bruteforce"));
    }
}
