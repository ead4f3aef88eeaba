package dev.vigie.dlp;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigie.extract.ExtractHarness;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.features.FeatureAnalyzer;
import dev.vigie.flow.FlowConfig;
import dev.vigie.protocols.ProtocolAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * False-match rate and cost of the content scanner. Prints, per capture of the shared corpus and the lab's benign
 * capture, the DLP matches (there is no patient data in them, so every NIR or card outside the lab's HL7 traffic is
 * a false match), then extraction time with and without the DLP analyzer on HTTP-heavy and encrypted captures.
 * Run: ./mvnw -B -pl features -am verify -Dtest='DlpBenchTest*' -Dgroups=bench -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("bench")
class DlpBenchTest {
    static final Path ROOT = Path.of(System.getProperty("vigie.root", ".."));

    static Path shared() {
        String s = System.getProperty("vigie.shared");
        Path d = s == null ? null : Path.of(s, "captures");
        return d != null && Files.isDirectory(d) ? d : null;
    }

    static long sum(ExtractHarness h, String column) {
        return h.rows.stream().map(r -> r.get(column)).filter(v -> v != null).mapToLong(v -> ((Number) v).longValue()).sum();
    }

    static ExtractHarness run(Path p, boolean dlp) {
        List<FeatureAnalyzer> a = new ArrayList<>(List.of(new ProtocolAnalyzer()));
        if (dlp) {
            a.add(new DlpAnalyzer());
        }
        return ExtractHarness.run(FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, a), p);
    }

    @Test
    void falseMatchesPerCapture() throws Exception {
        Path dir = shared();
        assumeTrue(dir != null, "no shared captures");
        List<Path> files = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("INDEX.tsv")).subList(1, Files.readAllLines(dir.resolve("INDEX.tsv")).size())) {
            files.add(dir.resolve(line.split("\t")[0]));
        }
        files.add(ROOT.resolve("datasets/lab/benign.pcap"));
        long bytes = 0, nir = 0, cards = 0, invalid = 0, flows = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            ExtractHarness h = run(f, true);
            long n = sum(h, "dlp_nir"), c = sum(h, "dlp_cards"), bad = sum(h, "dlp_nir_invalid"), b = sum(h, "dlp_bytes_scanned");
            bytes += b;
            nir += n;
            cards += c;
            invalid += bad;
            flows += h.rows.size();
            if (n + c + bad > 0) {
                System.out.printf("dlp-matches %s nir=%d cards=%d nir_invalid=%d scanned_bytes=%d%n", dir.relativize(f.toAbsolutePath()).toString().startsWith("..") ? f : dir.relativize(f), n, c, bad, b);
            }
        }
        System.out.printf("dlp-total captures=%d flows=%d scanned_bytes=%d nir=%d cards=%d nir_invalid=%d (per MB scanned: %.3f nir, %.3f cards)%n",
                files.size(), flows, bytes, nir, cards, invalid, nir / (bytes / 1e6), cards / (bytes / 1e6));
        assertTrue(bytes > 0);
    }

    @Test
    void costOnHttpHeavyAndEncryptedCaptures() {
        Path dir = shared();
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("datasets/lab/mixed.pcap")));
        if (dir != null) {
            files.add(dir.resolve("zeek/testing/btest/Traces/http/m57-long-49583-80.pcap"));
            files.add(dir.resolve("zeek/testing/btest/Traces/http/http-post-large.pcap"));
            files.add(dir.resolve("zeek/testing/btest/Traces/ssh/ssh.pcap"));
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            long without = best(f, false), with = best(f, true);
            System.out.printf("dlp-cost %s without=%.1f ms with=%.1f ms ratio=%.2f%n", f.getFileName(), without / 1e6, with / 1e6, (double) with / without);
        }
    }

    private static long best(Path f, boolean dlp) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            long t = System.nanoTime();
            run(f, dlp);
            best = Math.min(best, System.nanoTime() - t);
        }
        return best;
    }
}
