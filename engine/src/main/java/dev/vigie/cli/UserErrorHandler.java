package dev.vigie.cli;

import picocli.CommandLine;

/**
 * Turns exceptions into one line on stderr. {@link UserError} carries its own exit code; anything else is a bug in
 * vigie and exits 70 (EX_SOFTWARE) with the exception's class and message. {@code VIGIE_DEBUG=1} adds the stack.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int EXIT_SOFTWARE = 70;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean debug = "1".equals(System.getenv("VIGIE_DEBUG"));
        String cmd = cl.getCommandName();
        if (ex instanceof UserError ue) {
            cl.getErr().println(cmd + ": " + ue.getMessage());
            if (debug && ue.getCause() != null) {
                ue.getCause().printStackTrace(cl.getErr());
            }
            return ue.exitCode();
        }
        cl.getErr().println(cmd + ": internal error: " + ex + " (set VIGIE_DEBUG=1 for details)");
        if (debug) {
            ex.printStackTrace(cl.getErr());
        }
        return EXIT_SOFTWARE;
    }
}
