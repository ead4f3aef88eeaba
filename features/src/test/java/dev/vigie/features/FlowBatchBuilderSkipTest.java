package dev.vigie.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vigie.flow.EndReason;
import dev.vigie.flow.Flow;
import dev.vigie.schema.Column;
import dev.vigie.schema.Columns;
import dev.vigie.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** Skipped column ranges read back as nulls, across batches, for every vector type, around written rows. */
class FlowBatchBuilderSkipTest {

    @Test
    void skippedRowsAreNullAndWrittenRowsIntact() {
        check(false);
    }

    /**
     * The same when the consumer takes the batch's buffers and leaves fresh ones, as the sensor's file writer does:
     * the builder then skips its own reset, and the next batch must still start from null cells.
     */
    @Test
    void skippedRowsAreNullWhenTheConsumerTakesTheBuffers() {
        check(true);
    }

    private static void check(boolean takeBuffers) {
        List<Column<FlowRow>> cols = List.of(
                Columns.int32("always", "count", "Always written.", r -> 7),
                Columns.utf8("s", "text", "A string.", r -> "v" + value(r)),
                Columns.int32OrNull("i", "count", "An int.", r -> value(r)),
                Columns.int64("l", "count", "A long.", r -> value(r) * 10L),
                Columns.bool("b", "flag", "A bool.", r -> value(r) % 2 == 0),
                Columns.timestampNanos("t", "A time.", r -> value(r) * 1000L),
                Columns.utf8("after", "text", "After the range.", r -> "x"));
        TableSchema<FlowRow> schema = new TableSchema<>("test", cols);
        List<List<Object>> seen = new ArrayList<>();
        try (RootAllocator allocator = new RootAllocator();
             FlowBatchBuilder b = new FlowBatchBuilder(schema, allocator, 4, root -> {
                 for (int row = 0; row < root.getRowCount(); row++) {
                     List<Object> values = new ArrayList<>();
                     for (FieldVector v : root.getFieldVectors()) {
                         Object o = v.getObject(row);
                         values.add(o == null ? null : o.toString());
                     }
                     seen.add(values);
                 }
                 if (takeBuffers) {
                     try (VectorSchemaRoot out = VectorSchemaRoot.create(root.getSchema(), allocatorOf(root))) {
                         for (int c = 0; c < root.getFieldVectors().size(); c++) {
                             FieldVector v = root.getVector(c);
                             int capacity = v.getValueCapacity();
                             v.makeTransferPair(out.getVector(c)).transfer();
                             v.setInitialCapacity(capacity);
                             v.allocateNew();
                         }
                     }
                 }
             })) {
            b.skipWhenAbsent(1, 6, f -> f.attachment(0) != null);
            for (int i = 0; i < 11; i++) {
                Flow f = new Flow();
                if (i % 3 != 1) {
                    f.attach(0, i, 1);
                }
                b.flowEnded(f, EndReason.END_OF_INPUT);
            }
            b.flush();
        }
        assertEquals(11, seen.size());
        for (int i = 0; i < 11; i++) {
            List<Object> row = seen.get(i);
            assertEquals("7", row.get(0));
            assertEquals("x", row.get(6));
            if (i % 3 == 1) {
                for (int c = 1; c < 6; c++) {
                    assertNull(row.get(c), "row " + i + " column " + c);
                }
            } else {
                assertEquals("v" + i, row.get(1));
                assertEquals(String.valueOf(i), row.get(2));
                assertEquals(String.valueOf(i * 10L), row.get(3));
                assertEquals(String.valueOf(i % 2 == 0), row.get(4));
            }
        }
    }

    private static org.apache.arrow.memory.BufferAllocator allocatorOf(VectorSchemaRoot root) {
        return root.getVector(0).getAllocator();
    }

    private static int value(FlowRow r) {
        return (Integer) r.flow().attachment(0);
    }
}
