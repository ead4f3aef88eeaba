package dev.vigie.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigie demo}: the whole product on the bundled lab capture, with the real commands run in this process:
 * extract the benign part → train the site's models → generate a key and sign the bundle → sense on the mixed
 * part (rules, models, profiles) → the table of alerts and where every output is.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on the bundled lab capture (datasets/lab): extract the benign part,",
                "train, generate a demo key and sign, sense on the mixed part, print the alerts."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "2:usage error", "3:the lab capture is not found",
                "4:the output directory cannot be written", "other:the failing step's own code"})
public final class DemoCommand implements Callable<Integer> {
    static final String MARKER = ".vigie-demo";

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where the demo writes (default: ${DEFAULT-VALUE}); a previous demo there is replaced.")
    Path outDir = Path.of("vigie-demo");

    @Option(names = "--lab", paramLabel = "DIR", description = "The lab dataset (default: datasets/lab of this installation).")
    Path lab;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String before = System.getProperty(dev.vigie.dlp.SiteSecret.PROPERTY);
        try {
            return demo();
        } finally {
            // the demo's secret is for its own commands: the property does not outlive it (tests share a process)
            if (before == null) {
                System.clearProperty(dev.vigie.dlp.SiteSecret.PROPERTY);
            } else {
                System.setProperty(dev.vigie.dlp.SiteSecret.PROPERTY, before);
            }
        }
    }

    private Integer demo() {
        PrintWriter out = spec.commandLine().getOut();
        Path labDir = lab != null ? lab : defaultLab();
        Path benign = labDir.resolve("benign.pcap");
        Path mixed = labDir.resolve("mixed.pcap");
        if (!Files.isRegularFile(benign) || !Files.isRegularFile(mixed)) {
            throw new UserError(3, "the lab capture is not in " + labDir + " (benign.pcap, mixed.pcap); give --lab DIR");
        }
        prepare(outDir);
        Path bundle = outDir.resolve("bundle");
        Path keys = outDir.resolve("keys");
        Path trust = outDir.resolve("trust");
        Path sensor = outDir.resolve("sensor");
        Path train = outDir.resolve("train").resolve("benign.parquet");
        long t0 = System.nanoTime();
        out.println("vigie demo on " + labDir + " -> " + outDir);
        out.flush();
        siteSecret(out, outDir.resolve("site").resolve("site.secret"));

        step(out, "1/6 extract", "flow records of the benign part (training data)",
                "extract", "-q", benign.toString(), "-o", train.toString());
        Path reference = outDir.resolve("train").resolve("assets.parquet");
        List<String> assets = new ArrayList<>(List.of("assets", "-q", benign.toString(), "-o", reference.toString()));
        if (Files.isRegularFile(labDir.resolve("site.yaml"))) {
            assets.add("--site-config");
            assets.add(labDir.resolve("site.yaml").toString());
        }
        step(out, "2/6 assets", "the reference asset inventory of the same window", assets.toArray(String[]::new));
        step(out, "3/6 train", "isolation forest and k-means (ONNX), host profiles, calibrated thresholds, the inventory",
                "train", "-q", "--site", "lab", train.toString(), "--assets", reference.toString(), "-o", bundle.toString());
        step(out, "4/6 keys", "an Ed25519 key pair for this demo; its .pub is the sensor's trust",
                "keys", "generate", "-o", keys.toString());
        copyPublicKey(keys, trust);
        step(out, "5/6 sign", "manifest with every file's SHA-256, signed",
                "bundle", "sign", "--key", keys.resolve("vigie-bundle.key").toString(), bundle.toString());
        List<String> sense = new ArrayList<>(List.of("sense", "--pcap", mixed.toString(), "--bundle", bundle.toString(),
                "--trust", trust.toString(), "--state", outDir.resolve("state").resolve("accepted-versions.json").toString(),
                "-o", sensor.toString()));
        if (Files.isRegularFile(labDir.resolve("suppressions.yaml"))) {
            sense.add("--suppressions");
            sense.add(labDir.resolve("suppressions.yaml").toString());
        }
        if (Files.isRegularFile(labDir.resolve("site.yaml"))) {
            sense.add("--site-config");
            sense.add(labDir.resolve("site.yaml").toString());
        }
        if (Files.isDirectory(labDir) && hasLists(labDir)) {
            sense.add("--lists");
            sense.add(labDir.toString());
        }
        out.println("6/6 sense   the mixed part: models, profiles, rules and the asset inventory -> alerts");
        out.flush();
        int code = run(sense.toArray(String[]::new), out, true);
        if (code != 0) {
            return code;
        }
        out.printf(Locale.ROOT, "demo done in %.1f s. Outputs under %s:%n", (System.nanoTime() - t0) / 1e9, outDir);
        out.println("  " + sensor.resolve("alerts") + "   alerts (EVE JSON lines)");
        out.println("  " + sensor.resolve("flows") + "    flow records (Parquet), " + sensor.resolve("scores") + " model scores");
        out.println("  " + sensor.resolve("assets") + "   asset inventory ('vigie assets diff " + reference + " "
                + sensor.resolve("assets").resolve("assets.parquet") + "')");
        out.println("  " + bundle + "            the signed model bundle ('vigie bundle inspect " + bundle + "')");
        out.println("Next: ./vigie sql " + sensor + " -c \"SELECT rule_id, src_ip, dest_ip, count(*) FROM alerts GROUP BY ALL ORDER BY 4 DESC\"");
        out.println("      ./vigie report " + sensor + " -o report.html");
        out.flush();
        return 0;
    }

    /** The lab dataset of this installation: the launcher says where it lives; else the working directory's. */
    static Path defaultLab() {
        String home = System.getProperty("vigie.home");
        Path base = home != null ? Path.of(home) : Path.of("");
        return base.resolve("datasets").resolve("lab");
    }

    private static boolean hasLists(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".lst"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the output directory, replacing a previous demo's (marked), never anything else. */
    static void prepare(Path dir) {
        try {
            if (Files.exists(dir)) {
                boolean empty;
                try (Stream<Path> s = Files.list(dir)) {
                    empty = s.findAny().isEmpty();
                }
                if (!empty && !Files.exists(dir.resolve(MARKER))) {
                    throw new UserError(2, dir + " exists and is not a previous demo's output; choose another -o");
                }
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        if (!p.equals(dir)) {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(MARKER), "written by vigie demo; the next demo run replaces this directory\n");
        } catch (IOException e) {
            throw new UserError(4, "cannot prepare " + dir + ": " + ExtractCommand.rootMessage(e), e);
        }
    }

    private static void copyPublicKey(Path keys, Path trust) {
        try {
            Files.createDirectories(trust);
            Files.copy(keys.resolve("vigie-bundle.pub"), trust.resolve("vigie-bundle.pub"));
        } catch (IOException e) {
            throw new UserError(4, "cannot write " + trust + ": " + ExtractCommand.rootMessage(e), e);
        }
    }

    /**
     * The demo's own site secret (what {@code vigie site init} makes at install), so that its DLP hashes are keyed as
     * a site's are; a secret already configured (VIGIE_SITE_SECRET) is used as it is.
     */
    private static void siteSecret(PrintWriter out, Path file) {
        if (dev.vigie.dlp.SiteSecret.configured() != null) {
            return;
        }
        try {
            if (!Files.exists(file)) {
                dev.vigie.dlp.SiteSecret.generate(file);
            }
        } catch (java.io.IOException e) {
            throw ExitCodes.io(e);
        }
        System.setProperty(dev.vigie.dlp.SiteSecret.PROPERTY, file.toAbsolutePath().toString());
        out.println("site secret " + file + " keys the DLP hashes of this demo (vigie site init makes a site's)");
    }

    private void step(PrintWriter out, String name, String what, String... args) {
        long t = System.nanoTime();
        out.printf(Locale.ROOT, "%-11s %s", name, what);
        out.flush();
        int code = run(args, out, false);
        if (code != 0) {
            throw new UserError(code, "demo step '" + name.substring(4) + "' failed (exit " + code + ")");
        }
        out.printf(Locale.ROOT, " (%.1f s)%n", (System.nanoTime() - t) / 1e9);
        out.flush();
    }

    /** Runs one vigie command in this process; its output is shown ({@code show}) or kept for an error. */
    private int run(String[] args, PrintWriter out, boolean show) {
        CommandLine cl = VigieCommand.commandLine();
        StringWriter captured = new StringWriter();
        PrintWriter capture = new PrintWriter(captured);
        cl.setOut(show ? out : capture);
        cl.setErr(show ? out : capture);
        int code = cl.execute(args);
        capture.flush();
        if (code != 0 || show) {
            String text = captured.toString().strip();
            if (!text.isEmpty()) {
                out.println();
                out.println(text);
            }
        }
        out.flush();
        return code;
    }
}
