package dev.vigie.protocols;

import dev.vigie.features.FlowBatchBuilder;
import dev.vigie.features.FlowRow;
import dev.vigie.features.FlowSchema;
import dev.vigie.flow.FlowConfig;
import dev.vigie.flow.FlowCounters;
import dev.vigie.flow.FlowTable;
import dev.vigie.schema.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A flow table with one protocol analyzer whose records go through the real column writers into Arrow and come
 * back as maps (column name → Java value: String, Integer, Long, Boolean, or null).
 */
final class Harness implements AutoCloseable {
    final ProtocolAnalyzer analyzer = new ProtocolAnalyzer();
    final Wire wire = new Wire();
    private final RootAllocator allocator = new RootAllocator();
    private final FlowBatchBuilder builder;
    private final FlowTable table;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    long clockNs = 1_700_000_000_000_000_000L;

    Harness() {
        this(null);
    }

    /** With a content analyzer registered after the protocol analyzer, as in the standard pipeline. */
    Harness(dev.vigie.features.FeatureAnalyzer content) {
        List<dev.vigie.schema.Column<FlowRow>> cols = new ArrayList<>(analyzer.columns());
        if (content != null) {
            cols.addAll(content.columns());
        }
        TableSchema<FlowRow> schema = FlowSchema.with(cols);
        builder = new FlowBatchBuilder(schema, allocator, 16, this::collect);
        table = new FlowTable(FlowConfig.DEFAULTS, builder, new FlowCounters());
        table.addAnalyzer(analyzer);
        if (content != null) {
            table.addAnalyzer(content);
        }
    }

    static List<Map<String, Object>> rowsOf(VectorSchemaRoot root) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < root.getRowCount(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (FieldVector v : root.getFieldVectors()) {
                Object o = v.getObject(i);
                if (o instanceof org.apache.arrow.vector.util.Text t) {
                    o = t.toString();
                }
                m.put(v.getName(), o);
            }
            out.add(m);
        }
        return out;
    }

    private void collect(VectorSchemaRoot root) {
        rows.addAll(rowsOf(root));
    }

    /** Feeds the packet last built in {@link #wire}. */
    void send() {
        table.onPacket(wire.p, wire.frame);
    }

    long tick() {
        clockNs += 1_000_000;
        return clockNs;
    }

    void udp(String src, int sport, String dst, int dport, byte[] payload) {
        wire.udp(tick(), src, sport, dst, dport, payload);
        send();
    }

    /** Ends every flow and returns all records written so far. */
    List<Map<String, Object>> finish() {
        table.flushAll();
        builder.flush();
        return rows;
    }

    /** The only record of a one-flow test. */
    Map<String, Object> only() {
        List<Map<String, Object>> r = finish();
        if (r.size() != 1) {
            throw new AssertionError("expected one flow, got " + r.size() + ": " + r);
        }
        return r.get(0);
    }

    @Override
    public void close() {
        builder.close();
        allocator.close();
    }
}
