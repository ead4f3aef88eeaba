package dev.vigie.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestCanonicalJsonTest {
    @TempDir
    Path tmp;

    private static String canonical(String json) throws Exception {
        return new String(CanonicalJson.toBytes(ManifestJson.MAPPER.readTree(json)), StandardCharsets.UTF_8);
    }

    @Test
    void rfc8785Example() throws Exception {
        String in = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n}";
        assertEquals("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}", canonical(in));
    }

    @Test
    void membersSortByUtf16CodeUnits() throws Exception {
        String in = "{\"\\u20ac\":\"Euro\",\"\\r\":\"CR\",\"\\ufb33\":\"Hebrew\",\"1\":\"One\","
                + "\"\\ud83d\\ude00\":\"Smiley\",\"\\u0080\":\"Control\",\"\\u00f6\":\"o\",\"b\":{\"z\":1,\"a\":[2,1]}}";
        assertEquals("{\"\\r\":\"CR\",\"1\":\"One\",\"b\":{\"a\":[2,1],\"z\":1},\"\u0080\":\"Control\","
                + "\"ö\":\"o\",\"€\":\"Euro\",\"\ud83d\ude00\":\"Smiley\",\"\ufb33\":\"Hebrew\"}", canonical(in));
    }

    @Test
    void numbersMatchEcmaScriptForEveryVector() throws Exception {
        int checked = 0;
        try (InputStream in = getClass().getResourceAsStream("es-numbers.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                double d = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
                assertEquals(parts[1], CanonicalJson.number(d), parts[0]);
                checked++;
            }
        }
        assertTrue(checked > 1000, "vectors read: " + checked);
    }

    @Test
    void integersAreWrittenExactlyAndRefusedBeyondTwoToThe53() throws Exception {
        assertEquals("[0,-1,9007199254740991,1,100]", canonical("[0,-1,9007199254740991,1.0,1e2]"));
        assertThrows(CanonicalJson.NotCanonicalizable.class,
                () -> CanonicalJson.toBytes(ManifestJson.MAPPER.readTree("[9007199254740993]")));
        assertThrows(CanonicalJson.NotCanonicalizable.class,
                () -> CanonicalJson.toBytes(ManifestJson.MAPPER.readTree("[1e400]")));
    }

    @Test
    void loneSurrogatesAreRefused() {
        assertThrows(CanonicalJson.NotCanonicalizable.class,
                () -> CanonicalJson.toBytes(ManifestJson.MAPPER.readTree("[\"\\ud800\"]")));
    }

    @Test
    void strictParsingRefusesDuplicatesAndTrailingContent() {
        assertThrows(BundleRejected.class, () -> ManifestJson.parseTree("{\"a\":1,\"a\":2}".getBytes(), "m"));
        assertThrows(BundleRejected.class, () -> ManifestJson.parseTree("{\"a\":1} {}".getBytes(), "m"));
        assertThrows(BundleRejected.class, () -> ManifestJson.parseTree("[1]".getBytes(), "m"));
    }

    @Test
    void manifestRoundTripsThroughItsCanonicalForm() throws Exception {
        BundleManifest written = TestBundles.unsigned(tmp.resolve("b"), "chu-nord", 12);
        byte[] onDisk = Files.readAllBytes(tmp.resolve("b/manifest.json"));
        assertArrayEquals(ManifestJson.canonicalBytes(written), onDisk);
        BundleManifest read = ManifestJson.parseUnverified(onDisk);
        assertEquals(written, read);
        assertEquals(Map.of("iqr", 1500.0, "median", 512.0), read.features().get(1).params());
        assertEquals(List.of("duration", "bytes_out", "dst_port_entropy"), read.models().get(0).inputFeatures());
        assertEquals(3, read.files().size());
        assertEquals(4000, read.files().get("models/iforest.onnx").size());
        JsonNode tree = ManifestJson.MAPPER.readTree(onDisk);
        assertEquals(1, tree.get("formatVersion").intValue());
        assertTrue(tree.get("createdAt").asText().endsWith("Z"));
    }

    @Test
    void manifestRecordsCheckTheirOwnConsistency() throws Exception {
        BundleManifest m = TestBundles.unsigned(tmp.resolve("b"), "chu-nord", 1);
        assertThrows(IllegalArgumentException.class, () -> new BundleManifest(1, m.site(), 1, m.createdAt(),
                m.featureSchemaHash(), m.features(), m.models(), m.thresholds(), Map.of(), m.training()));
        assertThrows(IllegalArgumentException.class, () -> new BundleManifest(1, "bad site", 1, m.createdAt(),
                m.featureSchemaHash(), m.features(), m.models(), m.thresholds(), m.files(), m.training()));
        assertThrows(IllegalArgumentException.class, () -> new BundleManifest(1, m.site(), 1,
                "2025-11-28T10:15:30+01:00", m.featureSchemaHash(), m.features(), m.models(), m.thresholds(),
                m.files(), m.training()));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec("m", "kmeans", "f", List.of("a"),
                Double.NaN, "all"));
        assertThrows(IllegalArgumentException.class, () -> new FileEntry("AB".repeat(32), 1));
    }

    @Test
    void manifestIsImmutable() throws Exception {
        BundleManifest m = TestBundles.unsigned(tmp.resolve("b"), "chu-nord", 1);
        ObjectNode t = m.training();
        t.put("seed", 7);
        assertEquals(42, m.training().get("seed").intValue());
        assertThrows(UnsupportedOperationException.class, () -> m.files().clear());
        assertThrows(UnsupportedOperationException.class, () -> m.features().get(1).params().clear());
    }

    @Test
    void unsignedParsingStillRefusesAFutureFormat() throws Exception {
        BundleRejected e = assertThrows(BundleRejected.class, () -> ManifestJson.parseUnverified(
                "{\"formatVersion\":2}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(BundleRejected.Reason.UNKNOWN_FORMAT, e.reason());
    }
}
