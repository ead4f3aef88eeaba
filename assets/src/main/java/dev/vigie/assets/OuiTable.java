package dev.vigie.assets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * MAC prefix → organisation, from the IEEE registries (MA-L 24-bit, MA-M 28-bit, MA-S and IAB 36-bit) as Debian's
 * ieee-data package ships them, built into {@code oui.tsv.gz} by {@code assets/tools/make-oui.py} (its first line
 * says which package version and IEEE date). Longest prefix wins, as the IEEE assigns MA-M/MA-S blocks inside
 * MA-L blocks it owns. Lookups are binary searches over sorted primitive arrays: no allocation.
 */
public final class OuiTable {
    private static final String RESOURCE = "oui.tsv.gz";
    private static volatile OuiTable standard;

    private final long[][] prefixes = new long[3][];   // 24, 28, 36 bits
    private final String[][] names = new String[3][];
    private static final int[] BITS = {36, 28, 24};
    private final String source;

    private OuiTable(List<long[]> p, List<String> n, String source) {
        this.source = source;
        for (int k = 0; k < 3; k++) {
            int bits = BITS[k];
            List<long[]> rows = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                if (p.get(i)[1] == bits) rows.add(new long[]{p.get(i)[0], i});
            }
            rows.sort((a, b) -> Long.compare(a[0], b[0]));
            prefixes[k] = new long[rows.size()];
            names[k] = new String[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                prefixes[k][i] = rows.get(i)[0];
                names[k][i] = n.get((int) rows.get(i)[1]);
            }
        }
    }

    /** The table shipped in the jar (loaded once). */
    public static OuiTable standard() {
        OuiTable t = standard;
        if (t == null) {
            synchronized (OuiTable.class) {
                if (standard == null) {
                    try (InputStream in = OuiTable.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) throw new IllegalStateException("resource " + RESOURCE + " missing from the build");
                        standard = read(new GZIPInputStream(in));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + RESOURCE, e);
                    }
                }
                t = standard;
            }
        }
        return t;
    }

    /** Reads the TSV format of make-oui.py: {@code HEX<TAB>BITS<TAB>NAME}; lines starting with '#' are comments. */
    static OuiTable read(InputStream in) throws IOException {
        List<long[]> p = new ArrayList<>();
        List<String> n = new ArrayList<>();
        String source = "";
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("#")) {
                if (source.isEmpty()) source = line.substring(1).trim();
                continue;
            }
            int a = line.indexOf('\t');
            int b = line.indexOf('\t', a + 1);
            if (a <= 0 || b <= a) continue;
            int bits = Integer.parseInt(line.substring(a + 1, b));
            if (bits != 24 && bits != 28 && bits != 36) continue;
            p.add(new long[]{Long.parseLong(line.substring(0, a), 16), bits});
            n.add(line.substring(b + 1));
        }
        return new OuiTable(p, n, source);
    }

    /** Where the table came from (the first comment line of the resource). */
    public String source() {
        return source;
    }

    public int size() {
        return Arrays.stream(prefixes).mapToInt(a -> a.length).sum();
    }

    /**
     * The organisation the MAC's prefix is assigned to; for a locally administered address (second bit of the
     * first octet set: virtual machines, containers, randomised phone MACs) {@code "(locally administered)"}; null
     * when the prefix is not in the registry.
     */
    public String vendor(long mac) {
        if (mac < 0) return null;
        for (int k = 0; k < 3; k++) {
            long key = mac >>> (48 - BITS[k]);
            int i = Arrays.binarySearch(prefixes[k], key);
            if (i >= 0) return names[k][i];
        }
        if (((mac >>> 40) & 0x02) != 0) return LOCALLY_ADMINISTERED;
        return null;
    }

    public static final String LOCALLY_ADMINISTERED = "(locally administered)";

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with '-'), any case; -1 when it is not a MAC. */
    public static long parseMac(String s) {
        if (s == null || s.length() != 17) return -1;
        long v = 0;
        for (int i = 0; i < 17; i++) {
            char c = s.charAt(i);
            if (i % 3 == 2) {
                if (c != ':' && c != '-') return -1;
                continue;
            }
            int d = Character.digit(c, 16);
            if (d < 0) return -1;
            v = (v << 4) | d;
        }
        return v;
    }
}
