package dev.vigie.extract;

import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.flow.FlowConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Runs the whole extraction on capture files and returns the rows as maps, for end-to-end assertions. */
public final class ExtractHarness {
    public final List<Map<String, Object>> rows = new ArrayList<>();
    public ExtractionCounters counters;
    public MergedPacketSource source;

    public static ExtractHarness run(FlowConfig config, Path... files) {
        return run(new FlowExtractor(config), files);
    }

    /** As {@link #run(FlowConfig, Path...)} with a configured extractor (e.g. the standard analyzers). */
    public static ExtractHarness run(FlowExtractor extractor, Path... files) {
        ExtractHarness h = new ExtractHarness();
        h.counters = new ExtractionCounters();
        try (BufferAllocator allocator = new RootAllocator();
             MergedPacketSource source = CaptureFiles.openAll(List.of(files), h.counters.capture)) {
            h.source = source;
            extractor.run(source, h.counters, allocator, h::collect, List.of(), ProgressListener.NONE);
            h.counters.faults.addAll(source.faults());
            h.counters.warnings.addAll(source.warnings());
        }
        return h;
    }

    private void collect(VectorSchemaRoot batch) {
        for (int r = 0; r < batch.getRowCount(); r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (FieldVector v : batch.getFieldVectors()) {
                Object o = v.getObject(r);
                row.put(v.getName(), o == null ? null : o instanceof org.apache.arrow.vector.util.Text t ? t.toString() : o);
            }
            rows.add(row);
        }
    }

    public List<Map<String, Object>> where(String column, Object value) {
        return rows.stream().filter(r -> value.equals(r.get(column))).toList();
    }

    public long sum(String column) {
        return rows.stream().mapToLong(r -> ((Number) r.get(column)).longValue()).sum();
    }
}
