package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.capture.MergedPacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowConfig;
import dev.vigie.flow.FlowSink;
import dev.vigie.rules.RuleCompiler;
import dev.vigie.rules.RuleEngine;
import dev.vigie.rules.RuleSet;
import dev.vigie.rules.RuleSources;
import dev.vigie.rules.lists.ListRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction throughput with and without the built-in rules (Tor lists loaded), over every shared capture, the
 * two alternated round by round after a warm-up; the budget is 30% of extract throughput. Tagged bench:
 * run with -Dsurefire.excludedGroups= -Dtest=DetectBenchmarkTest.
 */
@Tag("bench")
class DetectBenchmarkTest {

    @Test
    void rulesCostAtMostThirtyPercent(@TempDir Path lists) throws Exception {
        String shared = System.getProperty("vigie.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "captures")));
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(shared, "captures"))) {
            files = s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|pcap\\.gz)$")).sorted().toList();
        }
        Files.copy(Path.of(shared, "lists/secops_tor-nodes.lst"), lists.resolve("tor-nodes.lst"));
        Files.copy(Path.of(shared, "lists/secops_tor-exit-nodes.lst"), lists.resolve("tor-exit-nodes.lst"));
        FlowExtractor extractor = StandardPipeline.extractor(FlowConfig.DEFAULTS);
        RuleSet set = RuleCompiler.compile(RuleSources.builtinPack().rules(), extractor.schema(), ListRegistry.load(lists));
        double bestPlain = 0;
        double bestRules = 0;
        for (int round = 0; round < 8; round++) {
            double plain = run(extractor, files, null);
            double rules = run(extractor, files, set);
            if (round >= 2) { // warm-up rounds do not count
                bestPlain = Math.max(bestPlain, plain);
                bestRules = Math.max(bestRules, rules);
            }
            System.out.printf("round %d: extract %.3f M packets/s, extract + rules %.3f M packets/s%n", round, plain / 1e6, rules / 1e6);
        }
        double cost = 1 - bestRules / bestPlain;
        System.out.printf("BEST extract %.3f M packets/s, extract + built-in rules %.3f M packets/s: rules cost %.1f%%%n",
                bestPlain / 1e6, bestRules / 1e6, cost * 100);
        assertTrue(cost <= 0.30, "rules cost " + cost);
    }

    /** One run over all files, read merged in timestamp order as `vigie extract A B C` does. */
    private static double run(FlowExtractor extractor, List<Path> files, RuleSet set) throws Exception {
        ExtractionCounters counters = new ExtractionCounters();
        long t0 = System.nanoTime();
        try (BufferAllocator allocator = new RootAllocator();
             MergedPacketSource source = CaptureInputs.open(files, counters)) {
            if (set == null) {
                extractor.run(source, counters, allocator, b -> { }, List.of(), ProgressListener.NONE);
            } else {
                try (RuleEngine engine = new RuleEngine(set, allocator, a -> { }, RuleEngine.Limits.DEFAULT)) {
                    extractor.run(source, counters, allocator, b -> { }, List.<FlowSink>of(engine), ProgressListener.NONE);
                }
            }
        }
        return counters.capture.packets / ((System.nanoTime() - t0) / 1e9);
    }
}
