package dev.vigie.training.eval;

import dev.vigie.training.data.FlowFrame;
import dev.vigie.training.data.TrainingInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Attack windows of a labelled capture ({@code labels.csv} of the lab dataset: one row per attack with scenario,
 * attacker, victims, ports, start and end). A flow is labelled with a scenario when one end is the attacker, the
 * other end one of the victims (any host when the victim list is empty or {@code *}), and the flow's
 * [ts_start, ts_end] overlaps the window [start, end]. The first matching window in file order wins; every other
 * flow is benign.
 * <p>
 * Accepted headers: {@code scenario}; {@code attacker_ip} or {@code attacker}; {@code victim_ips} or
 * {@code victims} ({@code ;}-separated); {@code start_epoch}/{@code end_epoch} (epoch seconds) or
 * {@code start}/{@code end} (epoch seconds or ISO-8601). Other columns are ignored.
 */
public record Labels(List<Window> windows) {
    public static final String BENIGN = "benign";

    public record Window(String scenario, String attacker, Set<String> victims, long startMicros, long endMicros) {}

    public Labels {
        windows = List.copyOf(windows);
    }

    public static Labels parse(Path file) throws TrainingInputException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TrainingInputException(file + ": cannot read labels (" + e.getMessage() + ")", e);
        }
        if (lines.isEmpty()) {
            throw new TrainingInputException(file + ": empty labels file");
        }
        List<String> header = split(lines.get(0));
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            col.put(header.get(i).trim().toLowerCase(java.util.Locale.ROOT), i);
        }
        int scenario = find(col, file, "scenario");
        int attacker = find(col, file, "attacker_ip", "attacker");
        int victims = find(col, file, "victim_ips", "victims");
        int start = find(col, file, "start_epoch", "start");
        int end = find(col, file, "end_epoch", "end");
        List<Window> out = new ArrayList<>();
        for (int ln = 1; ln < lines.size(); ln++) {
            if (lines.get(ln).isBlank()) {
                continue;
            }
            List<String> f = split(lines.get(ln));
            int need = Math.max(Math.max(scenario, attacker), Math.max(victims, Math.max(start, end)));
            if (f.size() <= need) {
                throw new TrainingInputException(file + ":" + (ln + 1) + ": " + f.size() + " fields, expected "
                        + header.size());
            }
            Set<String> v = new TreeSet<>();
            for (String s : f.get(victims).split(";")) {
                if (!s.isBlank() && !s.trim().equals("*")) {
                    v.add(s.trim());
                }
            }
            long s0 = time(f.get(start), file, ln);
            long s1 = time(f.get(end), file, ln);
            if (s1 < s0) {
                throw new TrainingInputException(file + ":" + (ln + 1) + ": window ends before it starts");
            }
            String sc = f.get(scenario).trim();
            String a = f.get(attacker).trim();
            if (sc.isEmpty() || a.isEmpty()) {
                throw new TrainingInputException(file + ":" + (ln + 1) + ": empty scenario or attacker");
            }
            out.add(new Window(sc, a, v, s0, s1));
        }
        if (out.isEmpty()) {
            throw new TrainingInputException(file + ": no attack window in the labels file");
        }
        return new Labels(out);
    }

    /** The scenario of each row ({@link #BENIGN} when none). */
    public String[] label(FlowFrame frame) {
        String[] out = new String[frame.rows()];
        List<String> hosts0 = frame.dictionaries().get("orig_h");
        List<String> hosts1 = frame.dictionaries().get("resp_h");
        int[] o = frame.codes("orig_h");
        int[] r = frame.codes("resp_h");
        for (int i = 0; i < out.length; i++) {
            out[i] = BENIGN;
            String a = hosts0.get(o[i]);
            String b = hosts1.get(r[i]);
            long t0 = frame.tsStartMicros()[i];
            long t1 = frame.tsEndMicros()[i];
            for (Window w : windows) {
                if (t1 < w.startMicros() || t0 > w.endMicros()) {
                    continue;
                }
                boolean match = (a.equals(w.attacker()) && (w.victims().isEmpty() || w.victims().contains(b)))
                        || (b.equals(w.attacker()) && (w.victims().isEmpty() || w.victims().contains(a)));
                if (match) {
                    out[i] = w.scenario();
                    break;
                }
            }
        }
        return out;
    }

    private static int find(Map<String, Integer> col, Path file, String... names) throws TrainingInputException {
        for (String n : names) {
            Integer i = col.get(n);
            if (i != null) {
                return i;
            }
        }
        throw new TrainingInputException(file + ": labels header has no " + String.join(" or ", names) + " column");
    }

    private static long time(String s, Path file, int ln) throws TrainingInputException {
        String t = s.trim();
        try {
            return Math.round(Double.parseDouble(t) * 1e6);
        } catch (NumberFormatException e) {
            try {
                java.time.Instant in = java.time.Instant.parse(t);
                return in.getEpochSecond() * 1_000_000L + in.getNano() / 1000;
            } catch (java.time.format.DateTimeParseException e2) {
                throw new TrainingInputException(file + ":" + (ln + 1) + ": bad time '" + t + "'", e2);
            }
        }
    }

    /** RFC 4180 fields: commas inside double quotes, doubled quotes as escapes. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    sb.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        out.add(sb.toString());
        return out;
    }

}
