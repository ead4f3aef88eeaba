package dev.vigie.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.NullValue;
import dev.vigie.features.FlowRow;
import dev.vigie.rules.lists.IpSet;
import dev.vigie.rules.lists.SiteZones;
import dev.vigie.schema.Column;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * A rule condition compiled to plain Java, for the shapes rules use most (column compared with a constant, null
 * checks, {@code in} a constant list, {@code cidr_match} with a constant block, the site-zone tests
 * ({@code is_private}, {@code is_internal}, {@code is_external}, {@code is_partner}, {@code zone(x) == 'name'}),
 * joined by {@code && || !}), so that
 * the common case costs a few field reads instead of a CEL interpretation (which allocates and dispatches per node:
 * ~3 µs per rule and flow). A condition with anything else (regular expressions, lists, other functions) has no
 * fast form and runs in CEL as before.
 * <p>
 * Results follow CEL's semantics, errors included: evaluation is three-valued (true, false, error), {@code &&} and
 * {@code ||} absorb an error when the other side decides (CEL's commutative logic), ordering a null is an error,
 * equality between null and a value is false. {@code FastConditionTest} checks that every built-in rule gives the
 * same result both ways on every flow of real captures.
 *
 * <p>Why the nodes look the way they do: a tree of lambdas shares one class per shape, so a call from inside a
 * shared lambda sees every rule's operands (one megamorphic dispatch per node, nothing inlined past it). Here every
 * operand is a captured final field, never an array element ({@code &&} and {@code ||} are binary trees), numbers,
 * booleans and labels are read by their column's own reader ({@link Column#plainReader}) rather than through the
 * shared value cache, and each condition is a class of its own ({@link #generate}) whose leaves are constants. The
 * JIT trusts the final fields of lambda classes, so from a constant leaf it folds the operands and inlines the
 * leaf's reader and value function into the condition's compiled code.
 */
final class FastCondition {
    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int ERROR = 2;
    /**
     * A node's own result only, never a condition's: a bare bool column that is null. CEL does not absorb that one
     * in {@code &&} or {@code ||} (as it does an error): {@code null && false} and {@code null || true} are errors,
     * while {@code false && null} and {@code true || null} decide before reaching it. A whole condition that is
     * such a column gives the null itself: no match, and no error either.
     */
    static final int NOT_BOOL = 3;

    /** A compiled node. */
    interface Node {
        int eval(FlowValues v);
    }

    private final Node root;
    private final Node tree;
    private final boolean exact;

    /** {@code tree} as built, {@code root} the class generated from it (or the tree itself). */
    private FastCondition(Node tree, boolean exact) {
        this.tree = tree;
        this.root = generate(tree);
        this.exact = exact;
    }

    int eval(FlowValues v) {
        return result(root.eval(v));
    }

    /** A condition's result from its root node's: a bare null bool column is no match (see {@link #NOT_BOOL}). */
    private static int result(int root) {
        return root == NOT_BOOL ? FALSE : root;
    }

    /** The root node (for tests: the class {@link #generate} made). */
    Node root() {
        return root;
    }

    /** The condition evaluated through the tree it was generated from (for tests: both must agree). */
    int evalTree(FlowValues v) {
        return result(tree.eval(v));
    }

    /**
     * True when this is the whole condition; false for a prefilter: the conjuncts with a fast form of a top-level
     * {@code &&} whose other conjuncts need CEL. A prefilter's FALSE decides (false {@code &&} anything is false in
     * CEL, errors included); TRUE or ERROR leaves the decision to the CEL program.
     */
    boolean exact() {
        return exact;
    }

    /** The fast form of a checked condition, or its fast prefilter, or null when it has neither. */
    static FastCondition of(CelAbstractSyntaxTree ast, Map<String, Integer> columns) {
        return of(ast, columns, new RuleFunctions(dev.vigie.rules.lists.ListRegistry.empty(), SiteZones.DEFAULT));
    }

    /** The same, with the lists and site zones that {@code in_list()}, {@code zone()} and the like read. */
    static FastCondition of(CelAbstractSyntaxTree ast, Map<String, Integer> columns, RuleFunctions fns) {
        return of(ast, columns, fns, null);
    }

    /**
     * The same, where {@code plain[i]} is the {@link Column#plainReader} of the column at position {@code i} of
     * {@code columns} (null entries, or a null array: read through {@link FlowValues#get}).
     */
    static FastCondition of(CelAbstractSyntaxTree ast, Map<String, Integer> columns, RuleFunctions fns,
                            Column.Reader<FlowRow>[] plain) {
        try {
            CelExpr root = ast.getExpr();
            Node n = node(root, columns, fns, plain);
            if (n != null) {
                return new FastCondition(n, true);
            }
            if (root.getKind() == CelExpr.ExprKind.Kind.CALL && root.call().function().equals("_&&_")) {
                List<Node> parts = new ArrayList<>();
                flatten(root, "_&&_", parts, columns, fns, plain);
                parts.removeIf(java.util.Objects::isNull);
                if (!parts.isEmpty()) {
                    return new FastCondition(join(parts, 0, parts.size()), false);
                }
            }
            return null;
        } catch (RuntimeException e) {
            return null; // an unexpected shape: CEL handles it
        }
    }

    /** Generating the condition classes can be turned off to compare ({@code -Dvigie.rules.generate=false}). */
    static final boolean GENERATE = !"false".equals(System.getProperty("vigie.rules.generate"));

    /** {@code &&}, {@code ||} and {@code !} as nodes the generator can see through (and that evaluate by themselves). */
    record And(Node a, Node b) implements Node {
        @Override
        public int eval(FlowValues v) {
            return and(a, b, v);
        }
    }

    record Or(Node a, Node b) implements Node {
        @Override
        public int eval(FlowValues v) {
            return or(a, b, v);
        }
    }

    record Not(Node a) implements Node {
        @Override
        public int eval(FlowValues v) {
            return not(a.eval(v));
        }
    }

    /**
     * The condition as a hidden class of its own: every {@code &&}, {@code ||} and {@code !} a static method
     * calling its operands, every other node (a leaf: a comparison, a zone test...) in a static final field called
     * from a call site of its own. The JIT folds the constant leaves, whose operands are final fields of lambda
     * classes (trusted), and inlines each with its column reader and value function. A tree of {@link And} nodes
     * would not do: C2 inlines a method into itself only one level deep. Where the class cannot be defined, the
     * tree itself (the same results, through one dispatch per node).
     */
    static Node generate(Node root) {
        if (!GENERATE) return root;
        try {
            List<Node> leaves = new ArrayList<>();
            byte[] bytes = new ConditionClass(root, leaves).bytes();
            Class<?> c = MethodHandles.lookup().defineHiddenClassWithClassData(bytes, leaves.toArray(), true)
                    .lookupClass();
            return (Node) c.getDeclaredConstructor().newInstance();
        } catch (Throwable e) {
            return root;
        }
    }

    /** Writes the class of one condition (see {@link #generate}). */
    private static final class ConditionClass {
        private static final String SELF = "dev/vigie/rules/FastCondition$Condition";
        private static final String NODE = "dev/vigie/rules/FastCondition$Node";
        private static final String HELPERS = "dev/vigie/rules/FastCondition";
        private static final String EVAL = "(Ldev/vigie/rules/FlowValues;)I";

        private final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        private final List<Node> leaves;
        private int methods;

        ConditionClass(Node root, List<Node> leaves) {
            this.leaves = leaves;
            cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, SELF, null, "java/lang/Object",
                    new String[] {NODE});
            MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
            init.visitCode();
            init.visitVarInsn(Opcodes.ALOAD, 0);
            init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
            init.visitInsn(Opcodes.RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();
            MethodVisitor eval = cw.visitMethod(Opcodes.ACC_PUBLIC, "eval", EVAL, null, null);
            eval.visitCode();
            call(eval, root, 1);
            eval.visitInsn(Opcodes.IRETURN);
            eval.visitMaxs(0, 0);
            eval.visitEnd();
            // <clinit>: leaf k = (Node) classData[k]
            MethodVisitor clinit = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
            clinit.visitCode();
            String mh = "java/lang/invoke/MethodHandles";
            clinit.visitMethodInsn(Opcodes.INVOKESTATIC, mh, "lookup", "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
            clinit.visitLdcInsn("_");
            clinit.visitLdcInsn(Type.getType(Object[].class));
            clinit.visitMethodInsn(Opcodes.INVOKESTATIC, mh, "classData",
                    "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false);
            clinit.visitTypeInsn(Opcodes.CHECKCAST, "[Ljava/lang/Object;");
            clinit.visitVarInsn(Opcodes.ASTORE, 0);
            for (int k = 0; k < leaves.size(); k++) {
                cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "leaf" + k, "L" + NODE + ";",
                        null, null).visitEnd();
                clinit.visitVarInsn(Opcodes.ALOAD, 0);
                clinit.visitLdcInsn(k);
                clinit.visitInsn(Opcodes.AALOAD);
                clinit.visitTypeInsn(Opcodes.CHECKCAST, NODE);
                clinit.visitFieldInsn(Opcodes.PUTSTATIC, SELF, "leaf" + k, "L" + NODE + ";");
            }
            clinit.visitInsn(Opcodes.RETURN);
            clinit.visitMaxs(0, 0);
            clinit.visitEnd();
            cw.visitEnd();
        }

        byte[] bytes() {
            return cw.toByteArray();
        }

        /** Pushes {@code n}'s result; the FlowValues argument is local {@code v}. */
        private void call(MethodVisitor m, Node n, int v) {
            if (n instanceof And || n instanceof Or || n instanceof Not) {
                String name = method(n);
                m.visitVarInsn(Opcodes.ALOAD, v);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, SELF, name, EVAL, false);
            } else {
                int k = leaves.size();
                leaves.add(n);
                m.visitFieldInsn(Opcodes.GETSTATIC, SELF, "leaf" + k, "L" + NODE + ";");
                m.visitVarInsn(Opcodes.ALOAD, v);
                m.visitMethodInsn(Opcodes.INVOKEINTERFACE, NODE, "eval", EVAL, true);
            }
        }

        /**
         * A static method for an operator node: {@code x = a(v); r = first(x); if (r >= 0) return r;
         * return last(x, b(v));} for {@code &&} and {@code ||}, {@code return not(a(v));} for {@code !}.
         */
        private String method(Node n) {
            String name = "n" + methods++;
            MethodVisitor m = cw.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, name, EVAL, null, null);
            m.visitCode();
            if (n instanceof Not not) {
                call(m, not.a(), 0);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, HELPERS, "not", "(I)I", false);
                m.visitInsn(Opcodes.IRETURN);
            } else {
                boolean and = n instanceof And;
                Node a = and ? ((And) n).a() : ((Or) n).a();
                Node b = and ? ((And) n).b() : ((Or) n).b();
                String op = and ? "and" : "or";
                Label undecided = new Label();
                call(m, a, 0);
                m.visitVarInsn(Opcodes.ISTORE, 1);
                m.visitVarInsn(Opcodes.ILOAD, 1);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, HELPERS, op + "First", "(I)I", false);
                m.visitVarInsn(Opcodes.ISTORE, 2);
                m.visitVarInsn(Opcodes.ILOAD, 2);
                m.visitJumpInsn(Opcodes.IFLT, undecided);
                m.visitVarInsn(Opcodes.ILOAD, 2);
                m.visitInsn(Opcodes.IRETURN);
                m.visitLabel(undecided);
                m.visitVarInsn(Opcodes.ILOAD, 1);
                call(m, b, 0);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, HELPERS, op + "Last", "(II)I", false);
                m.visitInsn(Opcodes.IRETURN);
            }
            m.visitMaxs(0, 0);
            m.visitEnd();
            return name;
        }
    }

    /**
     * A prefilter's conjuncts {@code parts[from, to)} joined by {@code &&} as a balanced tree of two-operand
     * nodes, in their order, with no array for the JIT to read operands from. Not CEL's nesting (the conjuncts
     * without a fast form are gone), which a prefilter can afford: it decides only FALSE, when a conjunct is false,
     * and CEL then finds no match either (false, or an error when a null bool column nested before that conjunct
     * reaches the top, which {@link RuleEngine} counts; the prefilter does not).
     */
    private static Node join(List<Node> parts, int from, int to) {
        if (to - from == 1) return parts.get(from);
        int mid = (from + to) >>> 1;
        Node a = join(parts, from, mid);
        Node b = join(parts, mid, to);
        return new And(a, b);
    }

    /** CEL's {@code &&}: false decides from either side, an error only when nothing does; see {@link #NOT_BOOL}. */
    static int and(Node a, Node b, FlowValues v) {
        int x = a.eval(v);
        int r = andFirst(x);
        return r >= 0 ? r : andLast(x, b.eval(v));
    }

    /** The result of {@code x && ...} when {@code x} decides it, else -1. */
    static int andFirst(int x) {
        return x == FALSE ? FALSE : x == NOT_BOOL ? ERROR : -1;
    }

    /** The result of {@code x && y} when {@code x} did not decide it. */
    static int andLast(int x, int y) {
        return y == FALSE ? FALSE : x == ERROR || y >= ERROR ? ERROR : TRUE;
    }

    /** CEL's {@code ||}: true decides from either side, an error only when nothing does; see {@link #NOT_BOOL}. */
    static int or(Node a, Node b, FlowValues v) {
        int x = a.eval(v);
        int r = orFirst(x);
        return r >= 0 ? r : orLast(x, b.eval(v));
    }

    static int orFirst(int x) {
        return x == TRUE ? TRUE : x == NOT_BOOL ? ERROR : -1;
    }

    static int orLast(int x, int y) {
        return y == TRUE ? TRUE : x == ERROR || y >= ERROR ? ERROR : FALSE;
    }

    /** CEL's {@code !}: an error (a null bool included) stays an error. */
    static int not(int x) {
        return x >= ERROR ? ERROR : 1 - x;
    }

    /** Column {@code col} as a value: through its plain reader when it has one, else the per-flow cache. */
    private static Value column(int col, Column.Reader<FlowRow>[] plain) {
        Column.Reader<FlowRow> r = plain == null ? null : plain[col];
        if (r == null) return v -> v.get(col);
        return v -> {
            Object x = r.read(v.row());
            return x == null ? NullValue.NULL_VALUE : x;
        };
    }

    private static Node node(CelExpr e, Map<String, Integer> cols, RuleFunctions fns, Column.Reader<FlowRow>[] plain) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE) {
            int r = e.constant().booleanValue() ? TRUE : FALSE;
            return v -> r;
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) { // a bool column used as a condition
            Integer c = cols.get(e.ident().name());
            if (c == null) return null;
            Value a = column(c, plain);
            return v -> {
                Object x = a.get(v);
                return x instanceof Boolean b ? (b ? TRUE : FALSE) : x == NullValue.NULL_VALUE ? NOT_BOOL : ERROR;
            };
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL) return null;
        if (e.call().target().isPresent()) {
            return targetCall(e, cols, fns, plain);
        }
        String fn = e.call().function();
        List<CelExpr> args = e.call().args();
        switch (fn) {
            case "_&&_", "_||_" -> {
                // CEL's own nesting, two operands a node (its parser balances chains): where a null bool column
                // sits decides whether an error comes out (NOT_BOOL), so the tree is not reshaped
                if (args.size() != 2) return null;
                Node a = node(args.get(0), cols, fns, plain);
                Node b = node(args.get(1), cols, fns, plain);
                if (a == null || b == null) return null;
                return fn.equals("_&&_") ? new And(a, b) : new Or(a, b);
            }
            case "!_" -> {
                Node a = node(args.get(0), cols, fns, plain);
                if (a == null) return null;
                return new Not(a);
            }
            case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_" -> {
                Node simple = compare(fn, args.get(0), args.get(1), cols, plain);
                return simple != null ? simple : compareValues(fn, args.get(0), args.get(1), cols, fns, plain);
            }
            case "@in" -> {
                Integer c = column(args.get(0), cols);
                if (c == null || args.get(1).getKind() != CelExpr.ExprKind.Kind.LIST) return null;
                List<Object> values = new ArrayList<>();
                for (CelExpr x : args.get(1).list().elements()) {
                    Object k = constant(x);
                    if (k == null || k == NullValue.NULL_VALUE) return null;
                    values.add(k);
                }
                Object[] set = values.toArray();
                Value a = column(c, plain);
                return v -> {
                    Object x = a.get(v);
                    for (Object k : set) {
                        if (equal(x, k) == TRUE) return TRUE;
                    }
                    return FALSE;
                };
            }
            case "cidr_match" -> {
                AddressArg a = args.size() == 2 ? address(args.get(0), cols, fns, plain) : null;
                if (a == null || !(constant(args.get(1)) instanceof String b)) return null;
                IpSet.Builder builder = new IpSet.Builder();
                builder.add(b); // an invalid block matches nothing, as in RuleFunctions
                IpSet set = builder.build();
                return addressTest(a, set::contains);
            }
            case "is_private", "is_internal", "is_external", "is_partner" -> {
                AddressArg a = args.size() == 1 ? address(args.get(0), cols, fns, plain) : null;
                if (a == null) return null;
                SiteZones zz = fn.equals("is_private") ? SiteZones.DEFAULT : fns.zones();
                return addressTest(a, switch (fn) {
                    case "is_external" -> zz::isExternal;
                    case "is_partner" -> zz::isPartner;
                    default -> zz::isInternal;
                });
            }
            case "in_list" -> {
                AddressArg a = args.size() == 2 ? address(args.get(0), cols, fns, plain) : null;
                if (a == null || !(constant(args.get(1)) instanceof String list)) return null;
                return addressTest(a, (hi, lo) -> fns.inList(hi, lo, list));
            }
            case "looks_random" -> {
                Value a = args.size() == 1 ? value(args.get(0), cols, fns, plain) : null;
                if (a == null) return null;
                return v -> {
                    Object x = a.get(v);
                    if (x == ERR) return ERROR;
                    return x instanceof String t && RuleFunctions.looksRandom(t) ? TRUE : x instanceof String || x == NullValue.NULL_VALUE ? FALSE : ERROR;
                };
            }
            default -> {
                return null;
            }
        }
    }

    /** A test on a parsed address (a zone, a block, a list). */
    private interface AddressTest {
        boolean test(long hi, long lo);
    }

    /**
     * An address argument, read into {@code out} as {@link FlowValues#address(Object, long[])} does: 1 an address,
     * 0 null or text that is not one, -1 not text (a CEL error).
     */
    private interface AddressArg {
        int read(FlowValues v, long[] out);
    }

    /** The flow's own address columns are read as numbers; any other value expression is parsed. */
    private static AddressArg address(CelExpr e, Map<String, Integer> cols, RuleFunctions fns, Column.Reader<FlowRow>[] plain) {
        Integer c = column(e, cols);
        if (c != null) {
            int col = c;
            return (v, out) -> v.address(col, out);
        }
        Value a = value(e, cols, fns, plain);
        return a == null ? null : (v, out) -> FlowValues.address(a.get(v), out);
    }

    /** True when the argument is an address that passes; false for null or no address; an error for non-text. */
    private static Node addressTest(AddressArg a, AddressTest t) {
        long[] scratch = new long[2];
        return v -> {
            int r = a.read(v, scratch);
            return r < 0 ? ERROR : r == 1 && t.test(scratch[0], scratch[1]) ? TRUE : FALSE;
        };
    }

    /**
     * {@code x.matches('constant')}: RE2, compiled once, search semantics as CEL's (and RuleFunctions'), after the
     * literal every match contains when there is one ({@link RegexLiteral}).
     */
    private static Node targetCall(CelExpr e, Map<String, Integer> cols, RuleFunctions fns, Column.Reader<FlowRow>[] plain) {
        if (!e.call().function().equals("matches") || e.call().args().size() != 1
                || !(constant(e.call().args().get(0)) instanceof String regex)) {
            return null;
        }
        Value a = value(e.call().target().get(), cols, fns, plain);
        if (a == null) return null;
        com.google.re2j.Pattern pattern;
        try {
            pattern = com.google.re2j.Pattern.compile(regex);
        } catch (com.google.re2j.PatternSyntaxException bad) {
            return null;                                  // CEL reports it
        }
        RegexLiteral literal = RegexLiteral.of(regex);   // a constant of the leaf: the JIT drops the null test
        return v -> {
            Object x = a.get(v);
            if (!(x instanceof String t)) return ERROR;
            return (literal == null || literal.admits(t)) && pattern.matcher(t).find() ? TRUE : FALSE;
        };
    }

    /** A value expression: a column, a constant, {@code a + b}, {@code label(x, i)}, {@code zone(x)}. */
    interface Value {
        /** The value as FlowValues represents it, or {@link #ERR}. */
        Object get(FlowValues v);
    }

    /** A CEL evaluation error inside a value. */
    static final Object ERR = new Object();

    private static Value value(CelExpr e, Map<String, Integer> cols, RuleFunctions fns, Column.Reader<FlowRow>[] plain) {
        Integer c = column(e, cols);
        if (c != null) {
            return column(c, plain);
        }
        Object k = constant(e);
        if (k != null) {
            return v -> k;
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL || e.call().target().isPresent()) return null;
        List<CelExpr> args = e.call().args();
        switch (e.call().function()) {
            case "_+_" -> {
                Value a = value(args.get(0), cols, fns, plain);
                Value b = value(args.get(1), cols, fns, plain);
                if (a == null || b == null) return null;
                return v -> add(a.get(v), b.get(v));
            }
            case "label" -> {
                Value a = args.size() == 2 ? value(args.get(0), cols, fns, plain) : null;
                if (a == null || !(constant(args.get(1)) instanceof Long i)) return null;
                long index = i;
                return v -> {
                    Object x = a.get(v);
                    return x instanceof String s ? RuleFunctions.label(s, index) : x == NullValue.NULL_VALUE ? "" : ERR;
                };
            }
            case "zone" -> {
                AddressArg a = args.size() == 1 ? address(args.get(0), cols, fns, plain) : null;
                if (a == null) return null;
                long[] scratch = new long[2];
                SiteZones zones = fns.zones();
                return v -> {
                    int r = a.read(v, scratch);
                    return r < 0 ? ERR : r == 1 ? zones.zone(scratch[0], scratch[1]) : "";
                };
            }
            default -> {
                return null;
            }
        }
    }

    /** CEL's {@code +}: int + int (an overflow is an error), double + double, string + string; else an error. */
    static Object add(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            long r = x + y;
            return ((x ^ r) & (y ^ r)) < 0 ? ERR : (Object) r;
        }
        if (a instanceof Double x && b instanceof Double y) return x + y;
        if (a instanceof String x && b instanceof String y) return x + y;
        return ERR;
    }

    /** A comparison between value expressions (sums, functions, two columns). */
    private static Node compareValues(String fn, CelExpr left, CelExpr right, Map<String, Integer> cols, RuleFunctions fns, Column.Reader<FlowRow>[] plain) {
        Value a = value(left, cols, fns, plain);
        Value b = value(right, cols, fns, plain);
        if (a == null || b == null) return null;
        return switch (fn) {
            case "_==_" -> v -> {
                Object x = a.get(v), y = b.get(v);
                return x == ERR || y == ERR ? ERROR : equal(x, y);
            };
            case "_!=_" -> v -> {
                Object x = a.get(v), y = b.get(v);
                return x == ERR || y == ERR ? ERROR : 1 - equal(x, y);
            };
            default -> {
                int op = op(fn);
                yield v -> {
                    Object x = a.get(v), y = b.get(v);
                    return x == ERR || y == ERR ? ERROR : order(op, x, y);
                };
            }
        };
    }

    private static void flatten(CelExpr e, String fn, List<Node> out, Map<String, Integer> cols, RuleFunctions fns, Column.Reader<FlowRow>[] plain) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals(fn) && e.call().target().isEmpty()) {
            for (CelExpr a : e.call().args()) flatten(a, fn, out, cols, fns, plain);
        } else {
            out.add(node(e, cols, fns, plain));
        }
    }

    private static Node compare(String fn, CelExpr left, CelExpr right, Map<String, Integer> cols,
                                Column.Reader<FlowRow>[] plain) {
        Integer c = column(left, cols);
        Object k = constant(right);
        boolean flipped = false;
        if (c == null) { // constant on the left
            c = column(right, cols);
            k = constant(left);
            flipped = true;
        }
        if (c == null || k == null) return null;
        Value a = column(c, plain);
        Object konst = k;
        String op = flipped ? flip(fn) : fn;
        return switch (op) {
            case "_==_" -> v -> equal(a.get(v), konst);
            case "_!=_" -> v -> {
                int r = equal(a.get(v), konst);
                return r == ERROR ? ERROR : 1 - r;
            };
            case "_<_" -> v -> order(LT, a.get(v), konst);
            case "_<=_" -> v -> order(LE, a.get(v), konst);
            case "_>_" -> v -> order(GT, a.get(v), konst);
            default -> v -> order(GE, a.get(v), konst);
        };
    }

    private static String flip(String fn) {
        return switch (fn) {
            case "_<_" -> "_>_";
            case "_<=_" -> "_>=_";
            case "_>_" -> "_<_";
            case "_>=_" -> "_<=_";
            default -> fn;
        };
    }

    /** CEL equality: heterogeneous values are unequal, numbers compare by value, null equals only null. */
    static int equal(Object a, Object b) {
        if (a == NullValue.NULL_VALUE || b == NullValue.NULL_VALUE) return a == b ? TRUE : FALSE;
        if (a instanceof Number x && b instanceof Number y) {
            if (a instanceof Long l && b instanceof Long m) return l.longValue() == m.longValue() ? TRUE : FALSE;
            return x.doubleValue() == y.doubleValue() ? TRUE : FALSE;
        }
        return a.equals(b) ? TRUE : FALSE;
    }

    private static final int LT = 0, LE = 1, GT = 2, GE = 3;

    private static int op(String fn) {
        return switch (fn) {
            case "_<_" -> LT;
            case "_<=_" -> LE;
            case "_>_" -> GT;
            default -> GE;
        };
    }

    /** CEL ordering ({@code op}: LT, LE, GT, GE): numbers and strings; anything else (null included) is an error. */
    static int order(int op, Object a, Object b) {
        int c;
        if (a instanceof Long l && b instanceof Long m) {
            c = Long.compare(l, m);
        } else if (a instanceof Number x && b instanceof Number y) {
            double dx = x.doubleValue();
            double dy = y.doubleValue();
            if (Double.isNaN(dx) || Double.isNaN(dy)) return FALSE;
            c = Double.compare(dx, dy);
        } else if (a instanceof String s && b instanceof String t) {
            c = s.compareTo(t);
        } else {
            return ERROR;
        }
        boolean r = switch (op) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        };
        return r ? TRUE : FALSE;
    }

    private static Integer column(CelExpr e, Map<String, Integer> cols) {
        return e.getKind() == CelExpr.ExprKind.Kind.IDENT ? cols.get(e.ident().name()) : null;
    }

    /** A literal as FlowValues represents values (Long, Double, String, Boolean, NullValue), or null if not one. */
    private static Object constant(CelExpr e) {
        if (e.getKind() != CelExpr.ExprKind.Kind.CONSTANT) return null;
        CelConstant k = e.constant();
        return switch (k.getKind()) {
            case NULL_VALUE -> NullValue.NULL_VALUE;
            case BOOLEAN_VALUE -> k.booleanValue();
            case INT64_VALUE -> k.int64Value();
            case DOUBLE_VALUE -> k.doubleValue();
            case STRING_VALUE -> k.stringValue();
            default -> null;
        };
    }
}
