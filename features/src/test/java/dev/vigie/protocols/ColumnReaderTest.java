package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.features.FlowRow;
import dev.vigie.flow.EndReason;
import dev.vigie.flow.Flow;
import dev.vigie.flow.FlowConfig;
import dev.vigie.flow.FlowSink;
import dev.vigie.schema.ArrowTypes;
import dev.vigie.schema.Column;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/**
 * Every column's direct reader (what the rule layer reads) gives the value its filler writes (what Parquet and
 * analysts get), on every flow of the lab's mixed capture: HTTP, FTP, SSH, TLS, DNS, DHCP, HL7 and identifiers;
 * and every column of a group the row writer skips for a flow (another protocol's columns) is null there.
 */
class ColumnReaderTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));

    @Test
    void readersGiveWhatFillersWriteOnEveryFlowOfTheLabCapture() throws Exception {
        Path pcap = ROOT.resolve("datasets/lab/mixed.pcap");
        assumeTrue(Files.isRegularFile(pcap), "lab capture not available");
        List<dev.vigie.features.FeatureAnalyzer> analyzers = ProtocolAnalyzers.standard();
        FlowExtractor extractor = FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, analyzers);
        List<Column<FlowRow>> columns = extractor.schema().columns();
        // where each analyzer's column groups sit in the row: the writer skips a group whose flow fails its test
        List<int[]> ranges = new java.util.ArrayList<>();
        List<java.util.function.Predicate<Flow>> tests = new java.util.ArrayList<>();
        int offset = dev.vigie.features.FlowSchema.base().columns().size();
        for (dev.vigie.features.FeatureAnalyzer a : analyzers) {
            for (var g : a.columnGroups()) {
                ranges.add(new int[] {offset + g.from(), offset + g.to()});
                tests.add(g.present());
            }
            offset += a.columns().size();
        }
        assertTrue(ranges.size() >= 8, "one group per protocol");
        Map<String, Integer> skipped = new TreeMap<>();
        Map<String, Integer> checked = new TreeMap<>();
        Map<String, String> mismatches = new TreeMap<>();
        try (BufferAllocator allocator = new RootAllocator()) {
            FieldVector[] vectors = new FieldVector[columns.size()];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = columns.get(i).field().createVector(allocator);
                vectors[i].setInitialCapacity(1);
                vectors[i].allocateNew();
            }
            FlowRow row = new FlowRow();
            FlowSink check = (Flow flow, EndReason reason) -> {
                row.set(flow, reason);
                for (int g = 0; g < ranges.size(); g++) {
                    if (tests.get(g).test(flow)) continue;
                    for (int i = ranges.get(g)[0]; i < ranges.get(g)[1]; i++) {
                        Object x = columns.get(i).reader().read(row);
                        if (x != null) mismatches.putIfAbsent(columns.get(i).name(), "value " + x + " in a skipped group");
                        skipped.merge(columns.get(i).name(), 1, Integer::sum);
                    }
                }
                for (int i = 0; i < vectors.length; i++) {
                    Column<FlowRow> c = columns.get(i);
                    if (c.reader() == null) continue;
                    Object direct = c.reader().read(row);
                    c.filler().fill(vectors[i], 0, row);
                    Object written = cell(vectors[i]);
                    if (!java.util.Objects.equals(direct, written)) {
                        mismatches.putIfAbsent(c.name(), direct + " vs " + written);
                    }
                    if (written != null) checked.merge(c.name(), 1, Integer::sum);
                }
            };
            ExtractionCounters counters = new ExtractionCounters();
            try (MergedPacketSource source = CaptureFiles.openAll(List.of(pcap), counters.capture)) {
                extractor.run(source, counters, allocator, b -> { }, List.of(check), ProgressListener.NONE);
            }
            for (FieldVector v : vectors) v.close();
        }
        assertEquals(Map.of(), mismatches);
        assertTrue(skipped.getOrDefault("tls_sni", 0) > 0 && skipped.getOrDefault("dns_query", 0) > 0, "groups skipped: " + skipped);
        long withReader = columns.stream().filter(c -> c.reader() != null).count();
        assertTrue(withReader >= columns.size() - 2, withReader + " of " + columns.size() + " columns have a reader");
        // the capture exercises the protocol columns: values were compared, not only nulls
        for (String c : List.of("http_method", "ftp_login_failed", "ssh_client", "tls_sni", "dns_query", "hl7_message_types", "ssh_auth_attempts",
                "dlp_nir", "dlp_hashes", "ts_start", "duration", "orig_h", "conn_state")) {
            assertTrue(checked.getOrDefault(c, 0) > 0, "no non-null value of " + c + " compared");
        }
    }

    private static Object cell(FieldVector v) {
        if (v.isNull(0)) return null;
        if (v instanceof BigIntVector b) return b.get(0);
        if (v instanceof IntVector b) return (long) b.get(0);
        if (v instanceof Float8Vector b) return b.get(0);
        if (v instanceof BitVector b) return b.get(0) != 0;
        if (v instanceof VarCharVector b) return new String(b.get(0), StandardCharsets.UTF_8);
        if (v instanceof TimeStampMicroTZVector b) return b.get(0);
        throw new AssertionError("type " + ArrowTypes.describe(v.getField().getType()));
    }
}
