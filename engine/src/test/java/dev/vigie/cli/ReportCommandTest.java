package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigie report} on the demo outputs; rendered in headless Chromium when Debian's chromium is installed. */
class ReportCommandTest {
    @TempDir
    static Path out;
    static Path report;
    static String html;

    @BeforeAll
    static void produce() throws Exception {
        SqlCommandTest.demoOutputs(out);
        report = out.resolve("report/report.html");
        CliRun r = CliRun.of("report", out.toString(), "-o", report.toString());
        assertEquals(0, r.exit(), r.toString());
        html = Files.readString(report);
    }

    @Test
    void hasEverySectionTheAlertsAndTheCharts() {
        for (String id : List.of("summary", "alerts", "hosts", "assets", "patient", "models", "health")) {
            assertTrue(html.contains("<h2 id=\"" + id + "\">"), id);
        }
        for (String rule : List.of("vigie.scan.vertical", "vigie.beacon.periodic", "vigie.ssh.bruteforce")) {
            assertTrue(html.contains(rule), rule);
        }
        assertTrue(html.contains("id=\"chart-alerts-time\""));
        assertTrue(html.contains("id=\"chart-alerts-rule\""));
        assertTrue(html.contains("id=\"chart-hosts-bytes\""));
        assertTrue(html.contains("<td>kali</td>") && html.contains("<td>VMware, Inc.</td>"),
                "the sensor's inventory: the Kali VM is new against the signed reference");
        assertTrue(html.contains("services: +tcp/53 dns"), "the DNS server answered TCP 53 for the first time (nmap)");
        assertTrue(html.contains("No patient-data event in the period"), "absent data is said, not hidden");
        assertTrue(html.contains("id=\"chart-scores-0\""), "the demo's real model scores are charted");
        assertFalse(html.contains("No sensor health rows"), "the demo's sensor wrote health rows");
        assertTrue(html.contains("10.77.66.6"), "the attacker is a top host by alerts");
    }

    @Test
    void selfContained() {
        // the only URL allowed is the SVG namespace, which is a name, never fetched
        String stripped = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assertFalse(stripped.contains("http://") || stripped.contains("https://"), "no URL");
        for (String tag : List.of("<script", "<link", "<img", "<iframe", "src=", "url(", "@import")) {
            assertFalse(html.contains(tag), tag);
        }
    }

    @Test
    void periodOptions(@TempDir Path tmp) throws Exception {
        CliRun later = CliRun.of("report", out.toString(), "--from", "2030-01-01", "--to", "2030-01-08",
                "-o", tmp.resolve("r.html").toString());
        assertEquals(0, later.exit(), later.toString());
        String text = Files.readString(tmp.resolve("r.html"));
        assertTrue(text.contains("2030-01-01 00:00:00 UTC to 2030-01-08 00:00:00 UTC"), "dates are midnight UTC");
        assertTrue(text.contains("No alert in the period."));

        CliRun bad = CliRun.of("report", out.toString(), "--from", "last tuesday", "-o", tmp.resolve("x.html").toString());
        assertEquals(2, bad.exit(), bad.toString());
        assertEquals(1, bad.errLines().length, bad.toString());
        CliRun reversed = CliRun.of("report", out.toString(), "--from", "2026-12-01", "--to", "2026-11-01",
                "-o", tmp.resolve("x.html").toString());
        assertEquals(2, reversed.exit(), reversed.toString());
        CliRun empty = CliRun.of("report", tmp.resolve("nothing").toString(), "-o", tmp.resolve("x.html").toString());
        assertEquals(ExitCodes.NO_INPUT, empty.exit(), empty.toString());
        Files.createDirectories(tmp.resolve("empty"));
        CliRun none = CliRun.of("report", tmp.resolve("empty").toString(), "-o", tmp.resolve("x.html").toString());
        assertEquals(3, none.exit(), none.toString());
        assertFalse(Files.exists(tmp.resolve("x.html")));
    }

    @Test
    void assetsScoresAndPatientEventsWhenTheyExist(@TempDir Path tmp) throws Exception {
        Files.copy(out.resolve("flows.parquet"), tmp.resolve("flows.parquet"));
        Files.copy(out.resolve("alerts.jsonl"), tmp.resolve("alerts.jsonl"));
        SyntheticOutputs.write(tmp);
        CliRun r = CliRun.of("report", tmp.toString(), "-o", tmp.resolve("r.html").toString());
        assertEquals(0, r.exit(), r.toString());
        String text = Files.readString(tmp.resolve("r.html"));
        assertTrue(text.contains("id=\"chart-scores-0\""), "score histogram");
        assertTrue(text.contains("threshold 1.00"), "threshold marker");
        assertTrue(text.contains("<td>srv-hl7</td>"), "new assets listed");
        assertTrue(text.contains("address: 10.77.10.103 -&gt; +10.77.10.154"), "ws03 changed address");
        assertTrue(text.contains("<td>nir</td>"), "patient-data events by kind");
        assertFalse(text.contains(SyntheticOutputs.MASKED), "only two characters of a value are kept");
        assertTrue(text.contains("<td>10*************</td>"), "masked value");
        assertFalse(text.contains("No model scores"));
    }

    @Test
    void escapesWhatComesFromTraffic() {
        assertEquals("&lt;script&gt;&amp;&quot;", dev.vigie.report.HtmlAccess.esc("<script>&\""));
    }

    static Path chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) return Path.of(c);
        }
        return null;
    }

    static String run(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), "chromium exit");
        return new String(stdout, StandardCharsets.UTF_8);
    }

    @Test
    void rendersInHeadlessChromium(@TempDir Path tmp) throws Exception {
        Path chromium = chromium();
        assumeTrue(chromium != null, "Debian's chromium is not installed");
        List<String> base = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("profile"), "--window-size=1100,1900");
        List<String> dump = new ArrayList<>(base);
        dump.addAll(List.of("--dump-dom", report.toUri().toString()));
        String dom = run(tmp, dump.toArray(String[]::new));
        assertTrue(dom.contains("vigie SOC report"), "title text in the rendered DOM");
        assertTrue(dom.contains("vigie.scan.vertical"));
        Matcher bars = Pattern.compile("<rect class=\"bar\"").matcher(dom);
        int n = 0;
        while (bars.find()) n++;
        assertTrue(n >= 10, "chart bars in the rendered DOM: " + n);

        Path png = tmp.resolve("report.png");
        List<String> shot = new ArrayList<>(base);
        shot.addAll(List.of("--screenshot=" + png, report.toUri().toString()));
        run(tmp, shot.toArray(String[]::new));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1100, img.getWidth());
        // the charts' bar colour (#2f6f9f) must be on screen: the SVG was drawn, not only parsed
        int barPixels = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                if ((img.getRGB(x, y) & 0xffffff) == 0x2f6f9f) barPixels++;
            }
        }
        assertTrue(barPixels > 500, "bar pixels in the screenshot: " + barPixels);
    }
}
