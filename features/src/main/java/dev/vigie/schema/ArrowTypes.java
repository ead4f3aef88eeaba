package dev.vigie.schema;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** The few Arrow types our schemas use, and their names in the docs. */
public final class ArrowTypes {
    public static final ArrowType INT32 = new ArrowType.Int(32, true);
    public static final ArrowType INT64 = new ArrowType.Int(64, true);
    public static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    public static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;
    public static final ArrowType BOOL = ArrowType.Bool.INSTANCE;
    public static final ArrowType TIMESTAMP_US_UTC = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

    private ArrowTypes() {}

    public static String describe(ArrowType t) {
        if (t instanceof ArrowType.Int i) {
            return (i.getIsSigned() ? "int" : "uint") + i.getBitWidth();
        }
        if (t instanceof ArrowType.FloatingPoint f) {
            return f.getPrecision() == FloatingPointPrecision.DOUBLE ? "float64" : "float32";
        }
        if (t instanceof ArrowType.Utf8) {
            return "utf8";
        }
        if (t instanceof ArrowType.Bool) {
            return "bool";
        }
        if (t instanceof ArrowType.Timestamp ts) {
            return "timestamp[" + (ts.getUnit() == TimeUnit.MICROSECOND ? "us" : ts.getUnit().name().toLowerCase())
                    + (ts.getTimezone() == null ? "" : ", " + ts.getTimezone()) + "]";
        }
        return t.toString();
    }
}
