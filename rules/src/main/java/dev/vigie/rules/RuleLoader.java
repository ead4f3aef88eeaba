package dev.vigie.rules;

import dev.vigie.rules.Rule.Aggregate;
import dev.vigie.rules.Rule.Detector;
import dev.vigie.rules.Rule.Mitre;
import dev.vigie.rules.Rule.Requires;
import dev.vigie.rules.Rule.SourcePos;
import dev.vigie.rules.Rule.Suppress;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads rule files into {@link Rule}s, checking their shape: known keys only, required keys present, values of
 * the right kind. Every problem becomes a {@link RuleError} with the file and line; the loader never throws on
 * bad input. Conditions are compiled later, against a schema ({@link RuleCompiler}).
 *
 * <p>Uses SnakeYAML's node API (compose), which builds no Java objects from tags: a rule file cannot instantiate
 * classes. Aliases, nesting depth and size are capped against "billion laughs" style files.
 */
public final class RuleLoader {
    /** Largest rule file read, in characters. */
    public static final int MAX_FILE_CHARS = 4 << 20;
    static final int MAX_THRESHOLD = 100_000;

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,127}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");
    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");
    private static final Pattern TACTIC = Pattern.compile("TA\\d{4}");

    private static final Set<String> TOP_KEYS = Set.of("rules");
    private static final Set<String> RULE_KEYS = Set.of("id", "sid", "rev", "name", "severity", "category", "mitre",
            "description", "condition", "aggregate", "detector", "suppress", "tags", "requires", "fields", "enabled");
    private static final Set<String> MITRE_KEYS = Set.of("tactic_id", "tactic_name", "technique_id", "technique_name");
    private static final Set<String> AGG_KEYS = Set.of("function", "field", "by", "window", "threshold");
    private static final Set<String> DET_KEYS = Set.of("type", "by", "params");
    private static final Set<String> SUP_KEYS = Set.of("by", "for");
    private static final Set<String> REQ_KEYS = Set.of("columns", "lists");
    public static final Set<String> DETECTORS = Set.of("beacon");

    /** The rules of one file and the problems found in it. */
    public record Result(List<Rule> rules, List<RuleError> errors) {}

    private final String file;
    private final List<RuleError> errors = new ArrayList<>();
    private String currentRule;

    private RuleLoader(String file) {
        this.file = file;
    }

    public static Result parse(String file, String text) {
        RuleLoader l = new RuleLoader(file);
        List<Rule> rules = l.parse(text);
        return new Result(rules, List.copyOf(l.errors));
    }

    private List<Rule> parse(String text) {
        List<Rule> rules = new ArrayList<>();
        if (text.length() > MAX_FILE_CHARS) {
            error(1, "file is larger than " + MAX_FILE_CHARS + " characters");
            return rules;
        }
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(20);
        opts.setNestingDepthLimit(20);
        opts.setCodePointLimit(MAX_FILE_CHARS);
        opts.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(opts).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            error(m == null ? 1 : m.getLine() + 1, "malformed YAML: " + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage()));
            return rules;
        } catch (YAMLException | IllegalArgumentException | IllegalStateException e) {
            error(1, "malformed YAML: " + oneLine(String.valueOf(e.getMessage())));
            return rules;
        } catch (StackOverflowError e) {
            error(1, "malformed YAML: nested too deeply");
            return rules;
        }
        if (root == null) {
            return rules; // empty file: no rules
        }
        Map<String, NodeTuple> top = mapping(root, TOP_KEYS, "the file");
        if (top == null) return rules;
        NodeTuple rt = top.get("rules");
        if (rt == null) {
            error(line(root), "missing key 'rules' (a list of rules)");
            return rules;
        }
        if (!(rt.getValueNode() instanceof SequenceNode seq)) {
            error(line(rt.getValueNode()), "'rules' must be a list");
            return rules;
        }
        Set<String> ids = new HashSet<>();
        for (Node n : seq.getValue()) {
            currentRule = null;
            Rule r = rule(n);
            if (r != null) {
                if (!ids.add(r.id())) {
                    error(r.pos().line(), "duplicate rule id in this file");
                } else {
                    rules.add(r);
                }
            }
        }
        return rules;
    }

    private Rule rule(Node n) {
        int before = errors.size();
        ruleLine = line(n);
        if (n instanceof MappingNode mn) { // name the rule in errors about its other keys
            for (NodeTuple t : mn.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("id") && t.getValueNode() instanceof ScalarNode v) {
                    currentRule = oneLine(v.getValue());
                }
            }
        }
        Map<String, NodeTuple> m = mapping(n, RULE_KEYS, "a rule");
        if (m == null) return null;
        String id = string(m, "id", true);
        if (id != null) {
            currentRule = id;
            if (!ID.matcher(id).matches()) {
                error(valueLine(m, "id"), "id must be lower case letters, digits, '_', '.', '-' (at most 128), got '" + oneLine(id) + "'");
            }
        }
        int sid = integer(m, "sid", true, 1, Integer.MAX_VALUE, 0);
        int rev = integer(m, "rev", false, 1, Integer.MAX_VALUE, 1);
        String name = string(m, "name", true);
        int severity = severity(m);
        String category = string(m, "category", true);
        String description = string(m, "description", true);
        Mitre mitre = mitre(m);
        String condition = string(m, "condition", false);
        SourcePos condPos = null;
        if (condition != null) {
            Node cn = m.get("condition").getValueNode();
            int l = line(cn);
            if (cn instanceof ScalarNode s && (s.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                    || s.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED)) {
                l++; // a block scalar's text starts on the line after the '|' or '>'
            }
            condPos = new SourcePos(file, l);
            if (condition.isBlank()) error(l, "condition is empty");
        }
        Aggregate agg = aggregate(m);
        Detector det = detector(m);
        if (condition == null && det == null) {
            error(line(n), "a rule needs a 'condition' (or a 'detector')");
        }
        if (agg != null && det != null) {
            error(valueLine(m, "detector"), "a rule has either 'aggregate' or 'detector', not both");
        }
        Suppress sup = suppress(m);
        List<String> tags = strings(m, "tags");
        List<String> fields = strings(m, "fields");
        Requires req = requires(m);
        boolean enabled = bool(m, "enabled", true);
        if (errors.size() > before) return null;
        return new Rule(id, sid, rev, name, severity, category, mitre, description, condition, condPos, agg, det,
                sup, tags, req, fields, enabled, new SourcePos(file, line(n)));
    }

    private int severity(Map<String, NodeTuple> m) {
        NodeTuple t = m.get("severity");
        if (t == null) {
            error(-1, "missing key 'severity' (high, medium, low, info or 1-4)");
            return 0;
        }
        String v = scalar(t.getValueNode(), "severity");
        if (v == null) return 0;
        switch (v.toLowerCase(Locale.ROOT)) {
            case "high", "1": return 1;
            case "medium", "2": return 2;
            case "low", "3": return 3;
            case "info", "4": return 4;
            default:
                error(line(t.getValueNode()), "severity must be high, medium, low, info or 1-4, got '" + oneLine(v) + "'");
                return 0;
        }
    }

    private Mitre mitre(Map<String, NodeTuple> m) {
        NodeTuple t = m.get("mitre");
        if (t == null) {
            error(-1, "missing key 'mitre' (technique_id, tactic_id, ...)");
            return null;
        }
        Map<String, NodeTuple> mm = mapping(t.getValueNode(), MITRE_KEYS, "'mitre'");
        if (mm == null) return null;
        List<String> techniques = strings(mm, "technique_id");
        List<String> tactics = strings(mm, "tactic_id");
        if (techniques.isEmpty()) error(line(t.getValueNode()), "mitre needs at least one technique_id (e.g. T1110.001)");
        for (String s : techniques) {
            if (!TECHNIQUE.matcher(s).matches()) error(valueLine(mm, "technique_id"), "'" + oneLine(s) + "' is not an ATT&CK technique id (Tnnnn or Tnnnn.nnn)");
        }
        for (String s : tactics) {
            if (!TACTIC.matcher(s).matches()) error(valueLine(mm, "tactic_id"), "'" + oneLine(s) + "' is not an ATT&CK tactic id (TAnnnn)");
        }
        return new Mitre(tactics, strings(mm, "tactic_name"), techniques, strings(mm, "technique_name"));
    }

    private Aggregate aggregate(Map<String, NodeTuple> m) {
        NodeTuple t = m.get("aggregate");
        if (t == null) return null;
        Map<String, NodeTuple> a = mapping(t.getValueNode(), AGG_KEYS, "'aggregate'");
        if (a == null) return null;
        String fn = string(a, "function", true);
        Rule.Function f = null;
        if ("count".equals(fn)) f = Rule.Function.COUNT;
        else if ("distinct".equals(fn)) f = Rule.Function.DISTINCT;
        else if ("sum".equals(fn)) f = Rule.Function.SUM;
        else if (fn != null) error(valueLine(a, "function"), "aggregate function must be count, sum or distinct, got '" + oneLine(fn) + "'");
        String field = string(a, "field", false);
        if ((f == Rule.Function.DISTINCT || f == Rule.Function.SUM) && field == null) error(line(t.getValueNode()), "a " + fn + " aggregate needs 'field'");
        if (f == Rule.Function.COUNT && field != null) error(valueLine(a, "field"), "a count aggregate takes no 'field'");
        List<String> by = strings(a, "by");
        if (by.isEmpty()) error(line(t.getValueNode()), "aggregate needs 'by' (one or more columns)");
        Duration window = duration(a, "window", true);
        int threshold = integer(a, "threshold", true, 1, MAX_THRESHOLD, 1);
        return new Aggregate(f, field, by, window, threshold, new SourcePos(file, line(t.getValueNode())));
    }

    private Detector detector(Map<String, NodeTuple> m) {
        NodeTuple t = m.get("detector");
        if (t == null) return null;
        Map<String, NodeTuple> d = mapping(t.getValueNode(), DET_KEYS, "'detector'");
        if (d == null) return null;
        String type = string(d, "type", true);
        if (type != null && !DETECTORS.contains(type)) error(valueLine(d, "type"), "unknown detector '" + oneLine(type) + "' (known: " + DETECTORS + ")");
        List<String> by = strings(d, "by");
        Map<String, Double> params = new LinkedHashMap<>();
        NodeTuple pt = d.get("params");
        if (pt != null) {
            Map<String, NodeTuple> p = mapping(pt.getValueNode(), null, "'params'");
            if (p != null) {
                for (var e : p.entrySet()) {
                    String v = scalar(e.getValue().getValueNode(), e.getKey());
                    if (v == null) continue;
                    try {
                        double x = Double.parseDouble(v);
                        if (!Double.isFinite(x)) throw new NumberFormatException();
                        params.put(e.getKey(), x);
                    } catch (NumberFormatException ex) {
                        error(line(e.getValue().getValueNode()), "parameter '" + e.getKey() + "' must be a number, got '" + oneLine(v) + "'");
                    }
                }
            }
        }
        return new Detector(type, by, Map.copyOf(params), new SourcePos(file, line(t.getValueNode())));
    }

    private Suppress suppress(Map<String, NodeTuple> m) {
        NodeTuple t = m.get("suppress");
        if (t == null) return null;
        Map<String, NodeTuple> s = mapping(t.getValueNode(), SUP_KEYS, "'suppress'");
        if (s == null) return null;
        List<String> by = strings(s, "by");
        if (by.isEmpty()) error(line(t.getValueNode()), "suppress needs 'by' (one or more columns)");
        return new Suppress(by, duration(s, "for", true));
    }

    private Requires requires(Map<String, NodeTuple> m) {
        NodeTuple t = m.get("requires");
        if (t == null) return Requires.NONE;
        Map<String, NodeTuple> r = mapping(t.getValueNode(), REQ_KEYS, "'requires'");
        if (r == null) return Requires.NONE;
        return new Requires(strings(r, "columns"), strings(r, "lists"));
    }

    // ---- typed accessors

    /** The keys of a mapping node, checking that each is allowed ({@code allowed} null: any). */
    private Map<String, NodeTuple> mapping(Node n, Set<String> allowed, String what) {
        if (!(n instanceof MappingNode mn)) {
            error(line(n), what + " must be a mapping (key: value)");
            return null;
        }
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : mn.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                error(line(t.getKeyNode()), "keys must be plain words");
                continue;
            }
            String key = k.getValue();
            if (allowed != null && !allowed.contains(key)) {
                error(line(k), "unknown key '" + oneLine(key) + "' in " + what + " (allowed: " + new java.util.TreeSet<>(allowed) + ")");
                continue;
            }
            if (out.put(key, t) != null) {
                error(line(k), "duplicate key '" + oneLine(key) + "'");
            }
        }
        return out;
    }

    private String scalar(Node n, String key) {
        if (n instanceof ScalarNode s) return s.getValue();
        error(line(n), "'" + key + "' must be a single value");
        return null;
    }

    private String string(Map<String, NodeTuple> m, String key, boolean required) {
        NodeTuple t = m.get(key);
        if (t == null) {
            if (required) error(-1, "missing key '" + key + "'");
            return null;
        }
        String v = scalar(t.getValueNode(), key);
        if (v != null && required && v.isBlank()) {
            error(line(t.getValueNode()), "'" + key + "' is empty");
        }
        return v;
    }

    private int integer(Map<String, NodeTuple> m, String key, boolean required, int min, int max, int dflt) {
        String v = string(m, key, required);
        if (v == null) return dflt;
        try {
            long x = Long.parseLong(v.trim());
            if (x < min || x > max) throw new NumberFormatException();
            return (int) x;
        } catch (NumberFormatException e) {
            error(valueLine(m, key), "'" + key + "' must be an integer from " + min + " to " + max + ", got '" + oneLine(v) + "'");
            return dflt;
        }
    }

    private boolean bool(Map<String, NodeTuple> m, String key, boolean dflt) {
        String v = string(m, key, false);
        if (v == null) return dflt;
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        error(valueLine(m, key), "'" + key + "' must be true or false");
        return dflt;
    }

    private Duration duration(Map<String, NodeTuple> m, String key, boolean required) {
        String v = string(m, key, required);
        if (v == null) return Duration.ZERO;
        Duration d = parseDuration(v);
        if (d == null || d.isZero()) {
            error(valueLine(m, key), "'" + key + "' must be a duration such as 500ms, 30s, 5m, 1h, 1d, got '" + oneLine(v) + "'");
            return Duration.ofSeconds(1);
        }
        return d;
    }

    static Duration parseDuration(String v) {
        Matcher mt = DURATION.matcher(v.trim());
        if (!mt.matches()) return null;
        long n = Long.parseLong(mt.group(1));
        return switch (mt.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A list of words, or one word. */
    private List<String> strings(Map<String, NodeTuple> m, String key) {
        NodeTuple t = m.get(key);
        if (t == null) return List.of();
        Node v = t.getValueNode();
        if (v instanceof ScalarNode s) return s.getValue().isEmpty() ? List.of() : List.of(s.getValue());
        if (v instanceof SequenceNode seq) {
            List<String> out = new ArrayList<>();
            for (Node x : seq.getValue()) {
                String s = scalar(x, key);
                if (s != null) out.add(s);
            }
            return List.copyOf(out);
        }
        error(line(v), "'" + key + "' must be a value or a list of values");
        return List.of();
    }

    private int valueLine(Map<String, NodeTuple> m, String key) {
        NodeTuple t = m.get(key);
        return t == null ? -1 : line(t.getValueNode());
    }

    private static int line(Node n) {
        return n == null || n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    private int ruleLine = 1;

    private void error(int line, String message) {
        errors.add(new RuleError(file, line < 0 ? ruleLine : line, currentRule, message));
    }

    static String oneLine(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? ' ' : c);
        }
        return sb.toString().strip();
    }
}
