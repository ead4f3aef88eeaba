package dev.vigie.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.protocols.ProtocolAnalyzers;
import dev.vigie.schema.Column;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FlowSchemaDocTest {

    static Path root() {
        return Path.of(System.getProperty("vigie.root", ".."));
    }

    @Test
    void committedDocsMatchTheCode() throws Exception {
        Path doc = root().resolve("docs/schema/flows.md");
        String expected = FlowSchemaDoc.render(ProtocolAnalyzers.standardSchema());
        if (Boolean.getBoolean("vigie.updateDocs")) {
            Files.writeString(doc, expected);
        }
        assertEquals(expected, Files.readString(doc),
                "docs/schema/flows.md is stale: run ./vigie schema flows --markdown > docs/schema/flows.md");
    }

    @Test
    void everyColumnHasUnitAndSentence() {
        for (Column<FlowRow> c : ProtocolAnalyzers.standardSchema().columns()) {
            assertFalse(c.unit().isBlank(), c.name());
            assertTrue(c.description().endsWith("."), "a sentence: " + c.name());
            assertTrue(c.name().matches("[a-z][a-z0-9_]*"), c.name());
        }
        assertTrue(FlowSchema.base().columns().size() >= 90, "size " + FlowSchema.base().columns().size());
    }

    @Test
    void hashIsStableAndChangesWithColumns() {
        assertEquals(64, FlowSchema.base().hash().length());
        assertFalse(FlowSchema.base().hash().equals(FlowSchema.with(java.util.List.of(
                dev.vigie.schema.Columns.int32("x", "count", "X.", r -> 0))).hash()));
    }
}
