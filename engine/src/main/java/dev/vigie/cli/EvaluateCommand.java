package dev.vigie.cli;

import dev.vigie.training.data.TrainingInputException;
import dev.vigie.training.eval.Evaluator;
import dev.vigie.training.eval.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigie evaluate}: a bundle against labelled flow records, next to one-feature baselines. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score labelled flow records with a bundle (through ONNX Runtime) and print, per scenario and",
                "overall: precision, recall, ROC AUC, PR AUC and benign alerts per hour, for each model, their",
                "combination, the host-profile rules and trivial baselines (total bytes, total packets).",
                "A flow belongs to a scenario of labels.csv when it joins the attacker and a victim within the window."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:report printed", "2:usage error", "3:unusable input (bundle, features or labels)"})
public final class EvaluateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FEATURES", description = "Flow-record Parquet files to score.")
    List<Path> inputs;

    @Option(names = "--bundle", required = true, paramLabel = "BUNDLE_DIR", description = "Bundle from 'vigie train'.")
    Path bundle;

    @Option(names = "--labels", required = true, paramLabel = "LABELS_CSV",
            description = "Attack windows: scenario, attacker_ip, victim_ips, start_epoch, end_epoch, ...")
    Path labels;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            Labels l = Labels.parse(labels);
            Evaluator.Report report = Evaluator.evaluate(bundle, inputs, l);
            spec.commandLine().getOut().print(report.format());
            spec.commandLine().getOut().flush();
        } catch (TrainingInputException e) {
            throw new UserError(3, e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(3, "cannot read bundle " + bundle + ": " + ExtractCommand.rootMessage(e), e);
        }
        return 0;
    }
}
