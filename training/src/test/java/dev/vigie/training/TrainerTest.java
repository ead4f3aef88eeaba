package dev.vigie.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.training.data.TrainingInputException;
import dev.vigie.training.eval.Evaluator;
import dev.vigie.training.eval.Labels;
import dev.vigie.training.synth.SyntheticFlows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole training runs on synthetic flows: bundle contents, determinism, refusals, evaluation. */
class TrainerTest {
    @TempDir
    static Path dir;
    static Path benign;
    static Path mixed;
    static Path labels;
    static TrainedBundle bundle;

    static TrainConfig config() {
        return TrainConfig.defaults("lab", 42).withMinGroupRows(1_500);
    }

    @BeforeAll
    static void train() throws Exception {
        benign = dir.resolve("benign.parquet");
        mixed = dir.resolve("mixed.parquet");
        labels = dir.resolve("labels.csv");
        SyntheticFlows.writeBenign(benign, 20_000, 1, 2.0);
        SyntheticFlows.writeMixed(mixed, labels, 10_000, 2, 2.0, 1.0);
        bundle = new Trainer(config()).train(List.of(benign), dir.resolve("bundle"), TrainingListener.NONE);
        System.out.println("training stages (s): " + bundle.run().seconds());
    }

    @Test
    void bundleHoldsModelsPerGroupProfilesAndProvenance() {
        List<String> files = bundle.files();
        assertTrue(files.contains("recipe.json"), files.toString());
        assertTrue(files.contains("models.json"));
        assertTrue(files.contains("training.json"));
        assertTrue(files.contains("models/all.iforest.onnx"));
        assertTrue(files.contains("models/all.kmeans.onnx"));
        assertTrue(files.contains("models/tcp_443.iforest.onnx"), files.toString());
        assertTrue(files.contains("profiles/hosts.parquet"));
        assertTrue(files.contains("profiles/peers.parquet"));
        assertTrue(files.contains("provenance/all.kmeans.tribuo.json"));
        assertEquals(List.of("tcp/443", "udp/53", "tcp/445"), bundle.index().groups().groups());
        assertEquals(20_000, bundle.run().rows());
        assertEquals(bundle.run().rows(), bundle.run().trainRows() + bundle.run().heldOutRows());
        assertEquals(64, bundle.run().inputs().get(0).sha256().length());
        for (ModelIndex.Model m : bundle.index().models()) {
            assertTrue(m.calibration().heldOutAlertRate() <= 0.01, m.name() + " " + m.calibration());
        }
    }

    @Test
    void sameDataAndSeedGiveByteIdenticalModels() throws Exception {
        TrainedBundle again = new Trainer(config()).train(List.of(benign), dir.resolve("again"), TrainingListener.NONE);
        assertEquals(bundle.files(), again.files());
        for (String f : bundle.files()) {
            if (f.equals(TrainingRun.FILE) || f.startsWith("provenance/")) {
                continue; // they record the wall clock
            }
            assertArrayEquals(Files.readAllBytes(bundle.dir().resolve(f)), Files.readAllBytes(again.dir().resolve(f)), f);
        }
    }

    @Test
    void refusesTooFewRowsAndMissingFiles() throws Exception {
        Path small = dir.resolve("small.parquet");
        SyntheticFlows.writeBenign(small, 50, 3, 0.1);
        TrainingInputException e = assertThrows(TrainingInputException.class,
                () -> new Trainer(config()).train(List.of(small), dir.resolve("b2"), TrainingListener.NONE));
        assertTrue(e.getMessage().startsWith("too few rows to train: 50"), e.getMessage());
        e = assertThrows(TrainingInputException.class,
                () -> new Trainer(config()).train(List.of(dir.resolve("nope.parquet")), dir.resolve("b3"), TrainingListener.NONE));
        assertTrue(e.getMessage().endsWith("no such file"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("b2")) && Files.notExists(dir.resolve("b3")));
    }

    @Test
    void modelsRankSyntheticAttacksAboveBenignAndBeatTheBaselines() throws Exception {
        Evaluator.Report r = Evaluator.evaluate(bundle.dir(), List.of(mixed), Labels.parse(labels));
        System.out.print(r.format());
        for (String label : r.labels()) {
            double model = r.get(label, "combined").rocAuc();
            double base = Math.max(r.get(label, "baseline:bytes").rocAuc(), r.get(label, "baseline:packets").rocAuc());
            if (label.equals("ssh-bruteforce")) {
                // Many ordinary-looking SSH sessions: one flow at a time there is little to see; the profiles'
                // flows-per-hour rule is what catches it.
                assertTrue(r.get(label, "profiles").rocAuc() > 0.95);
                continue;
            }
            assertTrue(model > 0.9, label + " ROC AUC " + model);
            // Where a one-feature baseline already separates a scenario (exfiltration by volume is what the bytes
            // baseline measures), matching it is all a model can do; everywhere else it must do better.
            if (base < 0.95) {
                assertTrue(model > base, label + ": model " + model + " vs baseline " + base);
            }
        }
        for (String b : List.of("baseline:bytes", "baseline:packets")) {
            assertTrue(r.get(Evaluator.OVERALL, "combined").prAuc() > r.get(Evaluator.OVERALL, b).prAuc());
        }
        assertTrue(r.get(Evaluator.OVERALL, "profiles").rocAuc() > 0.9);
    }
}
