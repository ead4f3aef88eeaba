package dev.vigie.cli;

import dev.vigie.alerts.AlertSink;
import dev.vigie.bundle.BundleRejected;
import dev.vigie.bundle.BundleVerifier;
import dev.vigie.bundle.RollbackState;
import dev.vigie.bundle.TrustStore;
import dev.vigie.bundle.VerifiedBundle;
import dev.vigie.capture.PacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.rules.RuleSet;
import dev.vigie.rules.RuleSources;
import dev.vigie.rules.lists.ListRegistry;
import dev.vigie.sensor.AlertAggregator;
import dev.vigie.sensor.AssetInventoryFile;
import dev.vigie.sensor.AlertLog;
import dev.vigie.sensor.AlertTable;
import dev.vigie.sensor.BundleReloader;
import dev.vigie.sensor.HealthLog;
import dev.vigie.sensor.MetricsServer;
import dev.vigie.sensor.RollingParquet;
import dev.vigie.sensor.SensorMetrics;
import dev.vigie.sensor.SiteConfig;
import dev.vigie.sensor.ZoneTagger;
import dev.vigie.sensor.SuppressionFilter;
import dev.vigie.sensor.Suppressions;
import dev.vigie.sensor.SyslogForwarder;
import dev.vigie.sensor.ModelBundle;
import dev.vigie.sensor.ScoreTable;
import dev.vigie.sensor.Sensor;
import dev.vigie.sensor.SensorConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigie sense}: the sensor. Capture (files or an interface) → flows → feature rows in micro-batches → ONNX
 * models, host profiles and the rule layer → alerts, flow-record and score files. Refuses to start on a bundle that
 * fails verification. Details: docs/sense.md.
 */
@Command(name = "sense", mixinStandardHelpOptions = true,
        description = {"Run the sensor: score flows with a signed model bundle (ONNX Runtime) next to the rules.",
                "Writes OUT_DIR/alerts/*.jsonl (EVE), OUT_DIR/flows/*.parquet, OUT_DIR/scores/*.parquet. See docs/sense.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every input was read to its end", "1:some input had a fault (what came before is kept)",
                "2:usage error", "3:nothing could be read", "4:an output cannot be written",
                "5:invalid rule files", "10-23:the bundle was refused (codes as for 'vigie bundle verify')",
                "24:the bundle is for another site than --site-config's",
                "66:a --trust or --lists directory is missing"})
public final class SenseCommand implements Callable<Integer> {

    @Option(names = "--pcap", arity = "1..*", paramLabel = "FILE", description = "Capture files (or --interface).")
    List<Path> pcaps = new ArrayList<>();

    @Mixin
    LiveOptions liveOptions = new LiveOptions();

    @Option(names = "--bundle", required = true, paramLabel = "BUNDLE", description = "Signed model bundle (directory or .tar).")
    Path bundle;

    @Option(names = "--trust", required = true, paramLabel = "KEYS_DIR", description = "Trusted signers: every *.pub in this directory.")
    Path trustDir;

    @Option(names = "--state", paramLabel = "FILE", defaultValue = "/var/lib/vigie/accepted-versions.json",
            description = "Highest bundle version accepted per site, for rollback protection (default: ${DEFAULT-VALUE}).")
    Path stateFile;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT_DIR", description = "Output directory.")
    Path outDir;

    @Option(names = "--rules", paramLabel = "DIR", description = "Site rule files (*.yaml), next to the built-in pack; repeatable.")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--lists", paramLabel = "DIR", description = "Lists for the rules (*.lst, *.txt), e.g. a Tor node list.")
    Path lists;

    @Option(names = "--no-builtin", description = "Do not load the built-in rule pack.")
    boolean noBuiltin;

    @Option(names = "--site-config", paramLabel = "FILE", description = "Site name and networks (docs/site-config.md): the bundle must be for this site; alerts get src_zone/dest_zone.")
    Path siteConfig;

    @Option(names = "--watch", paramLabel = "DIR", description = "Hot reload: a bundle dropped here is verified and swapped in between batches.")
    Path watchDir;

    @Option(names = "--batch-rows", paramLabel = "N", description = "A scoring batch closes at N flow records (default: ${DEFAULT-VALUE})...")
    int batchRows = SensorConfig.DEFAULT_BATCH_ROWS;

    @Option(names = "--batch-delay", paramLabel = "MS", description = "...or when its oldest record has waited this long (default: ${DEFAULT-VALUE} ms).")
    long batchDelayMillis = SensorConfig.DEFAULT_MAX_DELAY.toMillis();

    @Option(names = "--aggregate-window", paramLabel = "SECONDS", description = "One alert per rule/model and host pair per window, with a count (default: ${DEFAULT-VALUE} s; 0: off).")
    long aggregateSeconds = 300;

    @Option(names = "--roll", paramLabel = "SECONDS", description = "Alert and flow files are completed and a new one started after this long (default: ${DEFAULT-VALUE} s).")
    long rollSeconds = 600;

    @Option(names = "--roll-rows", paramLabel = "N", description = "Flow files also roll after this many rows (default: ${DEFAULT-VALUE}).")
    long rollRows = 1_000_000;

    @Option(names = "--no-scores", description = "Do not write the scores table.")
    boolean noScores;

    @Option(names = "--suppressions", paramLabel = "FILE", description = "Suppression list (YAML, docs/suppressions.md), reloaded when it changes.")
    Path suppressions;

    @Option(names = "--syslog", paramLabel = "URL", description = "Also send alerts to a syslog collector (RFC 5424): udp://host:port or tcp://host:port.")
    String syslog;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve Prometheus metrics at http://ADDRESS:PORT/metrics (0: any free port).")
    Integer metricsPort;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS", description = "Address the metrics endpoint binds to (default: ${DEFAULT-VALUE}).")
    String metricsAddress = "127.0.0.1";

    @Option(names = "--assets-reference", paramLabel = "FILE",
            description = "Reference asset inventory (assets.parquet of a training window, or a CMDB .csv); default: the bundle's, if it has one.")
    Path assetsReference;

    @Option(names = "--asset-grace", paramLabel = "SECONDS", description = "Assets first seen within this long of the start join the reference silently (default: ${DEFAULT-VALUE} s).")
    long assetGraceSeconds = 0;

    @Option(names = "--no-assets", description = "No asset inventory and no shadow-IT detections.")
    boolean noAssets;

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
        if (liveOptions.live() == !pcaps.isEmpty()) {
            throw new UserError(2, "give --pcap files or --interface, not both and not neither");
        }
        String secretWarning = dev.vigie.dlp.DlpConfig.missingSecretWarning();
        if (secretWarning != null) {
            err.println(secretWarning);
        }
        SensorConfig config;
        try {
            config = new SensorConfig(outDir, batchRows, Duration.ofMillis(batchDelayMillis), Duration.ofSeconds(rollSeconds),
                    rollRows, Duration.ofSeconds(rollSeconds), Duration.ofSeconds(aggregateSeconds), !noScores);
        } catch (IllegalArgumentException e) {
            throw new UserError(2, e.getMessage(), e);
        }
        FlowExtractor extractor = StandardPipeline.extractor(flowOptions.toConfig(), batchRows);
        String schemaHash = extractor.schema().hash();

        SiteConfig site = DetectCommand.loadSite(siteConfig);

        // Verification first: a sensor never runs anything the site did not sign.
        TrustStore trust;
        try {
            trust = TrustStore.fromDirectory(trustDir);
        } catch (IOException e) {
            throw ExitCodes.io(e);
        }
        BundleVerifier verifier = new BundleVerifier(trust, RollbackState.at(stateFile));
        ModelBundle models = loadBundle(verifier, bundle, schemaHash);
        if (site.site() != null && !site.site().equals(models.site())) {
            models.close();
            throw new UserError(ExitCodes.SITE_MISMATCH, "refusing to start: bundle " + bundle + " is for site '"
                    + models.site() + "', this sensor is site '" + site.site() + "' (" + siteConfig + ")");
        }

        ListRegistry registry = DetectCommand.loadLists(lists, err);
        RuleSet ruleSet = DetectCommand.compile(RuleSources.load(!noBuiltin, rules), extractor, registry, site.zones(), err);
        if (ruleSet == null) {
            models.close();
            return DetectCommand.RULES_INVALID;
        }

        dev.vigie.assets.Inventory assetRef = null;
        if (!noAssets) {
            try {
                assetRef = assetsReference != null ? AssetsCommand.loadInventory(assetsReference) : models.assetReference();
            } catch (IOException | UserError e) {
                models.close();
                if (e instanceof UserError u) throw u;
                throw new UserError(3, "refusing to start: the bundle's asset inventory cannot be read: " + e.getMessage(), e);
            }
        }
        dev.vigie.assets.AssetConfig assetConfig = dev.vigie.assets.AssetConfig.defaults();
        if (siteConfig != null) {
            SiteConfig s = site;
            assetConfig = assetConfig.withInternal(a -> SiteConfig.INTERNAL.equals(s.zone(a)));
        }

        ExtractionCounters counters = new ExtractionCounters();
        TerminalProgress progress = new TerminalProgress(System.err, quiet);
        AlertTable table = new AlertTable();
        SensorMetrics metrics = new SensorMetrics();
        Sensor.Report report;
        BundleReloader reloader = watchDir == null ? null
                : new BundleReloader(new DropDirectory(watchDir), verifier, schemaHash, err);
        SyslogForwarder.Target syslogTarget = null;
        if (syslog != null) {
            try {
                syslogTarget = SyslogForwarder.Target.parse(syslog);
            } catch (IllegalArgumentException e) {
                models.close();
                throw new UserError(2, e.getMessage(), e);
            }
        }
        long roll = config.alertFileRoll().toNanos();
        try (BufferAllocator allocator = new RootAllocator();
             PacketSource source = liveOptions.live() ? liveOptions.open(counters.capture)
                     : CaptureInputs.open(pcaps, counters);
             AlertLog alertLog = new AlertLog(outDir.resolve("alerts"), roll);
             RollingParquet flows = new RollingParquet(outDir.resolve("flows"), "flows", extractor.schema().arrowSchema(),
                     allocator, config.flowFileRows(), config.flowFileRoll().toNanos());
             RollingParquet scores = new RollingParquet(outDir.resolve("scores"), "scores", ScoreTable.SCHEMA.arrowSchema(),
                     allocator, config.flowFileRows() * 3, config.flowFileRoll().toNanos());
             HealthLog health = new HealthLog(outDir.resolve("health"), allocator, 60_000_000_000L, roll);
             dev.vigie.assets.AssetTracker assets = noAssets ? null
                     : new dev.vigie.assets.AssetTracker(assetConfig, extractor.schema(), allocator);
             SyslogForwarder forwarder = syslogTarget == null ? null : new SyslogForwarder(syslogTarget);
             MetricsServer server = metricsPort == null ? null : startMetrics(metrics);
             StopSignal stop = new StopSignal(() -> {
                 extractor.requestStop();
                 if (liveOptions.live()) {
                     source.close();
                 }
             }, liveOptions.live() ? liveOptions.durationSeconds : 0)) {
            // alerts: producers -> suppressions -> table -> aggregation -> metrics -> files and syslog
            AlertSink sent = metrics.counting(forwarder == null ? alertLog : a -> {
                alertLog.accept(a);
                forwarder.accept(a);
            });
            AlertAggregator aggregator = config.aggregateWindow().isZero() ? null
                    : new AlertAggregator(sent, config.aggregateWindow().toNanos(), 100_000);
            AlertSink afterTable = aggregator == null ? sent : aggregator;
            AlertSink counted = a -> {
                table.accept(a);
                afterTable.accept(a);
            };
            SuppressionFilter filter = suppressions == null ? null : openSuppressions(counted, err);
            AlertSink alerts = new ZoneTagger(site, filter == null ? counted : filter);
            if (filter != null) {
                metrics.register("vigie_alerts_suppressed_total", filter::hiddenTotal);
            }
            if (forwarder != null) {
                metrics.register("vigie_syslog_sent_total", forwarder::sent);
                metrics.register("vigie_syslog_dropped_total", forwarder::dropped);
            }
            if (reloader != null) {
                metrics.register("vigie_bundle_reloads_refused_total", reloader::refused);
            }
            List<Sensor.Tickable> tickables = new ArrayList<>();
            tickables.add((now, st) -> alertLog.maybeRoll(now));
            tickables.add(flows);
            tickables.add(scores);
            tickables.add(health);
            dev.vigie.assets.AssetDetector assetDetector = null;
            AssetInventoryFile inventory = null;
            if (assets != null) {
                // asset detections enter the chain like any other producer's alerts
                assetDetector = new dev.vigie.assets.AssetDetector(assetRef, Duration.ofSeconds(assetGraceSeconds), alerts)
                        .attach(assets);
                extractor.addTaps(List.of(assets));
                inventory = new AssetInventoryFile(outDir.resolve("assets"), assets, assetDetector, allocator, roll);
                tickables.add(inventory);
                metrics.register("vigie_assets", assets::size);
            }
            metrics.registerContentScanner(extractor.featureAnalyzers());
            metrics.register("vigie_output_stalls_total", () -> flows.stalls() + scores.stalls());
            tickables.add(metrics);
            dev.vigie.assets.AssetDetector detectorRef = assetDetector;
            Sensor sensor = new Sensor(config, extractor, ruleSet, assets == null ? List.of() : List.of(assets),
                    reloader == null ? Sensor.BundleSource.NONE : reloader, m -> swapAssetReference(m, detectorRef, err),
                    metrics.scoring(), metrics.alertLatency(), tickables);
            if (!quiet) {
                err.println("sensing with " + models.label() + ", signed by " + models.signer() + "; "
                        + ruleSet.active().size() + " rules" + (server == null ? ""
                        : "; metrics at http://" + metricsAddress + ":" + server.port() + "/metrics"));
                err.flush();
            }
            report = sensor.run(source, counters, allocator, models, alerts, flows, noScores ? b -> { } : scores,
                    progress);
            if (aggregator != null) {
                aggregator.close();
            }
            progress.finish();
            CaptureInputs.report(source, counters, err);
            alertLog.commit();
            flows.commit();
            scores.commit();
            if (!quiet) {
                summary(out, counters, report, table, alertLog, flows, scores, reloader, filter, aggregator, forwarder,
                        metrics, extractor.featureAnalyzers());
                if (assets != null) {
                    StringBuilder d = new StringBuilder();
                    assetDetector.counts().forEach((k, v) -> d.append(d.length() == 0 ? "" : ", ").append(k.id).append(' ').append(v));
                    out.printf("assets       %d -> %s (%s; %.2f us per flow; reference %s)%s%n", assets.size(), inventory.file(),
                            DetectCommand.human(assets.estimatedBytes()),
                            assets.busyNanos() / 1e3 / Math.max(1, assets.counters().flows),
                            assetRef == null ? "none" : assetRef.describe(), d.length() == 0 ? "" : "; detections: " + d);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(4, "cannot write under " + outDir + ": " + ExtractCommand.rootMessage(e), e);
        }
        if (counters.capture.packets == 0 && !counters.faults.isEmpty()) {
            return 3;
        }
        return counters.faults.isEmpty() ? 0 : 1;
    }

    /** A swapped-in bundle brings its own reference inventory, unless --assets-reference pinned one. */
    private void swapAssetReference(ModelBundle m, dev.vigie.assets.AssetDetector detector, PrintWriter err) {
        if (detector == null || assetsReference != null) return;
        try {
            dev.vigie.assets.Inventory ref = m.assetReference();
            if (ref != null) detector.reference(ref);
        } catch (IOException e) {
            err.println("warning: the new bundle's asset inventory cannot be read, keeping the previous one: " + e.getMessage());
        }
    }

    /** Verifies and loads the start-up bundle, or stops the command with the refusal's reason and exit code. */
    static ModelBundle loadBundle(BundleVerifier verifier, Path bundle, String schemaHash) {
        VerifiedBundle verified;
        try {
            verified = verifier.verify(bundle, schemaHash);
        } catch (BundleRejected e) {
            throw ExitCodes.refused("refusing to start: bundle " + bundle, e);
        }
        try {
            return ModelBundle.load(verified);
        } catch (BundleRejected e) {
            throw ExitCodes.refused("refusing to start: bundle " + bundle, e);
        } catch (IOException e) {
            throw new UserError(3, "refusing to start: cannot load the models of " + bundle + ": "
                    + ExtractCommand.rootMessage(e), e);
        }
    }

    private SuppressionFilter openSuppressions(AlertSink downstream, PrintWriter err) {
        try {
            return new SuppressionFilter(suppressions, downstream, err);
        } catch (Suppressions.InvalidFile e) {
            throw new UserError(2, "invalid suppression file: " + e.getMessage(), e);
        }
    }

    private MetricsServer startMetrics(SensorMetrics metrics) {
        try {
            return new MetricsServer(metrics, metricsAddress, metricsPort);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(4, "cannot serve metrics on " + metricsAddress + ":" + metricsPort + ": "
                    + ExtractCommand.rootMessage(e), e);
        }
    }

    /** When the packet loop had to wait for a file writer (disk or Parquet conversion behind), how long. */
    static String stalled(RollingParquet files) {
        return files.stalls() == 0 ? "" : String.format(Locale.ROOT, " (the packet loop waited %.2f s for the writer, %,d batches)",
                files.stalledNanos() / 1e9, files.stalls());
    }

    private static void summary(PrintWriter out, ExtractionCounters counters, Sensor.Report r, AlertTable table,
                                AlertLog alertLog, RollingParquet flows, RollingParquet scores, BundleReloader reloader,
                                SuppressionFilter filter, AlertAggregator aggregator, SyslogForwarder forwarder,
                                SensorMetrics metrics, List<dev.vigie.features.FeatureAnalyzer> analyzers) {
        ExtractionSummary.print(counters, out);
        for (dev.vigie.features.FeatureAnalyzer a : analyzers) {
            if (a instanceof dev.vigie.dlp.DlpAnalyzer d) out.println("dlp          " + d.counters().summary());
        }
        out.printf(Locale.ROOT, "models       %s: %,d flows scored in %,d batches, %.1f ms scoring (batch p99 %.1f ms)%n",
                r.bundle(), r.rowsScored(), r.batches(), r.scoringNanos() / 1e6, metrics.scoring().quantileMillis(0.99));
        if (metrics.alertLatency().count() > 0) {
            out.printf(Locale.ROOT, "latency      end of flow -> model/profile alert: p50 <= %.1f ms, p99 <= %.1f ms, max %.1f ms%n",
                    metrics.alertLatency().quantileMillis(0.5), metrics.alertLatency().quantileMillis(0.99),
                    metrics.alertLatency().maxMillis());
        }
        if (reloader != null) {
            out.printf(Locale.ROOT, "reloads      %d accepted, %d refused%n", reloader.accepted(), reloader.refused());
        }
        out.printf(Locale.ROOT, "alerts       %,d raised (models %,d, profiles %,d, rules %,d)%s%n",
                r.mlAlerts() + r.profileAlerts() + r.ruleAlerts(), r.mlAlerts(), r.profileAlerts(), r.ruleAlerts(),
                filter == null ? "" : String.format(Locale.ROOT, ", %,d suppressed", filter.hiddenTotal()));
        if (aggregator != null) {
            out.printf(Locale.ROOT, "aggregated   %,d sent (%,d first of their window + %,d follow-ups with a count), %,d repeats held%n",
                    aggregator.passed() + aggregator.followUps(), aggregator.passed(), aggregator.followUps(), aggregator.held());
        }
        out.println("written      " + alertLog.written() + " alerts -> " + alertLog.dir());
        if (forwarder != null) {
            out.printf(Locale.ROOT, "syslog       %s: %,d sent, %,d dropped, %,d reconnects%n", syslogName(forwarder),
                    forwarder.sent(), forwarder.dropped(), forwarder.reconnects());
        }
        table.print(out);
        if (filter != null) {
            out.println("suppressions");
            filter.summary().forEach(l -> out.println("  " + l));
        }
        out.println("flows        " + flows.rows() + " rows in " + flows.files() + " file(s) under " + flows.dir()
                + stalled(flows));
        out.println("scores       " + scores.rows() + " rows in " + scores.files() + " file(s) under " + scores.dir()
                + stalled(scores));
        out.flush();
    }

    private static String syslogName(SyslogForwarder f) {
        return (f.target().tcp() ? "tcp://" : "udp://") + f.target().host() + ":" + f.target().port();
    }

    /** The drop directory for hot reload: offers the newest entry once it has stopped changing. */
    static final class DropDirectory implements java.util.function.Supplier<Path> {
        private final Path dir;
        private String lastSeen;
        private String offered;

        DropDirectory(Path dir) {
            this.dir = dir;
        }

        @Override
        public Path get() {
            if (!Files.isDirectory(dir)) {
                return null;
            }
            Path newest = null;
            long newestTime = Long.MIN_VALUE;
            String stamp = null;
            try (var entries = Files.list(dir)) {
                for (Path p : (Iterable<Path>) entries::iterator) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(".")) {
                        continue;
                    }
                    long t = Files.getLastModifiedTime(p).toMillis();
                    if (Files.isDirectory(p) && Files.exists(p.resolve("manifest.json"))) {
                        t = Math.max(t, Files.getLastModifiedTime(p.resolve("manifest.json")).toMillis());
                    }
                    if (t > newestTime) {
                        newestTime = t;
                        newest = p;
                        stamp = p + "@" + t + "#" + Files.size(p);
                    }
                }
            } catch (IOException e) {
                return null;
            }
            if (newest == null) {
                return null;
            }
            boolean stable = stamp.equals(lastSeen);
            lastSeen = stamp;
            if (!stable || stamp.equals(offered)) {
                return null;
            }
            offered = stamp;
            return newest;
        }
    }
}
