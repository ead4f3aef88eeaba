package dev.vigie.cli;

import dev.vigie.alerts.AlertWriter;
import dev.vigie.assets.AssetConfig;
import dev.vigie.assets.AssetRecord;
import dev.vigie.assets.AssetScan;
import dev.vigie.assets.Inventory;
import dev.vigie.assets.InventoryDiff;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.sensor.SiteConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigie assets}: the passive asset inventory of capture files, compared with a reference. */
@Command(name = "assets", mixinStandardHelpOptions = true,
        description = {"Build the passive asset inventory of capture files (MAC, addresses, vendor, names, OS and role "
                + "guesses, services, protocols), write it as Parquet and print it as a table.",
                "With --reference: mark new and changed assets and raise the shadow-IT detections (--alerts).",
                "Columns: docs/schema/assets.md; detections and the CMDB format: docs/assets.md."},
        subcommands = {AssetsCommand.Diff.class, AssetsCommand.Import.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every input was read to its end", "1:some input had a fault (the inventory before it is kept)",
                "2:usage error, invalid reference or site file", "3:nothing could be read", "4:the output cannot be written"})
public final class AssetsCommand implements Callable<Integer> {

    // not declared required: picocli would then demand them of `vigie assets diff` too
    @Parameters(arity = "0..*", paramLabel = "CAPTURE", description = "Capture files.")
    List<Path> captures = List.of();

    @Option(names = {"-o", "--output"}, paramLabel = "ASSETS", description = "Inventory file (Parquet); required.")
    Path output;

    @Option(names = "--reference", paramLabel = "FILE", description = "Reference inventory: an assets.parquet of a training window, or a CMDB .csv.")
    Path reference;

    @Option(names = "--alerts", paramLabel = "FILE", description = "Write the shadow-IT detections as EVE JSON lines.")
    Path alerts;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "0",
            description = "Assets first seen within this many seconds of the first packet join the reference silently (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Option(names = "--site-config", paramLabel = "FILE", description = "Site file (docs/site-config.md): its internal networks are the site's assets; default: private ranges.")
    Path siteConfig;

    @Option(names = "--max-assets", paramLabel = "N", defaultValue = "1000000", description = "Assets held at most (least recently seen evicted first; default: ${DEFAULT-VALUE}).")
    int maxAssets;

    @Option(names = "--all", description = "Print every asset (default: at most 60 rows, new and changed first).")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar, no table.")
    boolean quiet;

    @Mixin
    FlowOptions flowOptions = new FlowOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (captures.isEmpty()) throw new UserError(2, "no capture file given (vigie assets CAPTURE... -o assets.parquet, or vigie assets diff REFERENCE CURRENT)");
        if (output == null) throw new UserError(2, "missing -o/--output (the inventory file to write)");
        if (maxAssets < 1) throw new UserError(2, "--max-assets must be at least 1");
        Inventory ref = reference == null ? null : loadInventory(reference);
        AssetConfig config = AssetConfig.defaults().withMaxAssets(maxAssets);
        if (siteConfig != null) {
            try {
                SiteConfig site = SiteConfig.load(siteConfig);
                config = config.withInternal(a -> SiteConfig.INTERNAL.equals(site.zone(a)));
            } catch (SiteConfig.InvalidFile e) {
                throw new UserError(2, "invalid site configuration: " + e.getMessage(), e);
            }
        }
        FlowExtractor extractor = StandardPipeline.extractor(flowOptions.toConfig());
        TerminalProgress progress = new TerminalProgress(System.err, quiet);
        AssetScan.Result result;
        long[] raised = {0};
        try (AlertWriter writer = alerts == null ? null : new AlertWriter(alerts)) {
            result = AssetScan.run(extractor, captures, config, ref, Duration.ofSeconds(graceSeconds), a -> {
                raised[0]++;
                if (writer != null) writer.accept(a);
            }, progress);
            progress.finish();
            CaptureInputs.report(result.source(), result.extraction(), err);
            try (BufferAllocator allocator = new RootAllocator()) {
                Inventory.writeParquet(result.assets(), output, allocator);
            }
            if (writer != null) writer.commit();
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(4, "cannot write " + (alerts != null ? output + " or " + alerts : output) + ": "
                    + ExtractCommand.rootMessage(e), e);
        }
        List<AssetRecord> records = result.assets();
        ExtractionCounters counters = result.extraction();
        if (!quiet) {
            Inventory current = new Inventory(records, output.toString());
            InventoryDiff diff = ref == null ? null : InventoryDiff.between(ref, current);
            AssetTable.print(out, records, diff, all);
            long bytes = result.estimatedBytes();
            out.printf("assets       %d -> %s (memory %s, %d B per asset; %s)%n", records.size(), output,
                    DetectCommand.human(bytes), records.isEmpty() ? 0 : bytes / records.size(), result.counters());
            ExtractionCounters x = result.extraction();
            out.printf("time         %.2f s, of which the inventory %.2f s (%.2f us per flow record, %d packets)%n",
                    x.elapsedNanos / 1e9, result.inventoryNanos() / 1e9,
                    result.inventoryNanos() / 1e3 / Math.max(1, result.counters().flows), x.capture.packets);
            if (diff != null) {
                out.printf("reference    %s: %d new, %d changed, %d not seen%n", ref.describe(), diff.added().size(),
                        diff.changed().size(), diff.gone().size());
            }
            if (!result.detections().isEmpty() || alerts != null) {
                StringBuilder s = new StringBuilder();
                result.detections().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> s.append(s.length() == 0 ? "" : ", ").append(e.getKey().id).append(' ').append(e.getValue()));
                out.println("detections   " + raised[0] + (alerts != null ? " -> " + alerts : "") + (s.length() > 0 ? " (" + s + ")" : ""));
            }
        }
        if (counters.capture.packets == 0 && !counters.faults.isEmpty()) return 3;
        return counters.faults.isEmpty() ? 0 : 1;
    }

    static Inventory loadInventory(Path file) {
        try {
            return Inventory.load(file);
        } catch (Inventory.InvalidInventory e) {
            throw new UserError(2, e.getMessage(), e);
        } catch (IOException e) {
            throw ExitCodes.io(e);
        }
    }

    /** {@code vigie assets import}: a CMDB export as an inventory file (the reference format of sense and train). */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Turn a CMDB export (CSV: mac, ip, hostname, device_class, os, vendor, services, owner, location, notes; "
                    + "docs/assets.md) into an assets.parquet reference inventory.",
                    "Errors name the file, the line and the problem (exit 2)."})
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CMDB_CSV")
        Path csv;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "ASSETS", description = "Inventory file (Parquet).")
        Path output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Inventory inv = loadInventory(csv);
            try (BufferAllocator allocator = new RootAllocator()) {
                Inventory.writeParquet(inv.records(), output, allocator);
            } catch (IOException | UncheckedIOException e) {
                throw new UserError(4, "cannot write " + output + ": " + ExtractCommand.rootMessage(e), e);
            }
            spec.commandLine().getOut().println(inv.records().size() + " assets from " + csv + " -> " + output);
            return 0;
        }
    }

    /** {@code vigie assets diff}: new, gone and changed assets between two inventories. */
    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"Compare two inventories (assets.parquet from vigie assets or vigie sense, or a CMDB .csv): "
                    + "new, gone and changed assets.", "Exit code 0 when they match, 1 when they differ, 2 on a bad file."})
    static final class Diff implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "REFERENCE")
        Path reference;

        @Parameters(index = "1", paramLabel = "CURRENT")
        Path current;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Inventory ref = loadInventory(reference);
            Inventory cur = loadInventory(current);
            InventoryDiff d = InventoryDiff.between(ref, cur);
            out.println("new (" + d.added().size() + ")");
            for (AssetRecord a : d.added()) out.println("  + " + AssetTable.oneLine(a));
            out.println("gone (" + d.gone().size() + ")");
            for (AssetRecord a : d.gone()) out.println("  - " + AssetTable.oneLine(a));
            out.println("changed (" + d.changed().size() + ")");
            for (InventoryDiff.Change c : d.changed()) {
                out.println("  ~ " + AssetTable.oneLine(c.after()));
                for (String w : c.what()) out.println("      " + w);
            }
            out.printf("%s -> %s: %d new, %d gone, %d changed%n", ref.describe(), cur.describe(), d.added().size(),
                    d.gone().size(), d.changed().size());
            return d.added().isEmpty() && d.gone().isEmpty() && d.changed().isEmpty() ? 0 : 1;
        }
    }
}
