package dev.vigie.schema;

import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.vector.FieldVector;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A table's row writer as generated code. Called from one shared call site, a column's value function is one of a
 * hundred and more classes: one megamorphic dispatch per cell, nothing inlined past it. The generated
 * {@code write} jumps, for each column of the range, to a method of that column's own ({@code cellK}), which
 * calls the column's value function and then its {@link Fill} kind's {@code put}: each value function is called
 * from a call site of its own, which only ever sees that function's class, so the JIT inlines it.
 *
 * <p>The class depends only on the columns' kinds, in order; the fillers are the instance's data. Every writer of
 * a schema (one per extractor, and the protocol and DLP columns are built per analyzer) shares one class, and the
 * JIT compiles it once per process.
 */
final class RowCells {
    private RowCells() {}

    /** What the generated class implements. */
    interface Writer {
        void write(FieldVector[] vectors, int from, int to, int row, Object source);
    }

    private static final String SELF = "dev/vigie/schema/RowCells$Generated";
    private static final String VECTOR = "org/apache/arrow/vector/FieldVector";
    private static final String CELL_DESC = "([L" + VECTOR + ";ILjava/lang/Object;[Ljava/lang/Object;)V";

    /** Generated classes by kind sequence. */
    private static final Map<String, Class<?>> CLASSES = new ConcurrentHashMap<>();

    /** A writer for these fillers, in column order; {@code kinds[i]} is {@link Fill#kind} of {@code fillers[i]}. */
    static Writer of(Column.Filler<?>[] fillers, byte[] kinds) throws ReflectiveOperationException {
        String key = new String(kinds, java.nio.charset.StandardCharsets.ISO_8859_1);
        Class<?> c = CLASSES.get(key);
        if (c == null) {
            c = MethodHandles.lookup().defineHiddenClass(classBytes(kinds), true).lookupClass();
            Class<?> raced = CLASSES.putIfAbsent(key, c);
            c = raced != null ? raced : c;
        }
        return (Writer) c.getDeclaredConstructor(Object[].class).newInstance((Object) fillers.clone());
    }

    /** How a simple kind's cell reads its value and puts it. */
    private record Simple(String fill, String getter, String iface, String method, String valueDesc, String cast) {
        String putDesc() {
            return "(L" + VECTOR + ";I" + valueDesc + ")V";
        }
    }

    private static Simple simple(byte kind) {
        String tlf = "java/util/function/ToLongFunction";
        String tif = "java/util/function/ToIntFunction";
        String fn = "java/util/function/Function";
        return switch (kind) {
            case Fill.INT64 -> new Simple("Int64", "value", tlf, "applyAsLong", "J", null);
            case Fill.INT64_OR_NULL -> new Simple("Int64OrNull", "value", tlf, "applyAsLong", "J", null);
            case Fill.TIMESTAMP -> new Simple("Timestamp", "nanos", tlf, "applyAsLong", "J", null);
            case Fill.TIMESTAMP_OR_NULL -> new Simple("TimestampOrNull", "nanos", tlf, "applyAsLong", "J", null);
            case Fill.INT32 -> new Simple("Int32", "value", tif, "applyAsInt", "I", null);
            case Fill.INT32_OR_NULL -> new Simple("Int32OrNull", "value", tif, "applyAsInt", "I", null);
            case Fill.FLOAT64 -> new Simple("Float64", "value", "java/util/function/ToDoubleFunction", "applyAsDouble",
                    "D", null);
            case Fill.BOOL -> new Simple("Bool", "value", "java/util/function/Predicate", "test", "Z", null);
            case Fill.UTF8 -> new Simple("Utf8", "value", fn, "apply", "Ljava/lang/String;", "java/lang/String");
            case Fill.UTF8_BYTES -> new Simple("Utf8Bytes", "value", fn, "apply", "[B", "[B");
            case Fill.LABEL -> new Simple("Label", "value", fn, "apply", "Ljava/lang/String;", "java/lang/String");
            default -> null;
        };
    }

    static byte[] classBytes(byte[] kinds) {
        int columns = kinds.length;
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, SELF, null, "java/lang/Object",
                new String[] {"dev/vigie/schema/RowCells$Writer"});
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "fillers", "[Ljava/lang/Object;", null, null).visitEnd();

        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "([Ljava/lang/Object;)V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitVarInsn(Opcodes.ALOAD, 1);
        init.visitFieldInsn(Opcodes.PUTFIELD, SELF, "fillers", "[Ljava/lang/Object;");
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        // write(vectors, from, to, row, source): for (i = from; i < to; i++) switch (i) { case k -> cellK(...) }
        // locals: 0 this, 1 vectors, 2 from, 3 to, 4 row, 5 source, 6 fillers, 7 i
        MethodVisitor w = cw.visitMethod(Opcodes.ACC_PUBLIC, "write", "([L" + VECTOR + ";IIILjava/lang/Object;)V",
                null, null);
        w.visitCode();
        w.visitVarInsn(Opcodes.ALOAD, 0);
        w.visitFieldInsn(Opcodes.GETFIELD, SELF, "fillers", "[Ljava/lang/Object;");
        w.visitVarInsn(Opcodes.ASTORE, 6);
        Label loop = new Label();
        Label next = new Label();
        Label end = new Label();
        w.visitVarInsn(Opcodes.ILOAD, 2);
        w.visitVarInsn(Opcodes.ISTORE, 7);
        w.visitLabel(loop);
        w.visitVarInsn(Opcodes.ILOAD, 7);
        w.visitVarInsn(Opcodes.ILOAD, 3);
        w.visitJumpInsn(Opcodes.IF_ICMPGE, end);
        if (columns > 0) {
            Label[] cases = new Label[columns];
            for (int k = 0; k < columns; k++) {
                cases[k] = new Label();
            }
            w.visitVarInsn(Opcodes.ILOAD, 7);
            w.visitTableSwitchInsn(0, columns - 1, next, cases);
            for (int k = 0; k < columns; k++) {
                w.visitLabel(cases[k]);
                w.visitVarInsn(Opcodes.ALOAD, 1);
                w.visitVarInsn(Opcodes.ILOAD, 4);
                w.visitVarInsn(Opcodes.ALOAD, 5);
                w.visitVarInsn(Opcodes.ALOAD, 6);
                w.visitMethodInsn(Opcodes.INVOKESTATIC, SELF, "cell" + k, CELL_DESC, false);
                w.visitJumpInsn(Opcodes.GOTO, next);
            }
        }
        w.visitLabel(next);
        w.visitIincInsn(7, 1);
        w.visitJumpInsn(Opcodes.GOTO, loop);
        w.visitLabel(end);
        w.visitInsn(Opcodes.RETURN);
        w.visitMaxs(0, 0);
        w.visitEnd();

        for (int k = 0; k < columns; k++) {
            // cellK(vectors, row, source, fillers); locals: 0 vectors, 1 row, 2 source, 3 fillers, 4 filler, 5 buffer
            MethodVisitor c = cw.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, "cell" + k, CELL_DESC, null,
                    null);
            c.visitCode();
            c.visitVarInsn(Opcodes.ALOAD, 3);
            c.visitLdcInsn(k);
            c.visitInsn(Opcodes.AALOAD);
            c.visitVarInsn(Opcodes.ASTORE, 4);
            Simple s = simple(kinds[k]);
            if (s != null) {
                // filler.put(vectors[k], row, filler.getter().method(source))
                String fill = "dev/vigie/schema/Fill$" + s.fill();
                loadFiller(c, fill);
                loadVector(c, k);
                loadFiller(c, fill);
                c.visitMethodInsn(Opcodes.INVOKEVIRTUAL, fill, s.getter(), "()L" + s.iface() + ";", false);
                c.visitVarInsn(Opcodes.ALOAD, 2);
                c.visitMethodInsn(Opcodes.INVOKEINTERFACE, s.iface(), s.method(),
                        "(Ljava/lang/Object;)" + (s.cast() == null ? s.valueDesc() : "Ljava/lang/Object;"), true);
                if (s.cast() != null) {
                    c.visitTypeInsn(Opcodes.CHECKCAST, s.cast());
                }
                c.visitMethodInsn(Opcodes.INVOKEVIRTUAL, fill, "put", s.putDesc(), false);
            } else if (kinds[k] == Fill.BOOL_OR_NULL) {
                // filler.known().test(source) ? filler.put(v, row, filler.value().test(source)) : filler.putNull(v, row)
                String fill = "dev/vigie/schema/Fill$BoolOrNull";
                String pred = "java/util/function/Predicate";
                Label unknown = new Label();
                Label done = new Label();
                loadFiller(c, fill);
                c.visitMethodInsn(Opcodes.INVOKEVIRTUAL, fill, "known", "()L" + pred + ";", false);
                c.visitVarInsn(Opcodes.ALOAD, 2);
                c.visitMethodInsn(Opcodes.INVOKEINTERFACE, pred, "test", "(Ljava/lang/Object;)Z", true);
                c.visitJumpInsn(Opcodes.IFEQ, unknown);
                loadFiller(c, fill);
                loadVector(c, k);
                loadFiller(c, fill);
                c.visitMethodInsn(Opcodes.INVOKEVIRTUAL, fill, "value", "()L" + pred + ";", false);
                c.visitVarInsn(Opcodes.ALOAD, 2);
                c.visitMethodInsn(Opcodes.INVOKEINTERFACE, pred, "test", "(Ljava/lang/Object;)Z", true);
                c.visitMethodInsn(Opcodes.INVOKEVIRTUAL, fill, "put", "(L" + VECTOR + ";IZ)V", false);
                c.visitJumpInsn(Opcodes.GOTO, done);
                c.visitLabel(unknown);
                loadFiller(c, fill);
                loadVector(c, k);
                c.visitMethodInsn(Opcodes.INVOKEVIRTUAL, fill, "putNull", "(L" + VECTOR + ";I)V", false);
                c.visitLabel(done);
            } else if (kinds[k] == Fill.TEXT) {
                // buffer = filler.begin(); filler.put(v, row, buffer, filler.writer().write(source, buffer))
                String fill = "dev/vigie/schema/Fill$Text";
                String buffer = "dev/vigie/schema/TextBuffer";
                String writer = "dev/vigie/schema/Columns$TextWriter";
                loadFiller(c, fill);
                c.visitMethodInsn(Opcodes.INVOKEVIRTUAL, fill, "begin", "()L" + buffer + ";", false);
                c.visitVarInsn(Opcodes.ASTORE, 5);
                loadFiller(c, fill);
                loadVector(c, k);
                c.visitVarInsn(Opcodes.ALOAD, 5);
                loadFiller(c, fill);
                c.visitMethodInsn(Opcodes.INVOKEVIRTUAL, fill, "writer", "()L" + writer + ";", false);
                c.visitVarInsn(Opcodes.ALOAD, 2);
                c.visitVarInsn(Opcodes.ALOAD, 5);
                c.visitMethodInsn(Opcodes.INVOKEINTERFACE, writer, "write", "(Ljava/lang/Object;L" + buffer + ";)Z",
                        true);
                c.visitMethodInsn(Opcodes.INVOKEVIRTUAL, fill, "put", "(L" + VECTOR + ";IL" + buffer + ";Z)V", false);
            } else {
                // a filler of its own: filler.fill(vectors[k], row, source), from this call site only
                String filler = "dev/vigie/schema/Column$Filler";
                loadFiller(c, filler);
                loadVector(c, k);
                c.visitVarInsn(Opcodes.ALOAD, 2);
                c.visitMethodInsn(Opcodes.INVOKEINTERFACE, filler, "fill",
                        "(L" + VECTOR + ";ILjava/lang/Object;)V", true);
            }
            c.visitInsn(Opcodes.RETURN);
            c.visitMaxs(0, 0);
            c.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void loadFiller(MethodVisitor c, String type) {
        c.visitVarInsn(Opcodes.ALOAD, 4);
        c.visitTypeInsn(Opcodes.CHECKCAST, type);
    }

    /** vectors[k], row */
    private static void loadVector(MethodVisitor c, int k) {
        c.visitVarInsn(Opcodes.ALOAD, 0);
        c.visitLdcInsn(k);
        c.visitInsn(Opcodes.AALOAD);
        c.visitVarInsn(Opcodes.ILOAD, 1);
    }
}
