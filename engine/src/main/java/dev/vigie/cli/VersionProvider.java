package dev.vigie.cli;

import picocli.CommandLine;

/** Version from the jar manifest (set by Maven), or "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VigieCommand.class.getPackage().getImplementationVersion();
        return new String[] {"vigie " + (v == null ? "dev" : v) + ", Java " + Runtime.version()};
    }
}
