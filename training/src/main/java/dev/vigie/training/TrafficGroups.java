package dev.vigie.training;

import java.util.List;

/**
 * Which flows get their own models. A flow's group key is its service, {@code proto/resp_p} (for example
 * {@code tcp/443}, {@code udp/53}; for ICMP the port is the message type by the Community ID convention): flows
 * of one service behave alike, and a model per busy service sees a much tighter normal than one model of
 * everything. Services with at least {@code minRows} training rows get models; all other flows, and any service
 * first seen after training, are scored by the site-wide group {@link #SITE_WIDE}.
 *
 * @param rule    how the key is made; only {@code service} exists
 * @param minRows rows a service needed to get its own models
 * @param groups  the services that got models, most rows first
 */
public record TrafficGroups(String rule, int minRows, List<String> groups) {
    public static final String SITE_WIDE = "all";
    public static final String SERVICE_RULE = "service";

    public TrafficGroups {
        if (!SERVICE_RULE.equals(rule)) {
            throw new IllegalArgumentException("unknown grouping rule " + rule);
        }
        groups = List.copyOf(groups);
    }

    public static String key(String proto, int respPort) {
        return proto + "/" + respPort;
    }

    /** The group whose models score a flow of this service. */
    public String groupOf(String proto, int respPort) {
        String k = key(proto, respPort);
        return groups.contains(k) ? k : SITE_WIDE;
    }

    /** A file-name-safe form of a group name ({@code tcp/443} → {@code tcp_443}). */
    public static String fileSafe(String group) {
        return group.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
