package dev.vigie.sensor;

import dev.vigie.rules.lists.IpSet;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
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
 * The SOC's suppression list (docs/suppressions.md): how false positives are tuned away during the calibration
 * period, each with a reason and an expiry so that nothing stays hidden forever by accident. Parsed from YAML with
 * SnakeYAML's node API (no object construction from tags); every error names the file, the line and the problem.
 */
public final class Suppressions {
    static final long MAX_FILE_BYTES = 1 << 20;
    private static final Set<String> KEYS = Set.of("id", "rule", "host", "cidr", "expires", "reason", "who");

    /**
     * One suppression: an alert matches when every given criterion holds.
     *
     * @param rule    rule or model id, exact or a glob with {@code *} (e.g. {@code vigie.profile.*}); null = any
     * @param host    address equal to the alert's source or destination; null = any
     * @param cidr    block containing the alert's source or destination; null = any
     * @param expires the entry stops applying at this instant
     */
    public record Entry(String id, String rule, String host, String cidr, Instant expires, String reason, String who,
                        int line, Pattern rulePattern, IpSet block) {
        public boolean active(Instant now) {
            return now.isBefore(expires);
        }

        public boolean matches(String ruleId, String src, String dest) {
            if (rulePattern != null && !rulePattern.matcher(ruleId).matches()) {
                return false;
            }
            if (host != null && !host.equals(src) && !host.equals(dest)) {
                return false;
            }
            return block == null || (src != null && !src.isEmpty() && block.contains(src))
                    || (dest != null && !dest.isEmpty() && block.contains(dest));
        }
    }

    /** A file that cannot be used: the first problem, with its line. */
    public static final class InvalidFile extends Exception {
        public InvalidFile(Path file, int line, String problem) {
            super(file + ":" + line + ": " + problem);
        }
    }

    private Suppressions() {}

    public static List<Entry> load(Path file) throws InvalidFile {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new InvalidFile(file, 1, "file is larger than " + MAX_FILE_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidFile(file, 1, "cannot read: " + e.getMessage());
        }
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(10);
        opts.setNestingDepthLimit(10);
        opts.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(opts).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new InvalidFile(file, m == null ? 1 : m.getLine() + 1, "malformed YAML: "
                    + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage()));
        } catch (YAMLException | IllegalArgumentException | IllegalStateException | StackOverflowError e) {
            throw new InvalidFile(file, 1, "malformed YAML: " + oneLine(String.valueOf(e.getMessage())));
        }
        List<Entry> out = new ArrayList<>();
        if (root == null) {
            return out;
        }
        if (!(root instanceof MappingNode top)) {
            throw new InvalidFile(file, line(root), "expected a mapping with the key 'suppressions'");
        }
        Node list = null;
        for (NodeTuple t : top.getValue()) {
            String k = scalar(t.getKeyNode());
            if (!"suppressions".equals(k)) {
                throw new InvalidFile(file, line(t.getKeyNode()), "unknown key '" + k + "' (expected 'suppressions')");
            }
            list = t.getValueNode();
        }
        if (list == null) {
            return out;
        }
        if (!(list instanceof SequenceNode seq)) {
            throw new InvalidFile(file, line(list), "'suppressions' must be a list of entries");
        }
        for (Node n : seq.getValue()) {
            out.add(entry(file, n, out.size() + 1));
        }
        return out;
    }

    private static Entry entry(Path file, Node n, int index) throws InvalidFile {
        if (!(n instanceof MappingNode m)) {
            throw new InvalidFile(file, line(n), "an entry must be a mapping (rule, host, cidr, expires, reason, who)");
        }
        Map<String, String> f = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = scalar(t.getKeyNode());
            if (k == null || !KEYS.contains(k)) {
                throw new InvalidFile(file, line(t.getKeyNode()), "unknown key '" + k + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
            String v = scalar(t.getValueNode());
            if (v == null || v.isBlank()) {
                throw new InvalidFile(file, line(t.getValueNode()), "'" + k + "' must be a non-empty text");
            }
            f.put(k, v.strip());
            lines.put(k, line(t.getValueNode()));
        }
        int at = line(n);
        if (!f.containsKey("rule") && !f.containsKey("host") && !f.containsKey("cidr")) {
            throw new InvalidFile(file, at, "an entry needs at least one of rule, host, cidr (else it would hide everything)");
        }
        if (!f.containsKey("reason")) {
            throw new InvalidFile(file, at, "'reason' is required: say why these alerts are not wanted");
        }
        if (!f.containsKey("expires")) {
            throw new InvalidFile(file, at, "'expires' is required (an ISO-8601 instant such as 2027-01-31T00:00:00Z)");
        }
        Instant expires;
        try {
            expires = Instant.parse(f.get("expires"));
        } catch (DateTimeParseException e) {
            try {
                expires = java.time.LocalDate.parse(f.get("expires")).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new InvalidFile(file, lines.get("expires"), "'expires' is not an ISO-8601 date or instant: " + f.get("expires"));
            }
        }
        String host = f.get("host");
        if (host != null && (host.contains("/") || !new IpSet.Builder().add(host))) {
            throw new InvalidFile(file, lines.get("host"), "'host' is not an IP address: " + host);
        }
        IpSet block = null;
        String cidr = f.get("cidr");
        if (cidr != null) {
            IpSet.Builder b = new IpSet.Builder();
            if (!cidr.contains("/") || !b.add(cidr)) {
                throw new InvalidFile(file, lines.get("cidr"), "'cidr' is not an address block such as 10.0.0.0/8: " + cidr);
            }
            block = b.build();
        }
        String rule = f.get("rule");
        Pattern p = null;
        if (rule != null) {
            if (!rule.matches("[A-Za-z0-9._*-]+")) {
                throw new InvalidFile(file, lines.get("rule"), "'rule' must be a rule or model id, '*' as a wildcard: " + rule);
            }
            p = Pattern.compile(Pattern.quote(rule).replace("*", "\\E.*\\Q"));
        }
        String id = f.getOrDefault("id", "s" + index);
        return new Entry(id, rule, host, cidr, expires, f.get("reason"), f.get("who"), at, p, block);
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    private static int line(Node n) {
        return n == null || n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    private static String oneLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
