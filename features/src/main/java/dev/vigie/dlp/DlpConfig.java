package dev.vigie.dlp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How much of each flow the content scanner reads, the site secret its keyed hashes use and the site's local
 * identifier patterns.
 *
 * @param maxBytesPerDirection payload bytes scanned per flow direction (first N bytes of the stream)
 * @param secret HMAC-SHA256 key, at least 16 bytes; a per-run random one makes hashes correlate within one run only
 * @param maxHashesPerFlow distinct keyed hashes kept per flow (the {@code dlp_hashes} column)
 * @param ipp the site's patient number (IPP) pattern
 * @param iep the site's stay number (IEP/NDA) pattern
 * @param keywordWindow bytes allowed between the end of a context keyword and the start of an IPP/IEP on its line
 * @param inflateRatio an HTTP body stops inflating when its output exceeds this many times its compressed input
 *                     (plus 4 KiB): a gzip bomb is cut early
 * @param maxChunkSize an HTTP chunk announced larger than this stops decoding of the direction
 */
public record DlpConfig(int maxBytesPerDirection, byte[] secret, int maxHashesPerFlow, IdPattern ipp, IdPattern iep,
                        int keywordWindow, int inflateRatio, long maxChunkSize) {
    public static final int DEFAULT_BYTES_PER_DIRECTION = 64 * 1024;
    public static final int DEFAULT_HASHES_PER_FLOW = 8;
    public static final int DEFAULT_KEYWORD_WINDOW = 32;
    public static final int DEFAULT_INFLATE_RATIO = 100;
    public static final long DEFAULT_MAX_CHUNK_SIZE = 16L << 20;
    /** Environment variable (or system property {@code vigie.dlp.config}) naming the DLP settings file. */
    public static final String CONFIG_ENV = "VIGIE_DLP_CONFIG";
    public static final String CONFIG_PROPERTY = "vigie.dlp.config";

    public DlpConfig {
        if (maxBytesPerDirection < 0) {
            throw new IllegalArgumentException("dlp: bytes per direction must be >= 0, got " + maxBytesPerDirection);
        }
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("dlp: the site secret must be at least 16 bytes");
        }
        if (maxHashesPerFlow < 0 || maxHashesPerFlow > 64) {
            throw new IllegalArgumentException("dlp: hashes per flow must be 0..64, got " + maxHashesPerFlow);
        }
        if (ipp == null || iep == null) {
            throw new IllegalArgumentException("dlp: the IPP and IEP patterns are required (length 0 turns one off)");
        }
        if (keywordWindow < 0 || keywordWindow > 256) {
            throw new IllegalArgumentException("dlp: keyword window must be 0..256 bytes, got " + keywordWindow);
        }
        if (inflateRatio < 1 || inflateRatio > 1100) {
            throw new IllegalArgumentException("dlp: inflate ratio must be 1..1100, got " + inflateRatio);
        }
        if (maxChunkSize < 1 || maxChunkSize > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("dlp: max chunk size must be 1..4294967295, got " + maxChunkSize);
        }
        secret = secret.clone();
    }

    /** Default identifier patterns and keyword window. */
    public DlpConfig(int maxBytesPerDirection, byte[] secret, int maxHashesPerFlow) {
        this(maxBytesPerDirection, secret, maxHashesPerFlow, IdPattern.DEFAULT_IPP, IdPattern.DEFAULT_IEP,
                DEFAULT_KEYWORD_WINDOW, DEFAULT_INFLATE_RATIO, DEFAULT_MAX_CHUNK_SIZE);
    }

    /** These bounds and secret with other identifier patterns. */
    public DlpConfig(int maxBytesPerDirection, byte[] secret, int maxHashesPerFlow, IdPattern ipp, IdPattern iep,
                     int keywordWindow) {
        this(maxBytesPerDirection, secret, maxHashesPerFlow, ipp, iep, keywordWindow, DEFAULT_INFLATE_RATIO,
                DEFAULT_MAX_CHUNK_SIZE);
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /**
     * Default bounds with the secret of the file named by {@code VIGIE_SITE_SECRET} or the system property
     * {@code vigie.site.secret} ({@link SiteSecret#configured()}), else a
     * fresh per-run secret, and the settings file named by the system property {@code vigie.dlp.config} or the
     * environment variable {@code VIGIE_DLP_CONFIG} when one is set. A set but unreadable or invalid file is an
     * error (naming the file and the problem), never a silent fallback.
     */
    public static DlpConfig standard() {
        Path file = SiteSecret.configured();
        DlpConfig base;
        if (file == null) {
            base = perRun();
        } else {
            try {
                base = new DlpConfig(DEFAULT_BYTES_PER_DIRECTION, SiteSecret.read(file), DEFAULT_HASHES_PER_FLOW);
            } catch (IOException e) {
                throw new IllegalArgumentException(SiteSecret.configuredBy() + ": " + e.getMessage(), e);
            }
        }
        String settings = System.getProperty(CONFIG_PROPERTY);
        if (settings == null || settings.isBlank()) {
            settings = System.getenv(CONFIG_ENV);
        }
        return settings == null || settings.isBlank() ? base : base.withSettings(Path.of(settings));
    }

    /**
     * The one-line warning a command prints when the standard pipeline will key its hashes with a per-run secret
     * (no {@code VIGIE_SITE_SECRET}), or null when a site secret is configured.
     */
    public static String missingSecretWarning() {
        if (SiteSecret.configured() != null) {
            return null;
        }
        return "warning: " + SiteSecret.ENV + " is not set: DLP hashes use a per-run key and will not match other runs "
                + "or sensors (vigie site init DIR, then export " + SiteSecret.ENV + "=DIR/site.secret)";
    }

    /** Default bounds with a fresh random 32-byte secret (hashes do not correlate across runs). */
    public static DlpConfig perRun() {
        byte[] s = new byte[32];
        new SecureRandom().nextBytes(s);
        return new DlpConfig(DEFAULT_BYTES_PER_DIRECTION, s, DEFAULT_HASHES_PER_FLOW);
    }

    /** The keys a settings file may hold; anything else is a typo and refused. */
    static final List<String> KEYS = List.of("bytes_per_direction", "hashes_per_flow", "keyword_window",
            "inflate_ratio", "max_chunk_size",
            "ipp.prefix", "ipp.length", "ipp.years", "ipp.check", "ipp.keywords",
            "iep.prefix", "iep.length", "iep.years", "iep.check", "iep.keywords");

    /**
     * This configuration with the settings of a small {@code key = value} file (docs/dlp.md): {@code #} comments,
     * one setting a line, keys from {@link #KEYS}; keys not given keep this configuration's value. Every problem
     * is an {@link IllegalArgumentException} whose one-line message names the file, the line and the problem.
     */
    public DlpConfig withSettings(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read DLP settings (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        int bytes = maxBytesPerDirection, hashes = maxHashesPerFlow, window = keywordWindow, ratio = inflateRatio;
        long chunk = maxChunkSize;
        String[] prefix = {ipp.prefix(), iep.prefix()};
        int[] length = {ipp.length(), iep.length()};
        int[][] years = {{ipp.yearLo(), ipp.yearHi()}, {iep.yearLo(), iep.yearHi()}};
        IdPattern.Check[] check = {ipp.check(), iep.check()};
        List<List<String>> keywords = new ArrayList<>(List.of(ipp.keywords(), iep.keywords()));
        Set<String> seen = new HashSet<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            int colon = line.indexOf(':');
            int cut = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            if (cut <= 0) {
                throw bad(file, n, "expected key = value");
            }
            String key = line.substring(0, cut).strip().toLowerCase(java.util.Locale.ROOT);
            String value = line.substring(cut + 1).strip();
            if (!KEYS.contains(key)) {
                throw bad(file, n, "unknown key '" + oneLine(key) + "' (known: " + String.join(", ", KEYS) + ")");
            }
            if (!seen.add(key)) {
                throw bad(file, n, "'" + key + "' given twice");
            }
            int k = key.startsWith("iep.") ? 1 : 0;
            try {
                switch (key) {
                    case "bytes_per_direction" -> bytes = integer(value);
                    case "hashes_per_flow" -> hashes = integer(value);
                    case "keyword_window" -> window = integer(value);
                    case "inflate_ratio" -> ratio = integer(value);
                    case "max_chunk_size" -> chunk = integer(value);
                    case "ipp.prefix", "iep.prefix" -> prefix[k] = value.equalsIgnoreCase("none") ? "" : value;
                    case "ipp.length", "iep.length" -> length[k] = integer(value);
                    case "ipp.years", "iep.years" -> years[k] = IdPattern.parseYears(value);
                    case "ipp.check", "iep.check" -> check[k] = check(value);
                    case "ipp.keywords", "iep.keywords" -> keywords.set(k, Arrays.stream(value.split(","))
                            .map(String::strip).filter(s -> !s.isEmpty()).toList());
                    default -> throw new IllegalStateException(key);
                }
            } catch (IllegalArgumentException e) {
                throw bad(file, n, key + ": " + e.getMessage());
            }
        }
        // patterns are checked whole, once every line is read: their keys may come in any order
        IdPattern[] p = new IdPattern[2];
        for (int k = 0; k < 2; k++) {
            try {
                p[k] = new IdPattern(prefix[k], length[k], years[k][0], years[k][1], check[k], keywords.get(k));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + (k == 0 ? "ipp" : "iep") + ": " + oneLine(e.getMessage()));
            }
        }
        try {
            return new DlpConfig(bytes, secret, hashes, p[0], p[1], window, ratio, chunk);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + oneLine(e.getMessage()));
        }
    }

    private static int integer(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer: '" + oneLine(v) + "'");
        }
    }

    private static IdPattern.Check check(String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> IdPattern.Check.NONE;
            case "luhn" -> IdPattern.Check.LUHN;
            case "mod97" -> IdPattern.Check.MOD97;
            default -> throw new IllegalArgumentException("check must be none, luhn or mod97, got '" + oneLine(v) + "'");
        };
    }

    private static IllegalArgumentException bad(Path file, int line, String problem) {
        return new IllegalArgumentException(file + ":" + line + ": " + oneLine(problem));
    }

    /** A value echoed in an error stays on one line and short (a settings file never holds identifiers). */
    private static String oneLine(String s) {
        String t = s.replaceAll("[\\r\\n\\t]+", " ");
        return t.length() > 80 ? t.substring(0, 80) + "..." : t;
    }
}
