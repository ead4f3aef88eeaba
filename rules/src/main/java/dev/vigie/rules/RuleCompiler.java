package dev.vigie.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import dev.vigie.features.FlowRow;
import dev.vigie.rules.lists.ListRegistry;
import dev.vigie.rules.lists.SiteZones;
import dev.vigie.schema.Column;
import dev.vigie.schema.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles validated rules against a flow schema and a list registry: every condition is parsed and type-checked
 * once, here, so a typo, a column this build does not have or a list that does not exist fails at load with the
 * file and line, never on the millionth flow.
 */
public final class RuleCompiler {
    /** Columns every alert reads for its EVE fields when the schema has them. */
    static final List<String> ALERT_COLUMNS = List.of("app_proto");

    static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(1000)
            .maxExpressionCodePointSize(16_384)
            .build();

    private RuleCompiler() {}

    /** {@code -Dvigie.rules.fast=false} runs every condition in CEL (to compare, or to rule the fast path out). */
    static final boolean FAST = !"false".equals(System.getProperty("vigie.rules.fast"));

    public static RuleSet compile(List<Rule> rules, TableSchema<FlowRow> schema, ListRegistry lists)
            throws RuleFileException {
        return compile(rules, schema, lists, SiteZones.DEFAULT);
    }

    /** With the site's zones (docs/site-config.md) for {@code zone()}, {@code is_internal()} and the like. */
    public static RuleSet compile(List<Rule> rules, TableSchema<FlowRow> schema, ListRegistry lists, SiteZones zones)
            throws RuleFileException {
        Map<String, Column<FlowRow>> columns = new HashMap<>();
        for (Column<FlowRow> c : schema.columns()) columns.put(c.name(), c);

        CelCompilerBuilder cb = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
                .setResultType(SimpleType.BOOL)
                .addFunctionDeclarations(RuleFunctions.declarations());
        for (Column<FlowRow> c : schema.columns()) {
            CelType t = FlowValues.celType(c);
            if (t != null) cb.addVar(c.name(), t);
        }
        CelCompiler compiler = cb.build();
        RuleFunctions functions = new RuleFunctions(lists, zones);
        CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS)
                .setStandardEnvironmentEnabled(false) // required to replace 'matches' (see RuleFunctions)
                .setStandardFunctions(CelStandardFunctions.newBuilder()
                        .excludeFunctions(CelStandardFunctions.StandardFunction.MATCHES).build())
                .addFunctionBindings(functions.bindings())
                .build();

        List<RuleError> errors = new ArrayList<>();
        List<RuleSet.Inactive> inactive = new ArrayList<>();
        Map<String, Rule> ids = new HashMap<>();
        Map<Integer, Rule> sids = new HashMap<>();
        record Pending(Rule rule, CelRuntime.Program program, CelAbstractSyntaxTree ast, Set<String> used) {}
        List<Pending> pending = new ArrayList<>();

        for (Rule r : rules) {
            Rule other = ids.putIfAbsent(r.id(), r);
            if (other != null) {
                errors.add(err(r, r.pos().line(), "rule id already used at " + other.pos()));
                continue;
            }
            Rule otherSid = sids.putIfAbsent(r.sid(), r);
            if (otherSid != null) {
                errors.add(err(r, r.pos().line(), "sid " + r.sid() + " already used by rule " + otherSid.id() + " at " + otherSid.pos()));
                continue;
            }
            if (!r.enabled()) {
                inactive.add(new RuleSet.Inactive(r, "disabled"));
                continue;
            }
            String missing = missingRequirement(r, columns, lists);
            if (missing != null) {
                inactive.add(new RuleSet.Inactive(r, missing));
                continue;
            }
            int before = errors.size();
            Set<String> used = new LinkedHashSet<>();
            CelRuntime.Program program = null;
            CelAbstractSyntaxTree ast = null;
            if (r.condition() != null) {
                CelAbstractSyntaxTree[] checked = new CelAbstractSyntaxTree[1];
                program = compileCondition(r, compiler, runtime, lists, used, errors, checked);
                ast = checked[0];
            }
            List<String> keys = new ArrayList<>();
            if (r.aggregate() != null) {
                keys.addAll(r.aggregate().by());
                if (r.aggregate().field() != null) keys.add(r.aggregate().field());
                if (r.aggregate().function() == Rule.Function.SUM && r.aggregate().field() != null
                        && columns.containsKey(r.aggregate().field())) {
                    CelType ft = FlowValues.celType(columns.get(r.aggregate().field()));
                    String n = ft == null ? "" : ft.name();
                    if (!n.contains("int") && !n.contains("double") && !n.contains("Int64") && !n.contains("Double")) {
                        errors.add(err(r, r.aggregate().pos().line(), "sum needs a numeric column; '"
                                + r.aggregate().field() + "' is " + columns.get(r.aggregate().field()).typeName()));
                    }
                }
                if (r.aggregate().function() == Rule.Function.DISTINCT
                        && r.aggregate().threshold() > RuleEngine.MAX_DISTINCT_PER_KEY) {
                    errors.add(err(r, r.aggregate().pos().line(), "a distinct threshold is at most "
                            + RuleEngine.MAX_DISTINCT_PER_KEY + " (values are held exactly up to the threshold)"));
                }
            }
            if (r.detector() != null) {
                if (r.detector().by().isEmpty()) errors.add(err(r, r.detector().pos().line(), "detector needs 'by'"));
                keys.addAll(r.detector().by());
                String bad = BeaconDetector.checkParams(r.detector().params());
                if (bad != null) errors.add(err(r, r.detector().pos().line(), bad));
            }
            if (r.suppress() != null) keys.addAll(r.suppress().by());
            keys.addAll(r.fields());
            for (String k : keys) {
                if (!columns.containsKey(k)) {
                    errors.add(err(r, r.pos().line(), "unknown column '" + k + "' (not in this build's flow schema)"));
                } else {
                    used.add(k);
                }
            }
            if (errors.size() == before) pending.add(new Pending(r, program, ast, used));
        }
        if (!errors.isEmpty()) throw new RuleFileException(errors);

        // One FlowValues for all rules: the union of the columns they read, plus those alerts report.
        Set<String> all = new LinkedHashSet<>();
        for (Pending p : pending) all.addAll(p.used());
        for (String c : ALERT_COLUMNS) if (columns.containsKey(c)) all.add(c);
        List<String> order = List.copyOf(all);
        Map<String, Integer> pos = new HashMap<>();
        for (int i = 0; i < order.size(); i++) pos.put(order.get(i), i);
        @SuppressWarnings("unchecked")
        Column.Reader<FlowRow>[] plain = new Column.Reader[order.size()];
        for (int i = 0; i < plain.length; i++) plain[i] = columns.get(order.get(i)).plainReader();
        List<CompiledRule> active = new ArrayList<>();
        for (Pending p : pending) {
            Rule r = p.rule();
            List<String> by = r.aggregate() != null ? r.aggregate().by() : r.detector() != null ? r.detector().by() : List.of();
            int field = r.aggregate() != null && r.aggregate().field() != null ? pos.get(r.aggregate().field()) : -1;
            FastCondition fast = p.ast() == null || !FAST ? null : FastCondition.of(p.ast(), pos, functions, plain);
            active.add(new CompiledRule(r, p.program(), indices(by, pos), field,
                    indices(r.suppress() == null ? List.of() : r.suppress().by(), pos), indices(r.fields(), pos), fast));
        }
        return new RuleSet(schema, lists, functions, List.copyOf(active), List.copyOf(inactive), order);
    }

    private static int[] indices(List<String> names, Map<String, Integer> pos) {
        int[] out = new int[names.size()];
        for (int i = 0; i < out.length; i++) out[i] = pos.get(names.get(i));
        return out;
    }

    private static String missingRequirement(Rule r, Map<String, Column<FlowRow>> columns, ListRegistry lists) {
        for (String c : r.requires().columns()) {
            if (!columns.containsKey(c)) return "needs column '" + c + "', which this build's flow schema lacks";
        }
        for (String l : r.requires().lists()) {
            if (!lists.has(l)) return "needs list '" + l + "', which is not loaded (--lists DIR with " + l + ".lst or .txt)";
        }
        return null;
    }

    private static CelRuntime.Program compileCondition(Rule r, CelCompiler compiler, CelRuntime runtime,
                                                       ListRegistry lists, Set<String> used, List<RuleError> errors,
                                                       CelAbstractSyntaxTree[] checked) {
        int base = r.conditionPos().line();
        CelValidationResult res;
        try {
            res = compiler.compile(r.condition(), r.conditionPos().file());
        } catch (RuntimeException | StackOverflowError e) {
            errors.add(err(r, base, "condition cannot be compiled: " + RuleLoader.oneLine(String.valueOf(e.getMessage()))));
            return null;
        }
        if (res.hasError()) {
            for (CelIssue i : res.getErrors()) {
                int l = i.getSourceLocation().getLine();
                String msg = i.getMessage();
                if (msg.startsWith("undeclared reference to '")) {
                    msg += " (not a column of this build's flow schema, nor a function)";
                }
                errors.add(err(r, base + Math.max(0, l - 1), "condition: " + RuleLoader.oneLine(msg)
                        + (i.getSourceLocation().getColumn() >= 0 ? " (column " + (i.getSourceLocation().getColumn() + 1) + ")" : "")));
            }
            return null;
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = res.getAst();
        } catch (Exception e) {
            errors.add(err(r, base, "condition: " + RuleLoader.oneLine(String.valueOf(e.getMessage()))));
            return null;
        }
        int before = errors.size();
        CelNavigableAst.fromAst(ast).getRoot().allNodes().forEach(n -> inspect(r, n, ast, lists, used, errors, base));
        if (errors.size() > before) return null;
        checked[0] = ast;
        try {
            return runtime.createProgram(ast);
        } catch (CelEvaluationException | RuntimeException e) {
            errors.add(err(r, base, "condition: " + RuleLoader.oneLine(String.valueOf(e.getMessage()))));
            return null;
        }
    }

    /** Collects the columns read; checks list names and regular expressions given as literals. */
    private static void inspect(Rule r, CelNavigableExpr n, CelAbstractSyntaxTree ast, ListRegistry lists,
                                Set<String> used, List<RuleError> errors, int base) {
        CelExpr e = n.expr();
        switch (e.getKind()) {
            case IDENT -> used.add(e.ident().name());
            case CALL -> {
                CelExpr.CelCall call = e.call();
                String fn = call.function();
                List<CelExpr> args = new ArrayList<>(call.args());
                call.target().ifPresent(t -> args.add(0, t));
                if ((fn.equals("in_list") || fn.equals("in_domains")) && args.size() == 2) {
                    String list = literal(args.get(1));
                    if (list == null) {
                        errors.add(err(r, line(ast, e, base), fn + ": the list name must be a string literal"));
                    } else if (!lists.has(list)) {
                        errors.add(err(r, line(ast, e, base), "unknown list '" + RuleLoader.oneLine(list)
                                + "' (loaded: " + lists.lists().keySet() + "); list it under requires.lists to make the rule optional"));
                    }
                } else if (fn.equals("matches") && args.size() == 2) {
                    String re = literal(args.get(1));
                    if (re != null) {
                        try {
                            Pattern.compile(re);
                        } catch (PatternSyntaxException ex) {
                            errors.add(err(r, line(ast, e, base), "bad regular expression: " + RuleLoader.oneLine(ex.getMessage())));
                        }
                    }
                } else if (fn.equals("cidr_match") && args.size() == 2) {
                    String c = literal(args.get(1));
                    if (c != null && !new dev.vigie.rules.lists.IpSet.Builder().add(c)) {
                        errors.add(err(r, line(ast, e, base), "cidr_match: '" + RuleLoader.oneLine(c) + "' is not an address block"));
                    }
                }
            }
            default -> { }
        }
    }

    private static String literal(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            return e.constant().stringValue();
        }
        return null;
    }

    private static int line(CelAbstractSyntaxTree ast, CelExpr e, int base) {
        Integer offset = ast.getSource().getPositionsMap().get(e.id());
        if (offset == null) return base;
        return ast.getSource().getOffsetLocation(offset).map(l -> base + Math.max(0, l.getLine() - 1)).orElse(base);
    }

    private static RuleError err(Rule r, int line, String msg) {
        return new RuleError(r.pos().file(), line, r.id(), msg);
    }
}
