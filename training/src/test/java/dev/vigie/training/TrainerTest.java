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
        return TrainConfig.defaults("lab", 42).withMinGroupRows(2_000);
    }

    @BeforeAll
    static void train() throws Exception {
        benign = dir.resolve("benign.parquet");
        mixed = dir.resolve("mixed.parquet");
        labels = dir.resolve("labels.csv");
        SyntheticFlows.writeBenign(benign, 30_000, 1, 2.0);
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
        assertEquals(30_000, bundle.run().rows());
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
            // Brute force is many ordinary-looking SSH sessions: per-flow models see little (the profiles'
            // connections-per-hour rule is what catches it), hence its lower floor.
            double floor = label.equals("ssh-bruteforce") ? 0.7 : 0.9;
            assertTrue(model > floor, label + " ROC AUC " + model);
            // Exfiltration by volume is exactly what the bytes baseline measures: a tie at 1.0 is all we can ask.
            assertTrue(model > base || model == 1.0, label + ": model " + model + " vs baseline " + base);
        }
        assertTrue(r.get(Evaluator.OVERALL, "profiles").rocAuc() > 0.9);
    }
}
