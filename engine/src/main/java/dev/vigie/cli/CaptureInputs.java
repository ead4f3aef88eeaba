package dev.vigie.cli;

import dev.vigie.capture.CaptureFault;
import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.capture.PacketSource;
import dev.vigie.extract.ExtractionCounters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** Opening capture files for a command, and reporting what went wrong with them. */
final class CaptureInputs {
    private CaptureInputs() {}

    static MergedPacketSource open(List<Path> files, ExtractionCounters counters) {
        if (files == null || files.isEmpty()) {
            throw new UserError(2, "no capture file given");
        }
        return CaptureFiles.openAll(files, counters.capture);
    }

    /** Prints one line per fault and warning; copies them into the counters. */
    static void report(PacketSource source, ExtractionCounters counters, PrintWriter err) {
        if (source instanceof MergedPacketSource merged) {
            counters.faults.addAll(merged.faults());
        } else if (source.fault() != null) {
            counters.faults.add(source.fault());
        }
        counters.warnings.addAll(source.warnings());
        for (CaptureFault w : counters.warnings) {
            err.println("warning: " + w);
        }
        for (CaptureFault f : counters.faults) {
            err.println("error: " + f);
        }
    }
}
