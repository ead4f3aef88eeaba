package dev.vigie.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.NullValue;
import dev.vigie.rules.lists.IpSet;
import dev.vigie.rules.lists.SiteZones;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 */
final class FastCondition {
    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int ERROR = 2;

    /** A compiled node. */
    interface Node {
        int eval(FlowValues v);
    }

    private final Node root;
    private final boolean exact;

    private FastCondition(Node root, boolean exact) {
        this.root = root;
        this.exact = exact;
    }

    int eval(FlowValues v) {
        return root.eval(v);
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
        try {
            CelExpr root = ast.getExpr();
            Node n = node(root, columns, fns);
            if (n != null) {
                return new FastCondition(n, true);
            }
            if (root.getKind() == CelExpr.ExprKind.Kind.CALL && root.call().function().equals("_&&_")) {
                List<Node> parts = new ArrayList<>();
                flatten(root, "_&&_", parts, columns, fns);
                parts.removeIf(java.util.Objects::isNull);
                if (!parts.isEmpty()) {
                    Node[] p = parts.toArray(new Node[0]);
                    return new FastCondition(v -> and(p, v), false);
                }
            }
            return null;
        } catch (RuntimeException e) {
            return null; // an unexpected shape: CEL handles it
        }
    }

    private static Node node(CelExpr e, Map<String, Integer> cols, RuleFunctions fns) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE) {
            int r = e.constant().booleanValue() ? TRUE : FALSE;
            return v -> r;
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) { // a bool column used as a condition
            Integer c = cols.get(e.ident().name());
            if (c == null) return null;
            int col = c;
            return v -> {
                Object x = v.get(col);
                return x instanceof Boolean b ? (b ? TRUE : FALSE) : ERROR;
            };
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL) return null;
        if (e.call().target().isPresent()) {
            return targetCall(e, cols, fns);
        }
        String fn = e.call().function();
        List<CelExpr> args = e.call().args();
        switch (fn) {
            case "_&&_", "_||_" -> {
                List<Node> parts = new ArrayList<>();
                flatten(e, fn, parts, cols, fns);
                if (parts.contains(null)) return null;
                Node[] p = parts.toArray(new Node[0]);
                return fn.equals("_&&_") ? v -> and(p, v) : v -> or(p, v);
            }
            case "!_" -> {
                Node a = node(args.get(0), cols, fns);
                if (a == null) return null;
                return v -> {
                    int r = a.eval(v);
                    return r == ERROR ? ERROR : 1 - r;
                };
            }
            case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_" -> {
                Node simple = compare(fn, args.get(0), args.get(1), cols);
                return simple != null ? simple : compareValues(fn, args.get(0), args.get(1), cols, fns);
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
                int col = c;
                return v -> {
                    Object x = v.get(col);
                    for (Object k : set) {
                        if (equal(x, k) == TRUE) return TRUE;
                    }
                    return FALSE;
                };
            }
            case "cidr_match" -> {
                AddressArg a = args.size() == 2 ? address(args.get(0), cols, fns) : null;
                if (a == null || !(constant(args.get(1)) instanceof String b)) return null;
                IpSet.Builder builder = new IpSet.Builder();
                builder.add(b); // an invalid block matches nothing, as in RuleFunctions
                IpSet set = builder.build();
                return addressTest(a, set::contains);
            }
            case "is_private", "is_internal", "is_external", "is_partner" -> {
                AddressArg a = args.size() == 1 ? address(args.get(0), cols, fns) : null;
                if (a == null) return null;
                SiteZones zz = fn.equals("is_private") ? SiteZones.DEFAULT : fns.zones();
                return addressTest(a, switch (fn) {
                    case "is_external" -> zz::isExternal;
                    case "is_partner" -> zz::isPartner;
                    default -> zz::isInternal;
                });
            }
            case "in_list" -> {
                AddressArg a = args.size() == 2 ? address(args.get(0), cols, fns) : null;
                if (a == null || !(constant(args.get(1)) instanceof String list)) return null;
                return addressTest(a, (hi, lo) -> fns.inList(hi, lo, list));
            }
            case "looks_random" -> {
                Value a = args.size() == 1 ? value(args.get(0), cols, fns) : null;
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
    private static AddressArg address(CelExpr e, Map<String, Integer> cols, RuleFunctions fns) {
        Integer c = column(e, cols);
        if (c != null) {
            int col = c;
            return (v, out) -> v.address(col, out);
        }
        Value a = value(e, cols, fns);
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

    /** {@code x.matches('constant')}: RE2, compiled once, search semantics as CEL's (and RuleFunctions'). */
    private static Node targetCall(CelExpr e, Map<String, Integer> cols, RuleFunctions fns) {
        if (!e.call().function().equals("matches") || e.call().args().size() != 1
                || !(constant(e.call().args().get(0)) instanceof String regex)) {
            return null;
        }
        Value a = value(e.call().target().get(), cols, fns);
        if (a == null) return null;
        com.google.re2j.Pattern pattern;
        try {
            pattern = com.google.re2j.Pattern.compile(regex);
        } catch (com.google.re2j.PatternSyntaxException bad) {
            return null;                                  // CEL reports it
        }
        return v -> {
            Object x = a.get(v);
            return x instanceof String t ? (pattern.matcher(t).find() ? TRUE : FALSE) : ERROR;
        };
    }

    /** A value expression: a column, a constant, {@code a + b}, {@code label(x, i)}, {@code zone(x)}. */
    interface Value {
        /** The value as FlowValues represents it, or {@link #ERR}. */
        Object get(FlowValues v);
    }

    /** A CEL evaluation error inside a value. */
    static final Object ERR = new Object();

    private static Value value(CelExpr e, Map<String, Integer> cols, RuleFunctions fns) {
        Integer c = column(e, cols);
        if (c != null) {
            int col = c;
            return v -> v.get(col);
        }
        Object k = constant(e);
        if (k != null) {
            return v -> k;
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL || e.call().target().isPresent()) return null;
        List<CelExpr> args = e.call().args();
        switch (e.call().function()) {
            case "_+_" -> {
                Value a = value(args.get(0), cols, fns);
                Value b = value(args.get(1), cols, fns);
                if (a == null || b == null) return null;
                return v -> add(a.get(v), b.get(v));
            }
            case "label" -> {
                Value a = args.size() == 2 ? value(args.get(0), cols, fns) : null;
                if (a == null || !(constant(args.get(1)) instanceof Long i)) return null;
                long index = i;
                return v -> {
                    Object x = a.get(v);
                    return x instanceof String s ? RuleFunctions.label(s, index) : x == NullValue.NULL_VALUE ? "" : ERR;
                };
            }
            case "zone" -> {
                AddressArg a = args.size() == 1 ? address(args.get(0), cols, fns) : null;
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
    private static Node compareValues(String fn, CelExpr left, CelExpr right, Map<String, Integer> cols, RuleFunctions fns) {
        Value a = value(left, cols, fns);
        Value b = value(right, cols, fns);
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
            default -> v -> {
                Object x = a.get(v), y = b.get(v);
                return x == ERR || y == ERR ? ERROR : order(fn, x, y);
            };
        };
    }

    private static void flatten(CelExpr e, String fn, List<Node> out, Map<String, Integer> cols, RuleFunctions fns) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals(fn) && e.call().target().isEmpty()) {
            for (CelExpr a : e.call().args()) flatten(a, fn, out, cols, fns);
        } else {
            out.add(node(e, cols, fns));
        }
    }

    private static int and(Node[] p, FlowValues v) {
        boolean error = false;
        for (Node n : p) {
            int r = n.eval(v);
            if (r == FALSE) return FALSE;
            if (r == ERROR) error = true;
        }
        return error ? ERROR : TRUE;
    }

    private static int or(Node[] p, FlowValues v) {
        boolean error = false;
        for (Node n : p) {
            int r = n.eval(v);
            if (r == TRUE) return TRUE;
            if (r == ERROR) error = true;
        }
        return error ? ERROR : FALSE;
    }

    private static Node compare(String fn, CelExpr left, CelExpr right, Map<String, Integer> cols) {
        Integer c = column(left, cols);
        Object k = constant(right);
        boolean flipped = false;
        if (c == null) { // constant on the left
            c = column(right, cols);
            k = constant(left);
            flipped = true;
        }
        if (c == null || k == null) return null;
        int col = c;
        Object konst = k;
        String op = flipped ? flip(fn) : fn;
        return switch (op) {
            case "_==_" -> v -> equal(v.get(col), konst);
            case "_!=_" -> v -> {
                int r = equal(v.get(col), konst);
                return r == ERROR ? ERROR : 1 - r;
            };
            default -> v -> order(op, v.get(col), konst);
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

    /** CEL ordering: numbers and strings; anything else (null included) is an error. */
    static int order(String op, Object a, Object b) {
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
            case "_<_" -> c < 0;
            case "_<=_" -> c <= 0;
            case "_>_" -> c > 0;
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
