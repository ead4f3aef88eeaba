package dev.vigie.rules;

import dev.vigie.alerts.Alert;
import dev.vigie.features.FlowSchema;
import dev.vigie.rules.lists.ListRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** Compiles YAML text against the base flow schema and runs it. */
final class TestRules {
    private TestRules() {}

    static RuleSet compile(String yaml, ListRegistry lists) throws RuleFileException {
        RuleLoader.Result r = RuleLoader.parse("test.yaml", yaml);
        if (!r.errors().isEmpty()) throw new RuleFileException(r.errors());
        return RuleCompiler.compile(r.rules(), FlowSchema.base(), lists);
    }

    static List<RuleError> errors(String yaml, ListRegistry lists) {
        RuleLoader.Result r = RuleLoader.parse("test.yaml", yaml);
        if (!r.errors().isEmpty()) return r.errors();
        try {
            RuleCompiler.compile(r.rules(), FlowSchema.base(), lists);
            return List.of();
        } catch (RuleFileException e) {
            return e.errors();
        }
    }

    /** An engine plus what it emitted. */
    static final class Run implements AutoCloseable {
        final BufferAllocator allocator = new RootAllocator();
        final List<Alert> alerts = new ArrayList<>();
        final RuleEngine engine;
        final Flows flows;

        Run(RuleSet set) {
            this(set, RuleEngine.Limits.DEFAULT);
        }

        Run(RuleSet set, RuleEngine.Limits limits) {
            engine = new RuleEngine(set, allocator, alerts::add, limits);
            flows = new Flows(engine);
        }

        @Override
        public void close() {
            engine.close();
            allocator.close();
        }
    }

    static String rule(String id, int sid, String body) {
        return "  - id: " + id + "\n    sid: " + sid + "\n    name: " + id + "\n    severity: high\n    category: test\n"
                + "    mitre: {technique_id: T1046, tactic_id: TA0043}\n    description: test rule\n" + body;
    }
}
