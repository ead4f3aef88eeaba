package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.capture.MergedPacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowConfig;
import dev.vigie.flow.FlowSink;
import dev.vigie.protocols.ProtocolAnalyzer;
import dev.vigie.rules.RuleCompiler;
import dev.vigie.rules.RuleEngine;
import dev.vigie.rules.RuleSet;
import dev.vigie.rules.RuleSources;
import dev.vigie.rules.lists.ListRegistry;
import java.lang.management.ManagementFactory;
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
 * The budget for protocol metadata: plain extraction (base columns, no analyzer, no rule) against the
 * protocol parsers and their columns with the built-in rules (Tor lists loaded), every shared capture
 * read from disk as `vigie extract` does, alternated round by round after a warm-up; best round of each, in CPU
 * time of the packet thread (the test machine is shared). The content scanner (DLP) has its own budget, at most 2x
 * extract time on HTTP-heavy traffic ({@code DlpBenchTest}); the whole default pipeline is printed for reference.
 * Tagged bench:
 * {@code ./mvnw -o -pl engine -am test -Dsurefire.excludedGroups=none -Dtest=ProtocolsAndRulesBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class ProtocolsAndRulesBenchmarkTest {

    @Test
    void protocolsAndRulesCostAtMostThirtyPercent(@TempDir Path lists) throws Exception {
        String shared = System.getProperty("vigie.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "captures")));
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(shared, "captures"))) {
            files = s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|pcap\\.gz)$")).sorted().toList();
        }
        Files.copy(Path.of(shared, "lists/secops_tor-nodes.lst"), lists.resolve("tor-nodes.lst"));
        Files.copy(Path.of(shared, "lists/secops_tor-exit-nodes.lst"), lists.resolve("tor-exit-nodes.lst"));
        FlowExtractor plain = FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, List.of());
        ListRegistry registry = ListRegistry.load(lists);
        RuleSet protoRules = RuleCompiler.compile(RuleSources.builtinPack().rules(), protocols().schema(), registry);
        RuleSet allRules = RuleCompiler.compile(RuleSources.builtinPack().rules(),
                StandardPipeline.extractor(FlowConfig.DEFAULTS).schema(), registry);
        long bestPlain = Long.MAX_VALUE;
        long bestFull = Long.MAX_VALUE;
        long bestAll = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            long a = run(plain, files, null);
            long b = run(protocols(), files, protoRules);
            long c = run(StandardPipeline.extractor(FlowConfig.DEFAULTS), files, allRules);
            if (round >= 2) {                                 // warm-up rounds do not count
                bestPlain = Math.min(bestPlain, a);
                bestFull = Math.min(bestFull, b);
                bestAll = Math.min(bestAll, c);
            }
            System.out.printf("round %d: extract %.1f ms, + protocols + rules %.1f ms, + DLP too %.1f ms (CPU)%n",
                    round, a / 1e6, b / 1e6, c / 1e6);
        }
        double cost = (double) (bestFull - bestPlain) / bestPlain;
        System.out.printf("BEST extract %.1f ms, with protocol metadata and built-in rules %.1f ms: +%.1f%%; "
                + "the default pipeline with DLP %.1f ms: +%.1f%%%n", bestPlain / 1e6, bestFull / 1e6, cost * 100,
                bestAll / 1e6, (double) (bestAll - bestPlain) / bestPlain * 100);
        assertTrue(cost <= 0.30, "protocols and rules cost " + Math.round(cost * 100) + "%");
    }

    /** The protocol parsers alone: the standard analyzers but the content scanner. */
    private static FlowExtractor protocols() {
        return FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, List.of(new ProtocolAnalyzer()));
    }

    private static long run(FlowExtractor extractor, List<Path> files, RuleSet set) throws Exception {
        ExtractionCounters counters = new ExtractionCounters();
        long t0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
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
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - t0;
    }
}
