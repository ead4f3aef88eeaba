package dev.vigie.training.eval;

import dev.vigie.training.ModelIndex;
import dev.vigie.training.ModelKind;
import dev.vigie.training.data.FlowFrame;
import dev.vigie.training.data.ParquetFlows;
import dev.vigie.training.data.TrainingInputException;
import dev.vigie.training.features.FeatureCatalog;
import dev.vigie.training.features.Sampling;
import dev.vigie.training.profiles.ProfileScorer;
import dev.vigie.training.scoring.OnnxScorer;
import dev.vigie.training.scoring.Scores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code vigie evaluate}: scores labelled flows with a bundle (through ONNX Runtime, as the engine will) and
 * reports, per scenario and overall, each detector against the benign flows: the models, their combination, the
 * profile rules, and the one-feature baselines (total bytes, total packets; thresholds calibrated on the same
 * held-out benign rows as the models). A model that does not beat those baselines is not worth shipping.
 */
public final class Evaluator {
    public static final String OVERALL = "overall";

    private Evaluator() {}

    public record Row(String label, String detector, Metrics.Result result) {}

    /**
     * @param rows        one row per (label, detector)
     * @param flows       flows evaluated
     * @param perLabel    flows per label, benign included
     * @param benignHours span of the benign flows, the denominator of alerts per hour
     */
    public record Report(List<Row> rows, int flows, Map<String, Integer> perLabel, double benignHours) {
        public Metrics.Result get(String label, String detector) {
            for (Row r : rows) {
                if (r.label().equals(label) && r.detector().equals(detector)) {
                    return r.result();
                }
            }
            throw new IllegalArgumentException("no result for " + label + " / " + detector);
        }

        public List<String> labels() {
            return rows.stream().map(Row::label).distinct().toList();
        }

        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%,d flows, %s; benign traffic spans %.2f h%n", flows,
                    perLabel, benignHours));
            sb.append(String.format(Locale.ROOT, "%-22s %-18s %8s %9s %7s %8s %7s %12s%n", "label", "detector",
                    "flows", "precision", "recall", "ROC AUC", "PR AUC", "benign al/h"));
            for (Row r : rows) {
                Metrics.Result m = r.result();
                sb.append(String.format(Locale.ROOT, "%-22s %-18s %8d %9s %7s %8s %7s %12s%n", r.label(),
                        r.detector(), m.positives(), f(m.precision()), f(m.recall()), f(m.rocAuc()), f(m.prAuc()),
                        Double.isNaN(m.benignAlertsPerHour()) ? "-" : String.format(Locale.ROOT, "%.2f", m.benignAlertsPerHour())));
            }
            return sb.toString();
        }

        private static String f(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
        }
    }

    public static Report evaluate(Path bundle, List<Path> features, Labels labels) throws TrainingInputException, IOException {
        if (!Files.isRegularFile(bundle.resolve(ModelIndex.FILE))) {
            throw new TrainingInputException(bundle + ": not a bundle directory (no " + ModelIndex.FILE + ")");
        }
        try (OnnxScorer scorer = OnnxScorer.open(bundle)) {
            LinkedHashSet<String> cols = new LinkedHashSet<>(scorer.recipe().numericColumns());
            cols.addAll(FeatureCatalog.numericColumns());
            FlowFrame frame = ParquetFlows.read(features, cols);
            if (frame.rows() == 0) {
                throw new TrainingInputException("no flow records in " + features);
            }
            String[] label = labels.label(frame);
            Scores scores = scorer.score(frame, Sampling.range(frame.rows()));
            ModelIndex index = scorer.index();
            ProfileScorer profiles = ProfileScorer.load(bundle.resolve(index.profiles()), index.profileRules());

            Map<String, double[]> detectors = new LinkedHashMap<>();
            detectors.put("combined", toDouble(scores.combined()));
            for (ModelKind k : ModelKind.values()) {
                detectors.put(k.id(), toDouble(scores.of(k)));
            }
            detectors.put("profiles", profileScores(frame, profiles));
            for (ModelIndex.Baseline b : index.baselines()) {
                double[] v = new double[frame.rows()];
                for (String c : b.columns()) {
                    float[] col = frame.column(c);
                    for (int i = 0; i < v.length; i++) {
                        v[i] += Float.isNaN(col[i]) ? 0 : col[i];
                    }
                }
                for (int i = 0; i < v.length; i++) {
                    v[i] /= b.threshold();
                }
                detectors.put("baseline:" + b.name(), v);
            }

            Map<String, Integer> perLabel = new TreeMap<>();
            long b0 = Long.MAX_VALUE;
            long b1 = Long.MIN_VALUE;
            for (int i = 0; i < label.length; i++) {
                perLabel.merge(label[i], 1, Integer::sum);
                if (label[i].equals(Labels.BENIGN)) {
                    b0 = Math.min(b0, frame.tsStartMicros()[i]);
                    b1 = Math.max(b1, frame.tsEndMicros()[i]);
                }
            }
            double hours = b1 > b0 ? (b1 - b0) / 3.6e9 : 0;
            List<String> populations = new ArrayList<>();
            for (String l : perLabel.keySet()) {
                if (!l.equals(Labels.BENIGN)) {
                    populations.add(l);
                }
            }
            populations.add(OVERALL);
            List<Row> rows = new ArrayList<>();
            for (String pop : populations) {
                int n = 0;
                for (String l : label) {
                    if (l.equals(Labels.BENIGN) || l.equals(pop) || pop.equals(OVERALL)) {
                        n++;
                    }
                }
                boolean[] positive = new boolean[n];
                int[] pick = new int[n];
                int k = 0;
                for (int i = 0; i < label.length; i++) {
                    if (label[i].equals(Labels.BENIGN) || label[i].equals(pop) || pop.equals(OVERALL)) {
                        positive[k] = !label[i].equals(Labels.BENIGN);
                        pick[k++] = i;
                    }
                }
                for (Map.Entry<String, double[]> d : detectors.entrySet()) {
                    double[] s = new double[n];
                    for (int i = 0; i < n; i++) {
                        s[i] = d.getValue()[pick[i]];
                    }
                    rows.add(new Row(pop, d.getKey(), Metrics.evaluate(s, positive, hours)));
                }
            }
            return new Report(rows, frame.rows(), perLabel, hours);
        }
    }

    /** Number of profile rules a flow breaks (≥ 1 alerts); hourly totals are over the evaluated files. */
    static double[] profileScores(FlowFrame frame, ProfileScorer profiles) {
        List<String> origs = frame.dictionaries().get("orig_h");
        List<String> resps = frame.dictionaries().get("resp_h");
        List<String> protos = frame.dictionaries().get("proto");
        int[] o = frame.codes("orig_h");
        int[] r = frame.codes("resp_h");
        int[] p = frame.codes("proto");
        float[] port = frame.column("resp_p");
        float[] ob = frame.column("orig_bytes");
        Map<String, long[]> hourly = new HashMap<>();
        String[] key = new String[frame.rows()];
        for (int i = 0; i < key.length; i++) {
            key[i] = origs.get(o[i]) + '|' + Math.floorDiv(frame.tsStartMicros()[i], 3_600_000_000L);
            long[] acc = hourly.computeIfAbsent(key[i], x -> new long[2]);
            acc[0]++;
            acc[1] += Float.isNaN(ob[i]) ? 0 : (long) ob[i];
        }
        double[] out = new double[key.length];
        for (int i = 0; i < out.length; i++) {
            long[] acc = hourly.get(key[i]);
            int f = profiles.checkFlow(origs.get(o[i]), resps.get(r[i]), protos.get(p[i]), (int) port[i])
                    | profiles.checkHour(origs.get(o[i]), acc[0], acc[1]);
            out[i] = Integer.bitCount(f);
        }
        return out;
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
