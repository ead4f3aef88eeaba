package dev.vigie.rules;

import dev.cel.common.types.CelType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelVariableResolver;
import dev.vigie.features.FlowRow;
import dev.vigie.flow.EndReason;
import dev.vigie.flow.Flow;
import dev.vigie.rules.lists.IpAddresses;
import dev.vigie.schema.ArrowTypes;
import dev.vigie.schema.Column;
import dev.vigie.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The values of one flow record as rules see them, computed lazily: a column is read only when a rule reads it,
 * and at most once per flow, through the column's own reader (the value its filler writes), or for a column
 * without one by its filler into a one-row vector read back. Either way a rule sees exactly what
 * {@code vigie extract} writes, for base and analyzer columns alike, with no second definition of any column.
 *
 * <p>CEL types: int32/int64 are {@code int}, float64 {@code double}, utf8 {@code string}, bool {@code bool},
 * timestamp {@code google.protobuf.Timestamp}; every column may be null (nullable types).
 */
public final class FlowValues implements CelVariableResolver, AutoCloseable {

    private final TableSchema<FlowRow> schema;
    private final Map<String, Integer> index = new HashMap<>();
    private final Column<FlowRow>[] columns;
    private final FieldVector[] vectors;
    private final Object[] cache;
    private final long[] filledAt;
    private final boolean[] timestamp;      // per column, resolved once: ArrowType.equals costs on every read
    private final FlowRow row = new FlowRow();
    private long generation;
    private final int origCol;
    private final int respCol;

    @SuppressWarnings("unchecked")
    public FlowValues(TableSchema<FlowRow> schema, BufferAllocator allocator, List<String> used) {
        this.schema = schema;
        int n = used.size();
        this.columns = new Column[n];
        this.vectors = new FieldVector[n];
        this.cache = new Object[n];
        this.filledAt = new long[n];
        this.timestamp = new boolean[n];
        Map<String, Column<FlowRow>> byName = new HashMap<>();
        for (Column<FlowRow> c : schema.columns()) byName.put(c.name(), c);
        int i = 0;
        for (String name : used) {
            Column<FlowRow> c = byName.get(name);
            if (c == null) throw new IllegalArgumentException("no column " + name);
            index.put(name, i);
            columns[i] = c;
            timestamp[i] = c.type().equals(ArrowTypes.TIMESTAMP_US_UTC);
            if (c.reader() == null) {                    // read back from a one-row vector the filler writes
                vectors[i] = c.field().createVector(allocator);
                vectors[i].setInitialCapacity(1);
                vectors[i].allocateNew();
            }
            i++;
        }
        this.origCol = indexOf("orig_h");
        this.respCol = indexOf("resp_h");
    }

    /**
     * Column {@code i} as an address in {@link IpAddresses} form: 1 when {@code out} holds it, 0 when the value is
     * null or text that is not an address, -1 when it is not text. The flow's own addresses are taken as numbers,
     * not parsed back from their text: zone and CIDR tests read them on most flows.
     */
    public int address(int i, long[] out) {
        if (i == origCol || i == respCol) {
            Flow f = row.flow();
            if (i == origCol) IpAddresses.fromPacket(f.ipVersion(), f.origHi(), f.origLo(), out);
            else IpAddresses.fromPacket(f.ipVersion(), f.respHi(), f.respLo(), out);
            return 1;
        }
        return address(get(i), out);
    }

    /** Column {@code i} is the flow's own originator or responder address (read as numbers by {@link #address}). */
    boolean isFlowAddress(int i) {
        return i == origCol || i == respCol;
    }

    /** A value as FlowValues represents it, read as an address the same way (1, 0 or -1). */
    static int address(Object x, long[] out) {
        if (x instanceof String s) return IpAddresses.parse(s, out) ? 1 : 0;
        return x == NullValue.NULL_VALUE ? 0 : -1;
    }

    /** The CEL type of a schema column, or null when rules cannot use its type. */
    public static CelType celType(Column<?> c) {
        ArrowType t = c.type();
        CelType base;
        if (t.equals(ArrowTypes.INT64) || t.equals(ArrowTypes.INT32)) base = SimpleType.INT;
        else if (t.equals(ArrowTypes.FLOAT64)) base = SimpleType.DOUBLE;
        else if (t.equals(ArrowTypes.UTF8)) base = SimpleType.STRING;
        else if (t.equals(ArrowTypes.BOOL)) base = SimpleType.BOOL;
        else if (t.equals(ArrowTypes.TIMESTAMP_US_UTC)) return SimpleType.TIMESTAMP;
        else return null;
        return NullableType.create(base);
    }

    public TableSchema<FlowRow> schema() {
        return schema;
    }

    /** Starts a new flow: every cached value is stale. */
    public void set(Flow flow, EndReason reason) {
        row.set(flow, reason);
        generation++;
    }

    public FlowRow row() {
        return row;
    }

    public int indexOf(String column) {
        Integer i = index.get(column);
        return i == null ? -1 : i;
    }

    @Override
    public Optional<Object> find(String name) {
        Integer i = index.get(name);
        return i == null ? Optional.empty() : Optional.of(get(i));
    }

    /** The value of column {@code i} (its position in {@code used}); NullValue.NULL_VALUE when null. */
    public Object get(int i) {
        if (filledAt[i] != generation) {
            cache[i] = read(i);
            filledAt[i] = generation;
        }
        return cache[i];
    }

    /** The value as text (for keys and evidence): null stays null. */
    public String text(int i) {
        Object v = get(i);
        if (v instanceof Long l && l >= 0 && l < SMALL.length) {
            int k = (int) (long) l;             // ports and small counts: keys and distinct values of most rules
            String t = SMALL[k];
            if (t == null) SMALL[k] = t = Long.toString(k);
            return t;
        }
        return v == NullValue.NULL_VALUE ? null : v.toString();
    }

    /** Text of 0..65535, made on first use (a benign race: every thread makes the same string). */
    private static final String[] SMALL = new String[65536];

    private Object read(int i) {
        Column.Reader<FlowRow> reader = columns[i].reader();
        if (reader != null) {
            Object x = reader.read(row);
            if (x == null) return NullValue.NULL_VALUE;
            if (timestamp[i]) {
                long us = (Long) x;
                return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
            }
            return x;
        }
        FieldVector v = vectors[i];
        columns[i].filler().fill(v, 0, row);
        if (v.isNull(0)) return NullValue.NULL_VALUE;
        if (v instanceof BigIntVector b) return b.get(0);
        if (v instanceof IntVector b) return (long) b.get(0);
        if (v instanceof Float8Vector b) return b.get(0);
        if (v instanceof BitVector b) return b.get(0) != 0;
        if (v instanceof VarCharVector b) return new String(b.get(0), StandardCharsets.UTF_8);
        if (v instanceof TimeStampMicroTZVector b) {
            long us = b.get(0);
            return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
        }
        return NullValue.NULL_VALUE;
    }

    @Override
    public void close() {
        for (FieldVector v : vectors) if (v != null) v.close();
    }
}
