package dev.vigie.cli;

import dev.vigie.flow.FlowSink;
import dev.vigie.rules.RuleEngine;
import dev.vigie.rules.RuleSources;
import dev.vigie.rules.RuleSet;
import dev.vigie.capture.CapturedPacket;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowConfig;
import dev.vigie.flow.FlowCounters;
import dev.vigie.flow.FlowTable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigie bench}: throughput and memory figures, measured, never asserted in unit tests. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed and memory.",
        subcommands = {BenchCommand.Extract.class, BenchCommand.Flows.class, BenchTrainCommand.class,
                BenchScoreCommand.class, BenchSenseCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static long heapUsedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** The extractor of an --analyzers set. */
    static FlowExtractor extractor(String set, FlowConfig cfg) {
        return switch (set) {
            case "none" -> new FlowExtractor(cfg);
            case "protocols" -> FlowExtractor.withAnalyzers(cfg, List.of(new dev.vigie.protocols.ProtocolAnalyzer()));
            default -> StandardPipeline.extractor(cfg);
        };
    }

    static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    @Command(name = "extract", mixinStandardHelpOptions = true,
            description = {"Capture file → decoded packets → flows → Arrow batches (not written), repeated;",
                    "prints packets/s, bytes/s, flows/s and peak heap. One thread: the figure is per core."})
    static final class Extract implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "CAPTURE")
        List<Path> captures;

        @Option(names = "--repeat", description = "Passes over the input; the first warms the JIT (default: ${DEFAULT-VALUE}).")
        int repeat = 3;

        @Option(names = "--no-protocols", description = "Base flow columns only (no protocol analyzers): --analyzers none.")
        boolean noProtocols;

        @Option(names = "--analyzers", paramLabel = "SET",
                description = "all (the default pipeline), protocols (the parsers, no content scanner) or none (base columns).")
        String analyzers = "all";

        @Option(names = "--rules", description = "Also run the built-in rule pack on every flow record (what vigie detect adds).")
        boolean rules;

        @Option(names = "--lists", paramLabel = "DIR", description = "List directory for --rules (Tor nodes, IOCs).")
        Path lists;

        @Option(names = "--baseline", description = "Alternate each pass with a baseline pass (base columns, no analyzer, "
                + "no rule) in the same process and print the cost against it: the figure the protocol budget is set in.")
        boolean baseline;

        @Mixin
        FlowOptions flowOptions = new FlowOptions();

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        private java.io.PrintWriter out;

        @Override
        public Integer call() {
            FlowConfig cfg = flowOptions.toConfig();
            out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "machine: %d cores, Java %s, max heap %s%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), Format.bytes(Runtime.getRuntime().maxMemory()));
            String set = noProtocols ? "none" : analyzers;
            if (!List.of("all", "protocols", "none").contains(set)) {
                throw new UserError(2, "--analyzers must be all, protocols or none, not " + set);
            }
            java.io.PrintWriter err = spec.commandLine().getErr();
            RuleSet ruleSet = null;
            if (rules) {
                ruleSet = DetectCommand.compile(RuleSources.builtinPack(), extractor(set, cfg),
                        DetectCommand.loadLists(lists, err), err);
                if (ruleSet == null) {
                    return DetectCommand.RULES_INVALID;
                }
                out.printf(Locale.ROOT, "rules: %d active of %d built-in (the others need columns or lists this run lacks)%n",
                        ruleSet.active().size(), ruleSet.active().size() + ruleSet.inactive().size());
            }
            double bestPps = 0;
            double bestCpuPps = 0;
            double bestBase = 0;
            for (int pass = 1; pass <= repeat; pass++) {
                if (baseline) {
                    bestBase = Math.max(bestBase, passFigures(pass, "baseline", "none", null, cfg)[0]);
                }
                double[] r = passFigures(pass, baseline ? set + (ruleSet != null ? "+rules" : "") : null, set, ruleSet, cfg);
                bestPps = Math.max(bestPps, r[0]);
                bestCpuPps = Math.max(bestCpuPps, r[1]);
            }
            // packets/s is timed over the packet loop; CPU time is the thread's over the whole pass, opening the inputs
            // included (with many small files that is most of it)
            out.printf(Locale.ROOT, "best: %,.0f packets/s (%,.0f packets per CPU second); peak heap %s%n",
                    bestPps, bestCpuPps, Format.bytes(peakHeap()));
            if (baseline) {
                out.printf(Locale.ROOT, "cost against the baseline (base columns, no analyzer, no rule: best %,.0f packets/s):"
                        + " %+.0f%% time per packet%n", bestBase, (bestBase / bestPps - 1) * 100);
            }
            return 0;
        }
        /** One pass over the captures: {packets/s, packets per CPU second}, printed. */
        private double[] passFigures(int pass, String label, String set, RuleSet ruleSet, FlowConfig cfg) {
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            ExtractionCounters c = new ExtractionCounters();
            long[] batches = new long[1];
            long cpu0 = threads.getCurrentThreadCpuTime();
            try (BufferAllocator allocator = new RootAllocator();
                 MergedPacketSource source = CaptureInputs.open(captures, c)) {
                FlowExtractor extractor = extractor(set, cfg);
                if (ruleSet == null) {
                    extractor.run(source, c, allocator, b -> batches[0]++, List.of(), ProgressListener.NONE);
                } else {
                    try (RuleEngine engine = new RuleEngine(ruleSet, allocator, a -> { }, RuleEngine.Limits.DEFAULT)) {
                        extractor.run(source, c, allocator, b -> batches[0]++, List.<FlowSink>of(engine), ProgressListener.NONE);
                    }
                }
                if (pass == 1 && !"baseline".equals(label)) {  // once: the inputs are the same every pass
                    CaptureInputs.report(source, c, spec.commandLine().getErr());
                }
            }
            if (c.capture.packets == 0) {
                throw new UserError(3, "nothing could be read from the input");
            }
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            double s = c.elapsedSeconds();
            out.printf(Locale.ROOT,
                    "pass %d%s: %,d packets in %.3f s (%.3f s CPU): %,.0f packets/s, %,.1f MB/s, %,.0f flow records/s (%,d records, %,d batches)%n",
                    pass, label == null ? "" : " " + label, c.capture.packets, s, cpu, c.capture.packets / s,
                    c.capture.capturedBytes / s / 1e6, c.rows / s, c.rows, batches[0]);
            return new double[] {c.capture.packets / s, c.capture.packets / cpu};
        }
    }

    @Command(name = "flows", mixinStandardHelpOptions = true,
            description = {"Create N live flows in the flow table and report the heap they hold (bytes per live flow).",
                    "Each flow is a TCP connection attempt of --packets packets (SYN, SYN-ACK, then ACKs).",
                    "One or two packets (a scan's or a DNS exchange's flow) are held in compact form;",
                    "from the third packet a flow holds full statistics."})
    static final class Flows implements Callable<Integer> {
        @Option(names = "--flows", description = "Live flows to create (default: ${DEFAULT-VALUE}).")
        int flows = 1_000_000;

        @Option(names = "--packets", description = "Packets per flow (default: ${DEFAULT-VALUE}).")
        int packets = 1;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (flows < 1 || packets < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        (flows < 1 ? "--flows" : "--packets") + " must be at least 1");
            }
            FlowConfig cfg = FlowConfig.DEFAULTS.withMaxFlows(flows);
            long before = heapUsedAfterGc();
            FlowTable table = new FlowTable(cfg, (f, r) -> {}, new FlowCounters());
            DecodedPacket p = new DecodedPacket();
            CapturedPacket frame = new CapturedPacket();
            long t0 = System.nanoTime();
            for (int k = 0; k < packets; k++) {
                boolean fromClient = k != 1;
                for (int i = 0; i < flows; i++) {
                    p.clear();
                    p.ipVersion = 4;
                    p.protocol = DecodedPacket.PROTO_TCP;
                    p.hasTransport = true;
                    long client = 0x0A000000L | (i >>> 8);
                    int clientPort = 1024 + (i & 0xFF);
                    p.srcLo = fromClient ? client : 0xC0A80001L;
                    p.dstLo = fromClient ? 0xC0A80001L : client;
                    p.srcPort = fromClient ? clientPort : 443;
                    p.dstPort = fromClient ? 443 : clientPort;
                    p.tcpFlags = k == 0 ? DecodedPacket.TCP_SYN
                            : k == 1 ? DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK : DecodedPacket.TCP_ACK;
                    p.tcpSeq = fromClient ? 1000 + k : 5000;
                    p.tcpWindow = 64240;
                    p.ipTotalLength = k < 2 ? 60 : 52;
                    p.ttl = 64;
                    frame.timestampNanos = 1_700_000_000_000_000_000L + (k * (long) flows + i) * 1000L;
                    table.onPacket(p, frame);
                }
            }
            long t1 = System.nanoTime();
            long after = heapUsedAfterGc();
            long live = table.liveFlows();
            java.io.PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%,d live flows created in %.2f s (%,.0f flows/s, %,.0f packets/s)%n", live,
                    (t1 - t0) / 1e9, live / ((t1 - t0) / 1e9), (double) packets * flows / ((t1 - t0) / 1e9));
            out.printf(Locale.ROOT, "heap held by the table: %s, %.0f bytes per live flow of %d packet%s (max heap %s)%n",
                    Format.bytes(after - before), (after - before) / (double) live, packets, packets == 1 ? "" : "s",
                    Format.bytes(Runtime.getRuntime().maxMemory()));
            out.printf(Locale.ROOT, "flows holding full statistics: %,d (the others hold their packets in compact form)%n",
                    table.statisticsCreated());
            if (table.liveFlows() < 0) {
                out.println(table); // keeps the table reachable until after the measurement
            }
            return 0;
        }
    }
}
