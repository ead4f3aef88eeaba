package dev.vigie.cli;

import dev.vigie.capture.MergedPacketSource;
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

    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "Capture files.")
    List<Path> captures;

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

    @Override
    public Integer call() {
        String fmt = format != null ? format : output.toString().endsWith(".arrow") ? "arrow" : "parquet";
        if (!fmt.equals("parquet") && !fmt.equals("arrow")) {
            throw new UserError(2, "unknown format '" + fmt + "' (parquet or arrow)");
        }
        List<FeatureAnalyzer> analyzers = noProtocols ? List.of() : StandardPipeline.analyzers();
        FlowExtractor extractor = FlowExtractor.withAnalyzers(flowOptions.toConfig(), analyzers);
        ExtractionCounters counters = new ExtractionCounters();
        TerminalProgress progress = new TerminalProgress(System.err, quiet);
        try (BufferAllocator allocator = new RootAllocator();
             MergedPacketSource source = CaptureInputs.open(captures, counters);
             BatchOutput out = BatchOutput.open(fmt, output, extractor.schema().arrowSchema(), allocator)) {
            extractor.run(source, counters, allocator, batch -> {
                try {
                    out.write(batch);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, List.of(), progress);
            progress.finish();
            out.commit();
            CaptureInputs.report(source, counters, System.err);
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(4, "cannot write " + output + ": " + rootMessage(e), e);
        }
        if (!quiet) {
            ExtractionSummary.print(counters, System.out);
            for (FeatureAnalyzer a : analyzers) {
                if (a instanceof ProtocolAnalyzer p) {
                    System.out.println("protocols    " + p.counters());
                }
            }
            System.out.println("output       " + output + " (" + fmt + ", " + counters.rows + " rows, "
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
