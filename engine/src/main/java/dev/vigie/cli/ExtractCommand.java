package dev.vigie.cli;

import dev.vigie.capture.PacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.features.FeatureAnalyzer;
import dev.vigie.io.BatchOutput;
import dev.vigie.protocols.ProtocolAnalyzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigie extract}: capture files → one flow record per flow, in Parquet or Arrow IPC. */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = {"Turn capture files (pcap, pcapng, gzip-compressed or not) into flow records.",
                "Several files are read in timestamp order. Columns: docs/schema/flows.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every input was read to its end", "1:some input had a fault (records before it are kept)",
                "2:usage error", "3:nothing could be read"})
public final class ExtractCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "CAPTURE", description = "Capture files (or use --interface).")
    List<Path> captures = List.of();

    @Mixin
    LiveOptions liveOptions = new LiveOptions();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output file.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", description = "parquet (zstd) or arrow (IPC file); default: from the output name, else parquet.")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary.")
    boolean quiet;

    @Option(names = "--no-protocols", description = "No protocol metadata columns (app_proto, dns_*, tls_*, ...): base flow columns only.")
    boolean noProtocols;

    @Mixin
    FlowOptions flowOptions = new FlowOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        java.io.PrintWriter stderr = spec.commandLine().getErr();
        String fmt = format != null ? format : output.toString().endsWith(".arrow") ? "arrow" : "parquet";
        if (!fmt.equals("parquet") && !fmt.equals("arrow")) {
            throw new UserError(2, "unknown format '" + fmt + "' (parquet or arrow)");
        }
        List<FeatureAnalyzer> analyzers = noProtocols ? List.of() : StandardPipeline.analyzers();
        FlowExtractor extractor = FlowExtractor.withAnalyzers(flowOptions.toConfig(), analyzers);
        ExtractionCounters counters = new ExtractionCounters();
        TerminalProgress progress = new TerminalProgress(System.err, quiet);
        if (liveOptions.live() == !captures.isEmpty()) {
            throw new UserError(2, "give capture files or --interface, not both and not neither");
        }
        try (BufferAllocator allocator = new RootAllocator();
             PacketSource source = liveOptions.live() ? liveOptions.open(counters.capture) : CaptureInputs.open(captures, counters);
             BatchOutput out = BatchOutput.open(fmt, output, extractor.schema().arrowSchema(), allocator);
             StopSignal stop = new StopSignal(() -> {
                 extractor.requestStop();
                 if (liveOptions.live()) {
                     source.close();
                 }
             }, liveOptions.live() ? liveOptions.durationSeconds : 0)) {
            extractor.run(source, counters, allocator, batch -> {
                try {
                    out.write(batch);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, List.of(), progress);
            progress.finish();
            CaptureInputs.report(source, counters, stderr);
            if (counters.capture.packets == 0 && !counters.faults.isEmpty()) {
                // nothing could be read: leave no output behind (closing the output discards it)
                return 3;
            }
            out.commit();
            if (liveOptions.live()) {
                stderr.printf("live capture on %s: %,d packets, %,d dropped by the kernel, %,d by the interface%n",
                        source.name(), counters.capture.packets, counters.capture.kernelDrops, counters.capture.interfaceDrops);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(4, "cannot write " + output + ": " + rootMessage(e), e);
        }
        if (!quiet) {
            ExtractionSummary.print(counters, stdout);
            for (FeatureAnalyzer a : analyzers) {
                if (a instanceof ProtocolAnalyzer p) {
                    stdout.println("protocols    " + p.counters());
                }
                if (a instanceof dev.vigie.dlp.DlpAnalyzer d) {
                    stdout.println("dlp          " + d.counters().summary());
                }
            }
            stdout.println("output       " + output + " (" + fmt + ", " + counters.rows + " rows, "
                    + extractor.schema().columns().size() + " columns)");
        }
        if (counters.capture.packets == 0 && !counters.faults.isEmpty()) {
            return 3;
        }
        return counters.faults.isEmpty() ? 0 : 1;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
