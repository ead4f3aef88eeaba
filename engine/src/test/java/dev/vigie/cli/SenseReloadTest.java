package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.alerts.Alert;
import dev.vigie.bundle.BundleVerifier;
import dev.vigie.bundle.RollbackState;
import dev.vigie.bundle.TrustStore;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowConfig;
import dev.vigie.rules.RuleSet;
import dev.vigie.rules.RuleSources;
import dev.vigie.rules.lists.ListRegistry;
import dev.vigie.sensor.BundleReloader;
import dev.vigie.sensor.LatencyRecorder;
import dev.vigie.sensor.ModelBundle;
import dev.vigie.sensor.Sensor;
import dev.vigie.sensor.SensorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload: a bundle offered while the sensor runs is verified; a tampered or rolled-back one is refused and
 * logged while the current models keep scoring; a valid newer one is swapped in between batches.
 */
class SenseReloadTest {
    static final Path LAB = SenseLabTest.LAB;

    @TempDir
    static Path tmp;
    static Path v100;
    static Path v200;
    static Path trust;

    @BeforeAll
    static void bundles() throws Exception {
        assumeTrue(Files.exists(LAB.resolve("benign.pcap")), "lab capture missing");
        Path flows = tmp.resolve("benign.parquet");
        assertEquals(0, CliRun.of("extract", "-q", LAB.resolve("benign.pcap").toString(), "-o", flows.toString()).exit());
        assertEquals(0, CliRun.of("keys", "generate", "-o", tmp.resolve("keys").toString()).exit());
        trust = tmp.resolve("trust");
        Files.createDirectories(trust);
        Files.copy(tmp.resolve("keys/vigie-bundle.pub"), trust.resolve("vigie-bundle.pub"));
        v100 = tmp.resolve("b100");
        v200 = tmp.resolve("b200");
        for (Object[] b : new Object[][] {{v100, "100"}, {v200, "200"}}) {
            CliRun t = CliRun.of("train", "-q", "--site", "lab", "--bundle-version", (String) b[1], flows.toString(),
                    "-o", b[0].toString());
            assertEquals(0, t.exit(), t.toString());
            assertEquals(0, CliRun.of("bundle", "sign", "--key", tmp.resolve("keys/vigie-bundle.key").toString(),
                    b[0].toString()).exit());
        }
    }

    static BundleVerifier verifier(Path state) throws Exception {
        return new BundleVerifier(TrustStore.fromDirectory(trust), RollbackState.at(state));
    }

    @Test
    void refusedBundlesAreLoggedAndTheCurrentModelsKeepRunning() throws Exception {
        Path tampered = tmp.resolve("tampered");
        SenseLabTest.copyTree(v200, tampered);
        Path recipe = tampered.resolve("recipe.json");
        Files.writeString(recipe, Files.readString(recipe).replace("\"clip\"", "\"clip\" "));
        String hash = StandardPipeline.schema().hash();
        Path state = tmp.resolve("state-refuse.json");
        BundleVerifier verifier = verifier(state);
        try (ModelBundle current = SenseCommand.loadBundle(verifier, v200, hash)) {
            Deque<Path> offers = new ArrayDeque<>(List.of(tampered, v100));
            StringWriter log = new StringWriter();
            BundleReloader reloader = new BundleReloader(offers::poll, verifier, hash, new PrintWriter(log, true));
            assertNull(reloader.poll(), "a tampered bundle must not load");
            assertNull(reloader.poll(), "version 100 after 200 is a rollback");
            assertNull(reloader.poll(), "nothing offered");
            assertEquals(2, reloader.refused());
            assertEquals(0, reloader.accepted());
            String text = log.toString();
            assertTrue(text.contains("bundle refused: " + tampered) && text.contains("hash"), text);
            assertTrue(text.contains("bundle refused: " + v100) && text.contains("rollback"), text);
            assertTrue(text.contains("current models keep running"), text);
            assertEquals(200, current.version());
        }
    }

    @Test
    void aNewerBundleIsSwappedInBetweenBatches() throws Exception {
        String hash = StandardPipeline.schema().hash();
        BundleVerifier verifier = verifier(tmp.resolve("state-swap.json"));
        ModelBundle first = SenseCommand.loadBundle(verifier, v100, hash);
        Deque<Path> offers = new ArrayDeque<>(List.of(v200));
        BundleReloader reloader = new BundleReloader(offers::poll, verifier, hash, new PrintWriter(new StringWriter()));
        FlowExtractor extractor = StandardPipeline.extractor(FlowConfig.DEFAULTS, 256);
        RuleSet rules = DetectCommand.compile(RuleSources.load(true, List.of()), extractor, ListRegistry.empty(),
                new PrintWriter(new StringWriter()));
        List<Alert> alerts = new ArrayList<>();
        List<ModelBundle> swapped = new ArrayList<>();
        Sensor sensor = new Sensor(SensorConfig.defaults(tmp.resolve("swap-out")), extractor, rules, List.of(),
                reloader, swapped::add, LatencyRecorder.NONE, LatencyRecorder.NONE, List.of());
        ExtractionCounters counters = new ExtractionCounters();
        Sensor.Report report;
        try (BufferAllocator allocator = new RootAllocator();
             MergedPacketSource source = CaptureInputs.open(List.of(LAB.resolve("mixed.pcap")), counters)) {
            report = sensor.run(source, counters, allocator, first, alerts::add, b -> { }, b -> { },
                    ProgressListener.NONE);
        }
        assertEquals(1, report.bundleSwaps());
        assertEquals(1, swapped.size());
        assertEquals(200, swapped.get(0).version());
        Set<String> bundles = new TreeSet<>();
        for (Alert a : alerts) {
            if (a.ruleId().equals("vigie.ml.anomaly")) {
                bundles.add((String) a.evidence().get("bundle"));
            }
        }
        assertEquals(1, bundles.size(), "the swap happens at the first tick, before any batch: " + bundles);
        assertTrue(bundles.iterator().next().startsWith("lab v200"), bundles.toString());
        assertTrue(report.bundle().startsWith("lab v200"), report.bundle());
    }

    @Test
    void theDropDirectoryOffersAnEntryOnceItStoppedChanging() throws Exception {
        Path drop = tmp.resolve("drop");
        Files.createDirectories(drop);
        SenseCommand.DropDirectory watcher = new SenseCommand.DropDirectory(drop);
        assertNull(watcher.get(), "empty");
        SenseLabTest.copyTree(v200, drop.resolve("new-bundle"));
        assertNull(watcher.get(), "first sight: may still be copying");
        Path offered = watcher.get();
        assertNotNull(offered);
        assertEquals(drop.resolve("new-bundle"), offered);
        assertNull(watcher.get(), "offered once");
        try (Stream<Path> s = Files.list(drop)) {
            assertEquals(1, s.count());
        }
    }
}
