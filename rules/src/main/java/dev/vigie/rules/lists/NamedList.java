package dev.vigie.rules.lists;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One list file: its addresses and blocks ({@link IpSet}) and its names ({@link DomainSet}). One entry per line,
 * {@code #} starts a comment (whole line or after the entry); blank lines are ignored. A line that is neither an
 * address, a block nor a name is counted as rejected, never fatal: list files come from feeds we do not control.
 */
public record NamedList(String name, String source, IpSet ips, DomainSet domains, long lines, long rejected,
                        List<String> rejectedSamples) {

    /** Longest line read; longer ones are rejected (a binary file renamed .txt must not eat the heap). */
    static final int MAX_LINE = 1024;
    /** Entries per list; past it lines are rejected. Keeps a runaway feed bounded. */
    public static final int MAX_ENTRIES = 5_000_000;

    public static NamedList read(String name, String source, InputStream in) throws IOException {
        IpSet.Builder ips = new IpSet.Builder();
        DomainSet.Builder domains = new DomainSet.Builder();
        long lines = 0;
        long rejected = 0;
        long entries = 0;
        List<String> samples = new ArrayList<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, decoder))) {
            StringBuilder line = new StringBuilder();
            int c;
            boolean eof = false;
            while (!eof) {
                line.setLength(0);
                boolean tooLong = false;
                while (true) {
                    c = r.read();
                    if (c < 0) { eof = true; break; }
                    if (c == '\n') break;
                    if (line.length() < MAX_LINE) line.append((char) c); else tooLong = true;
                }
                if (eof && line.length() == 0) break;
                lines++;
                String text = line.toString();
                int hash = text.indexOf('#');
                if (hash >= 0) text = text.substring(0, hash);
                text = text.strip();
                if (text.isEmpty() && !tooLong) continue;
                boolean ok = !tooLong && entries < MAX_ENTRIES
                        && (looksLikeIp(text) ? ips.add(text) : domains.add(text));
                if (ok) {
                    entries++;
                } else {
                    rejected++;
                    if (samples.size() < 5) samples.add("line " + lines + ": " + printable(text));
                }
            }
        }
        return new NamedList(name, source, ips.build(), domains.build(), lines, rejected, List.copyOf(samples));
    }

    private static boolean looksLikeIp(String s) {
        if (s.indexOf(':') >= 0) return true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '/') return false;
        }
        return true;
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }

    public int entries() {
        return ips.intervals() + domains.size();
    }
}
