package dev.vigie.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the vigie command in-process and captures what a user would see. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = VigieCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** stderr lines, without the final newline. */
    String[] errLines() {
        if (err.isEmpty()) {
            return new String[0];
        }
        String trimmed = err.endsWith("\n") ? err.substring(0, err.length() - 1) : err;
        return trimmed.split("\n", -1);
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
