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
        return run(p, dlp ? new DlpAnalyzer() : null);
    }

    static ExtractHarness run(Path p, DlpAnalyzer dlp) {
        List<FeatureAnalyzer> a = new ArrayList<>(List.of(new ProtocolAnalyzer()));
        if (dlp != null) {
            a.add(dlp);
        }
        return ExtractHarness.run(FlowExtractor.withAnalyzers(FlowConfig.DEFAULTS, a), p);
    }

    static long sumOutsideHl7(ExtractHarness h, String column) {
        return h.rows.stream().filter(r -> !"hl7".equals(r.get("app_proto"))).map(r -> r.get(column))
                .filter(v -> v != null).mapToLong(v -> ((Number) v).longValue()).sum();
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
        long bytes = 0, nir = 0, cards = 0, invalid = 0, flows = 0, ipp = 0, iep = 0, ippShaped = 0, iepShaped = 0;
        int captures = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            captures++;
            DlpAnalyzer dlp = new DlpAnalyzer();
            ExtractHarness h = run(f, dlp);
            long n = sum(h, "dlp_nir"), c = sum(h, "dlp_cards"), bad = sum(h, "dlp_nir_invalid"), b = sum(h, "dlp_bytes_scanned");
            // the lab's HL7 feeds carry real (synthetic) IPP/IEP by design: only matches outside them are false
            long ip = sumOutsideHl7(h, "dlp_ipp"), ie = sumOutsideHl7(h, "dlp_iep");
            ipp += ip;
            iep += ie;
            ippShaped += dlp.counters().ippNoContext;
            iepShaped += dlp.counters().iepNoContext;
            if (ip + ie + dlp.counters().ippNoContext + dlp.counters().iepNoContext > 0) {
                System.out.printf("dlp-local %s ipp=%d iep=%d ipp_no_context=%d iep_no_context=%d%n", f, ip, ie,
                        dlp.counters().ippNoContext, dlp.counters().iepNoContext);
            }
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
                captures, flows, bytes, nir, cards, invalid, nir / (bytes / 1e6), cards / (bytes / 1e6));
        System.out.printf("dlp-local-total ipp=%d iep=%d (outside HL7) ipp_no_context=%d iep_no_context=%d (per MB: %.3f ipp, %.3f iep; without context rule %.3f, %.3f)%n",
                ipp, iep, ippShaped, iepShaped, ipp / (bytes / 1e6), iep / (bytes / 1e6), ippShaped / (bytes / 1e6), iepShaped / (bytes / 1e6));
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
