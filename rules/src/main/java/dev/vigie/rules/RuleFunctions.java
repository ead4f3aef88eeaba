package dev.vigie.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelFunctionBinding;
import dev.vigie.rules.lists.IpAddresses;
import dev.vigie.rules.lists.IpSet;
import dev.vigie.rules.lists.ListRegistry;
import dev.vigie.rules.lists.NamedList;
import dev.vigie.rules.lists.SiteZones;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions rule conditions may call besides CEL's standard ones. Every function is total: a null, an
 * unparsable address or an unknown list gives false (or ""), never an error, because its inputs come off the wire.
 *
 * <ul>
 *   <li>{@code in_list(ip, "name")}: the address is in the IP/CIDR entries of list {@code name}.</li>
 *   <li>{@code in_domains(host, "name")}: the name, or a name it is under, is in the name entries of the list.</li>
 *   <li>{@code cidr_match(ip, "10.0.0.0/8")}: the address is in the block (blocks are parsed once and cached).</li>
 *   <li>{@code is_private(ip)}: RFC 1918, loopback, link-local, CGNAT (100.64/10), IPv6 ULA/link-local/loopback.</li>
 *   <li>{@code zone(ip)}: the address's site zone ({@link SiteZones}: "internal", "partner:NAME", "external"; ""
 *       for no address); {@code is_internal(ip)}, {@code is_external(ip)}, {@code is_partner(ip)}: the same as
 *       tests (false for no address). Zones come from the site file (--site-config), else the private ranges.</li>
 *   <li>{@code label(host, i)}: the i-th dot-separated label (0 first; -1 last), "" when there is none.</li>
 *   <li>{@code looks_random(s)}: the {@link #looksRandom} heuristic.</li>
 *   <li>{@code matches}: CEL's own, re-bound to cache compiled patterns (RE2 syntax and linear-time matching, as
 *       the CEL spec says; CEL-Java compiles the pattern again at every call, 10 µs per flow).</li>
 * </ul>
 */
public final class RuleFunctions {
    private static final int CACHE = 256;

    private final ListRegistry lists;
    private final SiteZones zones;
    private final Map<String, IpSet> cidrs = lru();
    private final Map<String, Pattern> patterns = lru();
    private final long[] scratch = new long[2];

    public RuleFunctions(ListRegistry lists, SiteZones zones) {
        this.lists = lists;
        this.zones = zones;
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> e) {
                return size() > CACHE;
            }
        };
    }

    public static List<CelFunctionDecl> declarations() {
        var S = SimpleType.STRING;
        var N = SimpleType.NULL_TYPE;
        var B = SimpleType.BOOL;
        List<CelFunctionDecl> d = new ArrayList<>();
        for (String f : List.of("in_list", "in_domains", "cidr_match")) {
            d.add(CelFunctionDecl.newFunctionDeclaration(f,
                    CelOverloadDecl.newGlobalOverload(f + "_string", B, S, S),
                    CelOverloadDecl.newGlobalOverload(f + "_null", B, N, S)));
        }
        for (String f : List.of("is_private", "is_internal", "is_external", "is_partner", "looks_random")) {
            d.add(CelFunctionDecl.newFunctionDeclaration(f,
                    CelOverloadDecl.newGlobalOverload(f + "_string", B, S),
                    CelOverloadDecl.newGlobalOverload(f + "_null", B, N)));
        }
        d.add(CelFunctionDecl.newFunctionDeclaration("zone",
                CelOverloadDecl.newGlobalOverload("zone_string", S, S),
                CelOverloadDecl.newGlobalOverload("zone_null", S, N)));
        d.add(CelFunctionDecl.newFunctionDeclaration("label",
                CelOverloadDecl.newGlobalOverload("label_string_int", S, S, SimpleType.INT),
                CelOverloadDecl.newGlobalOverload("label_null_int", S, N, SimpleType.INT)));
        return d;
    }

    public List<CelFunctionBinding> bindings() {
        List<CelFunctionBinding> b = new ArrayList<>();
        b.add(CelFunctionBinding.from("in_list_string", String.class, String.class, this::inList));
        b.add(CelFunctionBinding.from("in_domains_string", String.class, String.class, this::inDomains));
        b.add(CelFunctionBinding.from("cidr_match_string", String.class, String.class, this::cidrMatch));
        for (String f : List.of("in_list_null", "in_domains_null", "cidr_match_null")) {
            b.add(CelFunctionBinding.from(f, NullValue.class, String.class, (x, y) -> false));
        }
        b.add(CelFunctionBinding.from("is_private_string", String.class, this::isPrivate));
        b.add(CelFunctionBinding.from("is_private_null", NullValue.class, x -> false));
        b.add(CelFunctionBinding.from("is_internal_string", String.class, this::isInternal));
        b.add(CelFunctionBinding.from("is_external_string", String.class, this::isExternal));
        b.add(CelFunctionBinding.from("is_partner_string", String.class, this::isPartner));
        for (String f : List.of("is_internal_null", "is_external_null", "is_partner_null")) {
            b.add(CelFunctionBinding.from(f, NullValue.class, x -> false));
        }
        b.add(CelFunctionBinding.from("zone_string", String.class, this::zone));
        b.add(CelFunctionBinding.from("zone_null", NullValue.class, x -> ""));
        b.add(CelFunctionBinding.from("looks_random_string", String.class, RuleFunctions::looksRandom));
        b.add(CelFunctionBinding.from("looks_random_null", NullValue.class, x -> false));
        b.add(CelFunctionBinding.from("label_string_int", String.class, Long.class, RuleFunctions::label));
        b.add(CelFunctionBinding.from("label_null_int", NullValue.class, Long.class, (x, i) -> ""));
        b.add(CelFunctionBinding.from("matches_string", String.class, String.class, this::matches));
        b.add(CelFunctionBinding.from("matches", String.class, String.class, this::matches));
        return b;
    }

    boolean inList(String ip, String list) {
        NamedList l = lists.get(list);
        return l != null && IpAddresses.parse(ip, scratch) && l.ips().contains(scratch[0], scratch[1]);
    }

    /** {@link #inList} on an address already in {@link IpAddresses} form. */
    boolean inList(long hi, long lo, String list) {
        NamedList l = lists.get(list);
        return l != null && l.ips().contains(hi, lo);
    }

    boolean inDomains(String name, String list) {
        NamedList l = lists.get(list);
        return l != null && l.domains().contains(name);
    }

    boolean cidrMatch(String ip, String cidr) {
        IpSet set = cidrs.get(cidr);
        if (set == null) {
            IpSet.Builder b = new IpSet.Builder();
            b.add(cidr); // an invalid block gives an empty set: matches nothing
            set = b.build();
            cidrs.put(cidr, set);
        }
        return IpAddresses.parse(ip, scratch) && set.contains(scratch[0], scratch[1]);
    }

    boolean isPrivate(String ip) {
        return IpAddresses.parse(ip, scratch) && SiteZones.DEFAULT.isInternal(scratch[0], scratch[1]);
    }

    boolean isInternal(String ip) {
        return IpAddresses.parse(ip, scratch) && zones.isInternal(scratch[0], scratch[1]);
    }

    boolean isExternal(String ip) {
        return IpAddresses.parse(ip, scratch) && zones.isExternal(scratch[0], scratch[1]);
    }

    boolean isPartner(String ip) {
        return IpAddresses.parse(ip, scratch) && zones.isPartner(scratch[0], scratch[1]);
    }

    String zone(String ip) {
        return IpAddresses.parse(ip, scratch) ? zones.zone(scratch[0], scratch[1]) : "";
    }

    SiteZones zones() {
        return zones;
    }

    boolean matches(String s, String regex) {
        Pattern p = patterns.get(regex);
        if (p == null) {
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                p = Pattern.compile("[^\\x00-\\x{10FFFF}]"); // matches nothing; the compiler rejects literal bad patterns
            }
            patterns.put(regex, p);
        }
        return p.matcher(s).find();
    }

    static String label(String name, long i) {
        if (name == null || name.length() > 1024) return "";
        String[] parts = name.split("\\.", -1);
        long k = i < 0 ? parts.length + i : i;
        return k < 0 || k >= parts.length ? "" : parts[(int) k];
    }

    /**
     * Whether a string looks machine-generated rather than chosen by a person, as Tor's random link host names
     * ({@code www.<8-20 base32 chars>.com}) and DGA labels do. True when the string has at least 8 characters and
     * at least two of: (a) a run of 4 or more consecutive non-vowels (digits count as non-vowels); (b) vowels
     * make less than 22% of its letters; (c) it mixes letters and digits. English-like words (wikipedia,
     * stackoverflow, facebook) meet none of these; a random base32 string of 12 characters meets two or three in
     * most draws (vowels are 5 of 32 symbols). A heuristic, not a proof: pair it with ports, lists or certificates.
     */
    public static boolean looksRandom(String s) {
        if (s == null) return false;
        int n = s.length();
        if (n < 8 || n > 253) return false;
        int letters = 0;
        int vowels = 0;
        int digits = 0;
        int run = 0;
        int maxRun = 0;
        for (int i = 0; i < n; i++) {
            char c = Character.toLowerCase(s.charAt(i));
            boolean vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
            if (c >= 'a' && c <= 'z') letters++;
            else if (c >= '0' && c <= '9') digits++;
            else if (c != '-') return false;
            if (vowel) vowels++;
            run = vowel || c == '-' ? 0 : run + 1;
            maxRun = Math.max(maxRun, run);
        }
        int points = 0;
        if (maxRun >= 4) points++;
        if (letters > 0 && vowels < 0.22 * letters) points++;
        if (letters > 0 && digits > 0) points++;
        return points >= 2;
    }
}
