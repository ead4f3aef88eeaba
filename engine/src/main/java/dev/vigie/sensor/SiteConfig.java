package dev.vigie.sensor;

import dev.vigie.rules.lists.IpSet;
import dev.vigie.rules.lists.SiteZones;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What the sensor knows of its site (docs/site-config.md): its name, which the bundle must have been trained for,
 * and its networks, which give every address a zone: {@code internal}, {@code partner:<name>} (an allowed outside
 * party) or {@code external}. Explicit {@code external} blocks win over the others, so a documented "outside" range
 * inside an internal /16 is still outside. Without a file: no site check, internal = RFC 1918, CGNAT, RFC 4193
 * (ULA), loopback and link-local ({@link SiteZones#DEFAULT}).
 */
public final class SiteConfig {
    public static final String INTERNAL = SiteZones.INTERNAL;
    public static final String EXTERNAL = SiteZones.EXTERNAL;

    private final String site;
    private final SiteZones zones;

    private SiteConfig(String site, SiteZones zones) {
        this.site = site;
        this.zones = zones;
    }

    public static SiteConfig defaults() {
        return new SiteConfig(null, SiteZones.DEFAULT);
    }

    /** The networks' zones, as the rules see them. */
    public SiteZones zones() {
        return zones;
    }

    /** The site the bundle must be for, or null (no file). */
    public String site() {
        return site;
    }

    public String zone(String address) {
        return address == null || address.isEmpty() ? null : zones.zone(address);
    }

    /** A file that cannot be used: the problem with its line. */
    public static final class InvalidFile extends Exception {
        InvalidFile(Path file, int line, String problem) {
            super(file + ":" + line + ": " + problem);
        }
    }

    public static SiteConfig load(Path file) throws InvalidFile {
        String text;
        try {
            if (Files.size(file) > 1 << 20) {
                throw new InvalidFile(file, 1, "file is larger than 1 MiB");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidFile(file, 1, "cannot read: " + e.getMessage());
        }
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(10);
        opts.setNestingDepthLimit(10);
        Node root;
        try {
            root = new Yaml(opts).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new InvalidFile(file, m == null ? 1 : m.getLine() + 1, "malformed YAML: " + e.getProblem());
        } catch (YAMLException | IllegalArgumentException | IllegalStateException | StackOverflowError e) {
            throw new InvalidFile(file, 1, "malformed YAML");
        }
        if (!(root instanceof MappingNode top)) {
            throw new InvalidFile(file, 1, "expected a mapping with 'site' and 'networks'");
        }
        String site = null;
        IpSet internal = null;
        IpSet external = IpSet.EMPTY;
        Map<String, IpSet> partners = new LinkedHashMap<>();
        for (NodeTuple t : top.getValue()) {
            String k = scalar(t.getKeyNode());
            Node v = t.getValueNode();
            if ("site".equals(k)) {
                site = scalar(v);
                if (site == null || !site.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                    throw new InvalidFile(file, line(v), "'site' must be letters, digits, '.', '_' or '-' (at most 64)");
                }
            } else if ("networks".equals(k)) {
                if (!(v instanceof MappingNode nets)) {
                    throw new InvalidFile(file, line(v), "'networks' must be a mapping (internal, external, partners)");
                }
                for (NodeTuple n : nets.getValue()) {
                    String nk = scalar(n.getKeyNode());
                    switch (nk == null ? "" : nk) {
                        case "internal" -> internal = blocks(file, n.getValueNode(), "internal");
                        case "external" -> external = blocks(file, n.getValueNode(), "external");
                        case "partners" -> {
                            if (!(n.getValueNode() instanceof MappingNode pm)) {
                                throw new InvalidFile(file, line(n.getValueNode()), "'partners' must map a name to a list of blocks");
                            }
                            for (NodeTuple p : pm.getValue()) {
                                String name = scalar(p.getKeyNode());
                                if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                                    throw new InvalidFile(file, line(p.getKeyNode()), "a partner name must be letters, digits, '.', '_' or '-'");
                                }
                                partners.put(name, blocks(file, p.getValueNode(), "partner " + name));
                            }
                        }
                        default -> throw new InvalidFile(file, line(n.getKeyNode()),
                                "unknown key '" + nk + "' under networks (internal, external, partners)");
                    }
                }
            } else {
                throw new InvalidFile(file, line(t.getKeyNode()), "unknown key '" + k + "' (site, networks)");
            }
        }
        if (internal == null) {
            internal = SiteZones.blocks(SiteZones.DEFAULT_INTERNAL);
        }
        return new SiteConfig(site, new SiteZones(internal, external, partners));
    }

    private static IpSet blocks(Path file, Node n, String what) throws InvalidFile {
        if (!(n instanceof SequenceNode seq)) {
            throw new InvalidFile(file, line(n), "'" + what + "' must be a list of addresses or blocks (10.0.0.0/8)");
        }
        IpSet.Builder b = new IpSet.Builder();
        List<String> bad = new ArrayList<>();
        for (Node e : seq.getValue()) {
            String s = scalar(e);
            if (s == null || !b.add(s)) {
                throw new InvalidFile(file, line(e), "not an address or block in '" + what + "': " + s);
            }
        }
        return b.build();
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    private static int line(Node n) {
        return n == null || n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }
}
