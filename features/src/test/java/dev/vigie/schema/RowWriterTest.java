package dev.vigie.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.junit.jupiter.api.Test;

/**
 * {@link RowWriter} writes cells through generated code ({@link RowCells}) or a switch on each filler's kind: the
 * vectors either fills must be those the fillers give through their interface, for every kind of {@link Columns}
 * (nulls and values, a column range left out) and for a filler defined elsewhere; every factory's filler must have
 * a kind, or it silently takes the slow path; and writers of the same kinds share one generated class.
 */
class RowWriterTest {
    /** A source whose every value is drawn from a seeded generator: some nulls, some values. */
    static final class Source {
        long l;
        int i;
        double d;
        boolean known;
        boolean b;
        String s;
    }

    static List<Column<Source>> columns() {
        List<Column<Source>> c = new ArrayList<>();
        c.add(Columns.int64("int64", "n", "x", r -> r.l));
        c.add(Columns.int32("int32", "n", "x", r -> r.i));
        c.add(Columns.int32OrNull("int32_or_null", "n", "x", r -> r.i));
        c.add(Columns.float64("float64", "n", "x", r -> r.d));
        c.add(Columns.bool("bool", "flag", "x", r -> r.b));
        c.add(Columns.boolOrNull("bool_or_null", "flag", "x", r -> r.known, r -> r.b));
        c.add(Columns.utf8("utf8", "text", "x", r -> r.s));
        c.add(Columns.utf8Bytes("utf8_bytes", "text", "x", r -> r.s == null ? null : r.s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        c.add(Columns.text("text", "text", "x", (r, out) -> {
            if (r.s == null) return false;
            byte[] b = r.s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.append(b, 0, b.length);
            return true;
        }));
        c.add(Columns.label("label", "enum", "x", r -> r.s == null ? null : r.s.substring(0, 1)));
        c.add(Columns.timestampNanos("ts", "x", r -> r.l));
        c.add(Columns.int64OrNull("int64_or_null", "n", "x", r -> r.known ? r.l : Long.MIN_VALUE));
        c.add(Columns.timestampOrNull("ts_or_null", "x", r -> r.known ? r.l : Long.MIN_VALUE));
        c.add(new Column<>("custom", ArrowTypes.INT32, "n", "x",
                (v, row, r) -> ((IntVector) v).setSafe(row, r.i * 3)));
        return c;
    }

    @Test
    void everyFactoryHasAKind() {
        List<Column<Source>> c = columns();
        for (Column<Source> col : c.subList(0, c.size() - 1)) {
            assertNotEquals(Fill.OTHER, Fill.kind(col.filler()), col.name());
        }
        assertEquals(Fill.OTHER, Fill.kind(c.get(c.size() - 1).filler()));
    }

    @Test
    void generatedCodeGivesTheFillersVectors() {
        List<Column<Source>> cols = columns();
        RowWriter<Source> writer = new RowWriter<>(cols, true);
        assertTrue(writer.generated(), "the generated writer was not built: the test would check the switch only");
        sameVectorsAsTheFillersThemselves(cols, writer);
    }

    @Test
    void switchGivesTheFillersVectors() {
        List<Column<Source>> cols = columns();
        RowWriter<Source> writer = new RowWriter<>(cols, false);
        assertFalse(writer.generated());
        sameVectorsAsTheFillersThemselves(cols, writer);
    }

    @Test
    void writersOfTheSameKindsShareOneClass() throws Exception {
        List<Column<Source>> a = columns();
        List<Column<Source>> b = columns();               // new fillers and value functions, same kinds
        Column.Filler<?>[] fa = a.stream().map(Column::filler).toArray(Column.Filler[]::new);
        Column.Filler<?>[] fb = b.stream().map(Column::filler).toArray(Column.Filler[]::new);
        byte[] kinds = new byte[fa.length];
        for (int i = 0; i < kinds.length; i++) kinds[i] = Fill.kind(fa[i]);
        assertSame(RowCells.of(fa, kinds).getClass(), RowCells.of(fb, kinds).getClass());
        byte[] fewer = java.util.Arrays.copyOf(kinds, 3);
        assertNotSame(RowCells.of(fa, kinds).getClass(),
                RowCells.of(java.util.Arrays.copyOf(fa, 3), fewer).getClass());
        new RowWriter<>(List.<Column<Source>>of(), true).write(new FieldVector[0], 0, 0, 0, new Source());
    }

    private static void sameVectorsAsTheFillersThemselves(List<Column<Source>> cols, RowWriter<Source> writer) {
        TableSchema<Source> schema = new TableSchema<>("t", cols);
        Random rnd = new Random(7);
        try (BufferAllocator a = new RootAllocator();
             org.apache.arrow.vector.VectorSchemaRoot direct = org.apache.arrow.vector.VectorSchemaRoot.create(schema.arrowSchema(), a);
             org.apache.arrow.vector.VectorSchemaRoot switched = org.apache.arrow.vector.VectorSchemaRoot.create(schema.arrowSchema(), a)) {
            direct.allocateNew();
            switched.allocateNew();
            FieldVector[] dv = direct.getFieldVectors().toArray(new FieldVector[0]);
            FieldVector[] sv = switched.getFieldVectors().toArray(new FieldVector[0]);
            int rows = 3000;                                 // past the default capacity: the vectors grow
            Source s = new Source();
            for (int r = 0; r < rows; r++) {
                s.l = rnd.nextLong();
                s.i = rnd.nextInt(3) == 0 ? -1 - rnd.nextInt(5) : rnd.nextInt(100000);
                s.d = rnd.nextInt(3) == 0 ? Double.NaN : rnd.nextGaussian();
                s.known = rnd.nextBoolean();
                s.b = rnd.nextBoolean();
                s.s = rnd.nextInt(3) == 0 ? null : "é" + Long.toString(rnd.nextLong(), 36);
                boolean skipRange = rnd.nextInt(4) == 0;     // columns 3..6 left unwritten, as an absent group
                for (int c = 0; c < dv.length; c++) {
                    if (!skipRange || c < 3 || c >= 7) {
                        cols.get(c).filler().fill(dv[c], r, s);
                    }
                }
                if (skipRange) {
                    writer.write(sv, 0, 3, r, s);
                    writer.write(sv, 7, sv.length, r, s);
                } else {
                    writer.write(sv, 0, sv.length, r, s);
                }
            }
            direct.setRowCount(rows);
            switched.setRowCount(rows);
            assertEquals(direct.contentToTSVString(), switched.contentToTSVString());
        }
    }
}
