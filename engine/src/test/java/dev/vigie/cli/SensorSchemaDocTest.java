package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/schema/scores.md, health.md and assets.md are generated from the code; a change of columns must regenerate them. */
class SensorSchemaDocTest {
    @ParameterizedTest
    @ValueSource(strings = {"scores", "health", "assets"})
    void docMatchesTheCode(String table) throws Exception {
        Path doc = Path.of(System.getProperty("vigie.root", "..")).resolve("docs/schema/" + table + ".md");
        assertEquals(SchemaCommand.markdown(table), Files.readString(doc),
                "docs/schema/" + table + ".md is stale: run ./vigie schema " + table + " --markdown > docs/schema/" + table + ".md");
    }
}
