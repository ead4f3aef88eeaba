package dev.vigie.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.features.FlowSchema;
import dev.vigie.rules.lists.ListRegistry;
import dev.vigie.rules.lists.NamedList;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RuleValidationTest {

    private static List<RuleError> errors(String yaml) {
        return TestRules.errors(yaml, ListRegistry.empty());
    }

    private static void assertError(List<RuleError> errors, int line, String fragment) {
        assertFalse(errors.isEmpty(), "expected an error containing '" + fragment + "'");
        RuleError e = errors.get(0);
        assertEquals("test.yaml", e.file());
        assertTrue(e.message().contains(fragment), e.toString());
        assertEquals(line, e.line(), e.toString());
    }

    @Test
    void malformedYamlNamesTheLine() {
        assertError(errors("rules:\n  - id: a\n    sid: [1\n    name: x\n"), 4, "malformed YAML");
    }

    @Test
    void unknownKeyNamesTheLineAndRule() {
        String y = "rules:\n" + TestRules.rule("x.a", 1, "    condition: orig_pkts > 1\n    colour: red\n");
        List<RuleError> e = errors(y);
        assertError(e, 10, "unknown key 'colour'");
        assertEquals("x.a", e.get(0).rule());
        assertTrue(e.get(0).toString().startsWith("test.yaml:10: rule x.a: "), e.get(0).toString());
    }

    @Test
    void badCelPointsIntoABlockCondition() {
        String y = "rules:\n" + TestRules.rule("x.a", 1, "    condition: |\n      orig_pkts > 1 &&\n        orig_pkts + 'x' > 2\n");
        assertError(errors(y), 11, "condition:");
    }

    @Test
    void unknownColumnIsAnErrorAtLoad() {
        String y = "rules:\n" + TestRules.rule("x.a", 1, "    condition: orig_pkts > 1\n\n    # typo next\n") .replace("orig_pkts > 1", "orig_pktz > 1");
        List<RuleError> e = errors(y);
        assertError(e, 9, "undeclared reference to 'orig_pktz'");
    }

    @Test
    void typeErrorIsAnErrorAtLoad() {
        assertError(errors("rules:\n" + TestRules.rule("x.a", 1, "    condition: orig_h > 3\n")), 9, "no matching overload");
    }

    @Test
    void unknownListIsAnErrorUnlessRequired() {
        String y = "rules:\n" + TestRules.rule("x.a", 1, "    condition: in_list(resp_h, 'nope')\n");
        assertError(errors(y), 9, "unknown list 'nope'");
        String optional = "rules:\n" + TestRules.rule("x.a", 1, "    requires: {lists: [nope]}\n    condition: in_list(resp_h, 'nope')\n");
        assertEquals(List.of(), errors(optional));
    }

    @Test
    void unknownColumnInAggregate() {
        String y = "rules:\n" + TestRules.rule("x.a", 1, "    condition: true\n    aggregate: {function: distinct, field: resp_port, by: [orig_h], window: 1m, threshold: 3}\n");
        assertError(errors(y), 2, "unknown column 'resp_port'");
    }

    @Test
    void missingKeysBadValuesAndDuplicates() {
        assertError(errors("rules:\n  - id: x.a\n    sid: 1\n"), 2, "missing key 'name'");
        assertError(errors("rules:\n" + TestRules.rule("x.a", 1, "    condition: true\n    suppress: {by: [orig_h], for: 10 minutes}\n")), 10, "duration");
        assertError(errors("rules:\n" + TestRules.rule("x.a", 1, "    condition: true\n").replace("severity: high", "severity: urgent")), 5, "severity");
        String dup = "rules:\n" + TestRules.rule("x.a", 1, "    condition: true\n") + TestRules.rule("x.a", 2, "    condition: true\n");
        assertError(errors(dup), 10, "duplicate rule id");
        String dupSid = "rules:\n" + TestRules.rule("x.a", 1, "    condition: true\n") + TestRules.rule("x.b", 1, "    condition: true\n");
        assertError(errors(dupSid), 10, "sid 1 already used");
        assertError(errors("rules:\n" + TestRules.rule("x.a", 1, "    condition: tls_sni.matches('(')\n")), 9, "");
        assertError(errors("rules:\n" + TestRules.rule("x.a", 1, "    condition: resp_h.matches('(')\n")), 9, "bad regular expression");
        assertError(errors("- a\n- b\n"), 1, "must be a mapping");
    }

    @Test
    void missingColumnInRequiresMakesTheRuleInactive() throws Exception {
        String y = "rules:\n" + TestRules.rule("x.a", 1, "    requires: {columns: [no_such_column]}\n    condition: no_such_column == 1\n");
        RuleSet s = TestRules.compile(y, ListRegistry.empty());
        assertEquals(0, s.active().size());
        assertTrue(s.inactive().get(0).reason().contains("no_such_column"));
    }

    @Test
    void builtinPackLoadsAndCompilesAgainstTheBaseSchema() throws Exception {
        RuleLoader.Result r = RuleSources.builtinPack();
        assertEquals(List.of(), r.errors());
        assertTrue(r.rules().size() >= 9, "rules: " + r.rules().size());
        for (Rule rule : r.rules()) {
            assertTrue(rule.sid() >= 9_000_001 && rule.sid() <= 9_000_999, rule.id());
        }
        NamedList tor = NamedList.read("tor-nodes", "t", new ByteArrayInputStream("1.2.3.4\n".getBytes(StandardCharsets.UTF_8)));
        NamedList exit = NamedList.read("tor-exit-nodes", "t", new ByteArrayInputStream("1.2.3.4\n".getBytes(StandardCharsets.UTF_8)));
        RuleSet s = RuleCompiler.compile(r.rules(), FlowSchema.base(), ListRegistry.of(tor, exit));
        List<String> active = s.active().stream().map(c -> c.rule().id()).toList();
        assertTrue(active.containsAll(List.of("vigie.tor.relay_connection", "vigie.tor.exit_inbound",
                "vigie.scan.vertical", "vigie.scan.horizontal", "vigie.beacon.periodic")), active.toString());
        // the SSH rule reads the SSH analyzer's columns: inactive (with its reason) on the base schema
        assertTrue(s.inactive().stream().anyMatch(i -> i.rule().id().equals("vigie.ssh.bruteforce")));
        // without lists the list rules are inactive, not errors
        RuleSet none = RuleCompiler.compile(r.rules(), FlowSchema.base(), ListRegistry.empty());
        assertTrue(none.inactive().stream().anyMatch(i -> i.rule().id().equals("vigie.tor.relay_connection")));
    }

    /** Hostile rule files: random bytes and mutated valid files never throw, they give errors. */
    @Test
    void hostileRuleFilesNeverThrow() throws Exception {
        String valid = new String(RuleSources.class.getClassLoader()
                .getResourceAsStream("dev/vigie/rules/builtin/scan.yaml").readAllBytes(), StandardCharsets.UTF_8);
        Random rnd = new Random(42);
        for (int i = 0; i < 150; i++) {
            char[] c = valid.toCharArray();
            int edits = 1 + rnd.nextInt(8);
            for (int k = 0; k < edits; k++) {
                int at = rnd.nextInt(c.length);
                c[at] = "{}[]:-&*!|>'\"%@`#\n \t\u0000\u00ffa9".charAt(rnd.nextInt(22));
            }
            TestRules.errors(new String(c), ListRegistry.empty());
            byte[] junk = new byte[rnd.nextInt(300)];
            rnd.nextBytes(junk);
            TestRules.errors(new String(junk, StandardCharsets.ISO_8859_1), ListRegistry.empty());
        }
        // alias bomb
        StringBuilder bomb = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (int i = 0; i < 12; i++) bomb.append((char) ('b' + i)).append(": &").append((char) ('b' + i)).append(" [*").append((char) ('a' + i)).append(",*").append((char) ('a' + i)).append("]\n");
        assertFalse(errors(bomb.toString()).isEmpty());
        assertFalse(errors("rules:\n" + "  - ".repeat(1) + "[".repeat(5000)).isEmpty());
    }
}
