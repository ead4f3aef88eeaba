package dev.vigie.cli;

import dev.vigie.flow.FlowConfig;
import dev.vigie.rules.RuleLoader;
import dev.vigie.rules.RuleSet;
import dev.vigie.rules.RuleSources;
import dev.vigie.rules.lists.ListRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigie rules}: rule file tools. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Rule file tools.",
        subcommands = {RulesCommand.Check.class})
public final class RulesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code vigie rules check DIR...}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate rule files against this build's flow schema: YAML shape, known keys, CEL conditions,",
                    "columns, lists. Each error names the file, the line and the problem."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every rule is valid", "2:usage error", "5:invalid rules", "66:a --lists directory does not exist"})
    public static final class Check implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "DIR", description = "Rule directories or files.")
        List<Path> paths = List.of();

        @Option(names = "--lists", paramLabel = "DIR", description = "Check list names against these lists (default: any name is accepted).")
        Path lists;

        @Option(names = "--builtin", description = "Check the built-in pack too (and ids clashing with it).")
        boolean builtin;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (paths.isEmpty() && !builtin) throw new UserError(2, "give rule directories or files, or --builtin");
            ListRegistry registry;
            try {
                registry = lists == null ? ListRegistry.anyName() : ListRegistry.load(lists);
            } catch (IOException e) {
                throw ExitCodes.io(e);
            }
            RuleLoader.Result loaded = RuleSources.load(builtin, paths);
            RuleSet set = DetectCommand.compile(loaded, StandardPipeline.extractor(FlowConfig.DEFAULTS), registry, err);
            if (set == null) return DetectCommand.RULES_INVALID;
            out.println(loaded.rules().size() + " rule(s) valid: " + set.active().size() + " active, "
                    + set.inactive().size() + " inactive");
            for (var i : set.inactive()) out.println("  " + i.rule().id() + ": inactive, " + i.reason());
            return 0;
        }
    }
}
