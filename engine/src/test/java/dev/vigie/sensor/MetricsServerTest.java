package dev.vigie.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    @Test
    void servesThePrometheusTextFormatWithCountersAndHistograms() throws Exception {
        SensorMetrics m = new SensorMetrics();
        m.scoring().record(3_000_000);
        m.scoring().record(200_000_000);
        List<String> sent = new ArrayList<>();
        var sink = m.counting(a -> sent.add(a.ruleId()));
        sink.accept(AlertAggregatorTest.alert("vigie.ml.anomaly", "a", "b", 1));
        sink.accept(AlertAggregatorTest.alert("vigie.ml.anomaly", "a", "c", 1));
        m.register("vigie_alerts_suppressed_total", () -> 7);
        try (MetricsServer server = new MetricsServer(m, "127.0.0.1", 0)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String body = r.body();
            assertTrue(body.contains("# TYPE vigie_packets_total counter\nvigie_packets_total 0\n"), body);
            assertTrue(body.contains("vigie_alerts_sent_total{rule=\"vigie.ml.anomaly\"} 2\n"), body);
            assertTrue(body.contains("vigie_alerts_suppressed_total 7\n"), body);
            assertTrue(body.contains("# TYPE vigie_scoring_batch_seconds histogram"), body);
            assertTrue(body.contains("vigie_scoring_batch_seconds_bucket{le=\"0.005\"} 1\n"), body);
            assertTrue(body.contains("vigie_scoring_batch_seconds_bucket{le=\"+Inf\"} 2\n"), body);
            assertTrue(body.contains("vigie_scoring_batch_seconds_count 2\n"), body);
            HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/other")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        }
        assertEquals(2, sent.size());
    }

    @Test
    void histogramQuantilesComeFromTheBuckets() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 99; i++) {
            h.record(800_000); // 0.8 ms -> bucket 1 ms
        }
        h.record(120_000_000); // 120 ms -> bucket 150 ms
        assertEquals(1.0, h.quantileMillis(0.5));
        assertEquals(1.0, h.quantileMillis(0.99));
        assertEquals(120.0, h.quantileMillis(1.0), 1e-9, "capped at the largest sample seen");
        assertEquals(100, h.count());
    }

    @Test
    void theContentScannersCountersAreExposedAsTheyMove() {
        SensorMetrics m = new SensorMetrics();
        dev.vigie.dlp.DlpAnalyzer dlp = new dev.vigie.dlp.DlpAnalyzer(dev.vigie.dlp.DlpConfig.perRun());
        m.registerContentScanner(java.util.List.of(new dev.vigie.protocols.ProtocolAnalyzer(), dlp));
        assertTrue(m.render().contains("# TYPE vigie_dlp_nir_total counter\nvigie_dlp_nir_total 0\n"), m.render());
        dlp.counters().nir = 3;
        dlp.counters().reorderCapHit = 2;
        dlp.counters().capReached = 1;
        dlp.counters().inflateRatioCapped = 1;
        String body = m.render();
        assertTrue(body.contains("vigie_dlp_nir_total 3\n"), body);
        assertTrue(body.contains("vigie_dlp_reorder_cap_hit_total 2\n"), body);
        assertTrue(body.contains("vigie_dlp_caps_hit_total 2\n"), body);
    }
}
