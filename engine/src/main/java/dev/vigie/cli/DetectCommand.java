package dev.vigie.cli;

import dev.vigie.alerts.AlertWriter;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.flow.FlowSink;
import dev.vigie.rules.RuleCompiler;
import dev.vigie.rules.RuleEngine;
import dev.vigie.rules.RuleError;
import dev.vigie.rules.RuleFileException;
import dev.vigie.rules.RuleLoader;
import dev.vigie.rules.RuleSet;
import dev.vigie.rules.RuleSources;
import dev.vigie.rules.RuleStats;
import dev.vigie.rules.lists.ListRegistry;
import dev.vigie.rules.lists.SiteZones;
import dev.vigie.sensor.SiteConfig;
import dev.vigie.sensor.ZoneTagger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigie detect}: capture files → flow records → rules → alerts (EVE JSON lines). */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Run the detection rules over capture files and write alerts as EVE JSON lines.",
                "Rules: the built-in pack plus --rules directories. Alert fields: docs/schema/alerts.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every input was read to its end", "1:some input had a fault (alerts before it are kept)",
                "2:usage error", "3:nothing could be read", "4:the output cannot be written",
                "5:invalid rule files (each error names the file and line)", "66:a --lists directory does not exist"})
public final class DetectCommand implements Callable<Integer> {
    static final int RULES_INVALID = 5;

    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "Capture files.")
    List<Path> captures;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "ALERTS", description = "Alert file (JSON lines).")
    Path output;

    @Option(names = "--rules", paramLabel = "DIR", description = "A directory of rule files (*.yaml), or one file; repeatable.")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--lists", paramLabel = "DIR", description = "A directory of lists (*.lst, *.txt; list name = file name without extension).")
    Path lists;

    @Option(names = "--site-config", paramLabel = "FILE",
            description = "Site networks (docs/site-config.md) for the zone-aware rules (beaconing, DLP destinations); default: private ranges are internal.")
    Path siteConfig;

    @Option(names = "--no-builtin", description = "Do not load the built-in rule pack.")
    boolean noBuiltin;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary.")
    boolean quiet;

    @Mixin
    FlowOptions flowOptions = new FlowOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ListRegistry registry = loadLists(lists, err);
        FlowExtractor extractor = StandardPipeline.extractor(flowOptions.toConfig());
        SiteConfig site = loadSite(siteConfig);
        SiteZones zones = site.zones();
        RuleSet set = compile(RuleSources.load(!noBuiltin, rules), extractor, registry, zones, err);
        if (set == null) return RULES_INVALID;
        if (set.active().isEmpty()) err.println("warning: no active rule");

        ExtractionCounters counters = new ExtractionCounters();
        TerminalProgress progress = new TerminalProgress(System.err, quiet);
        RuleEngine engine;
        try (BufferAllocator allocator = new RootAllocator();
             MergedPacketSource source = CaptureInputs.open(captures, counters);
             AlertWriter writer = new AlertWriter(output)) {
            engine = new RuleEngine(set, allocator, new ZoneTagger(site, writer), RuleEngine.Limits.DEFAULT);
            try {
                extractor.run(source, counters, allocator, batch -> { }, List.<FlowSink>of(engine), progress);
            } finally {
                engine.close();
            }
            progress.finish();
            writer.commit();
            CaptureInputs.report(source, counters, err);
            if (!quiet) summary(out, set, engine, writer, counters);
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(4, "cannot write " + output + ": " + ExtractCommand.rootMessage(e), e);
        }
        if (counters.capture.packets == 0 && !counters.faults.isEmpty()) return 3;
        return counters.faults.isEmpty() ? 0 : 1;
    }

    /** The lists of a --lists directory (empty without one), warning about the lines it skipped. */
    static ListRegistry loadLists(Path lists, PrintWriter err) {
        if (lists == null) {
            return ListRegistry.empty();
        }
        ListRegistry registry;
        try {
            registry = ListRegistry.load(lists);
        } catch (IOException e) {
            throw ExitCodes.io(e);
        }
        for (var l : registry.lists().values()) {
            if (l.rejected() > 0) {
                err.println("warning: " + l.source() + ": " + l.rejected() + " line(s) skipped (not an address, block or name), e.g. " + l.rejectedSamples());
            }
        }
        return registry;
    }

    /** The site file of --site-config, or the defaults without one; a bad file is a usage error naming its line. */
    static SiteConfig loadSite(Path file) {
        try {
            return file == null ? SiteConfig.defaults() : SiteConfig.load(file);
        } catch (SiteConfig.InvalidFile e) {
            throw new UserError(2, "invalid site configuration: " + e.getMessage(), e);
        }
    }

    /** The compiled rules, or null after printing every error. */
    static RuleSet compile(RuleLoader.Result loaded, FlowExtractor extractor, ListRegistry registry, PrintWriter err) {
        return compile(loaded, extractor, registry, SiteZones.DEFAULT, err);
    }

    /** The same, with the site's zones. */
    static RuleSet compile(RuleLoader.Result loaded, FlowExtractor extractor, ListRegistry registry, SiteZones zones,
                           PrintWriter err) {
        if (!loaded.errors().isEmpty()) {
            printErrors(loaded.errors(), err);
            return null;
        }
        try {
            return RuleCompiler.compile(loaded.rules(), extractor.schema(), registry, zones);
        } catch (RuleFileException e) {
            printErrors(e.errors(), err);
            return null;
        }
    }

    static void printErrors(List<RuleError> errors, PrintWriter err) {
        for (RuleError e : errors) err.println("error: " + ExitCodes.oneLine(e.toString()));
        err.println(errors.size() + " error(s) in rule files");
    }

    private static void summary(PrintWriter out, RuleSet set, RuleEngine engine, AlertWriter writer,
                                ExtractionCounters counters) {
        out.println("flows        " + engine.flows() + " (" + counters.capture.packets + " packets)");
        out.println("alerts       " + engine.alerts() + " -> " + writer.target());
        out.printf("time         %.2f s, of which rules %.2f s (%.1f%%, %.2f us per flow)%n", counters.elapsedNanos / 1e9,
                engine.busyNanos() / 1e9, 100.0 * engine.busyNanos() / Math.max(1, counters.elapsedNanos),
                engine.busyNanos() / 1e3 / Math.max(1, engine.flows()));
        out.printf("%-28s %-8s %-6s %6s %6s %6s %8s  %s%n", "rule", "sid", "sev", "alerts", "supp", "errors", "state", "sample hosts");
        long bytes = 0;
        long evictions = 0;
        for (RuleStats s : engine.stats()) {
            out.printf("%-28s %-8d %-6s %6d %6d %6d %8s  %s%n", s.ruleId(), s.sid(), s.severity(), s.alerts(),
                    s.suppressed(), s.errors(), human(s.stateBytes()), String.join(" ", s.sampleHosts()));
            bytes += s.stateBytes();
            evictions += s.evictions();
        }
        for (var i : set.inactive()) {
            out.printf("%-28s %-8d %-6s %6s  inactive: %s%n", i.rule().id(), i.rule().sid(), i.rule().severityName(), "-", i.reason());
        }
        out.println("rule state   " + human(bytes) + " held, " + evictions + " key(s) evicted (cap "
                + RuleEngine.Limits.DEFAULT.maxKeysPerRule() + " keys per rule)");
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1 << 20) return String.format("%.1f KiB", bytes / 1024.0);
        return String.format("%.1f MiB", bytes / (double) (1 << 20));
    }
}
