package dev.vigie.training.features;

import java.util.ArrayList;
import java.util.List;

/**
 * The flow-record columns training may use, with the family that decides their transform. Identity columns
 * (addresses, ports, times, ids) are left out on purpose: a model that learns addresses learns the site's
 * inventory, not behaviour, and profiles handle "who talks to whom". Near-duplicates (ip_bytes next to payload
 * bytes, per-direction minima) are left out too: every extra column dilutes an isolation forest's random splits.
 */
public final class FeatureCatalog {
    /** What a column measures; heavy-tailed families get log1p. */
    public enum Family { COUNT, BYTES, SECONDS, RATE, LEVEL }

    public record Candidate(String column, Family family) {}

    /** Categorical columns turned into indicators for these values (the ones that tell scans and refusals apart). */
    public record Indicator(String column, String category) {}

    private FeatureCatalog() {}

    public static List<Candidate> numeric() {
        List<Candidate> c = new ArrayList<>();
        c.add(new Candidate("duration", Family.SECONDS));
        for (String d : List.of("orig", "resp")) {
            c.add(new Candidate(d + "_pkts", Family.COUNT));
            c.add(new Candidate(d + "_bytes", Family.BYTES));
            c.add(new Candidate(d + "_payload_max", Family.BYTES));
            c.add(new Candidate(d + "_payload_mean", Family.BYTES));
            c.add(new Candidate(d + "_payload_std", Family.BYTES));
            c.add(new Candidate(d + "_iat_mean", Family.SECONDS));
            c.add(new Candidate(d + "_iat_max", Family.SECONDS));
            c.add(new Candidate(d + "_syn", Family.COUNT));
            c.add(new Candidate(d + "_fin", Family.COUNT));
            c.add(new Candidate(d + "_rst", Family.COUNT));
            c.add(new Candidate(d + "_psh", Family.COUNT));
            c.add(new Candidate(d + "_retrans", Family.COUNT));
            c.add(new Candidate(d + "_init_win", Family.LEVEL));
            c.add(new Candidate(d + "_ttl_first", Family.LEVEL));
        }
        c.add(new Candidate("iat_std", Family.SECONDS));
        c.add(new Candidate("bytes_per_s", Family.RATE));
        c.add(new Candidate("pkts_per_s", Family.RATE));
        c.add(new Candidate("active_periods", Family.COUNT));
        c.add(new Candidate("idle_periods", Family.COUNT));
        c.add(new Candidate("idle_max", Family.SECONDS));
        c.add(new Candidate("fragments", Family.COUNT));
        return List.copyOf(c);
    }

    public static List<Indicator> indicators() {
        List<Indicator> c = new ArrayList<>();
        for (String p : List.of("tcp", "udp", "icmp", "icmpv6")) {
            c.add(new Indicator("proto", p));
        }
        for (String s : List.of("S0", "S1", "SF", "REJ", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH")) {
            c.add(new Indicator("conn_state", s));
        }
        return List.copyOf(c);
    }

    public static List<String> numericColumns() {
        return numeric().stream().map(Candidate::column).toList();
    }
}
