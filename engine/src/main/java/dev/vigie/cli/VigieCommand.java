package dev.vigie.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigie} command. Each subcommand lives in its own class; register new ones in {@link #SUBCOMMANDS}.
 * Errors reach users as one line (see {@link #main}), never as a stack trace, unless {@code VIGIE_DEBUG=1}.
 */
@Command(name = "vigie",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Network detection and response sensor and behavioural anomaly engine.")
public final class VigieCommand implements Runnable {

    static final Object[] SUBCOMMANDS = {
        // one per line, so that parallel branches merge cleanly
        ExtractCommand.class,
        SchemaCommand.class,
        KeysCommand.class,
        BundleCommand.class,
        BenchCommand.class,
        DetectCommand.class,
        RulesCommand.class,
        SqlCommand.class,
        ReportCommand.class,
        TrainCommand.class,
        EvaluateCommand.class,
        SenseCommand.class,
        DemoCommand.class,
        SiteCommand.class,
        AssetsCommand.class,
    };

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new VigieCommand());
        for (Object sub : SUBCOMMANDS) {
            cl.addSubcommand(sub);
        }
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        return cl;
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        int code = cl.execute(args);
        // Commands print through picocli's writers, which buffer: flush them before exit or a redirected
        // output is cut at the buffer size.
        cl.getOut().flush();
        cl.getErr().flush();
        System.out.flush();
        System.exit(code);
    }
}
