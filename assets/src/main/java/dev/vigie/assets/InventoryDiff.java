package dev.vigie.assets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between a reference inventory and a current one: assets new in the current one, gone from it, and
 * changed (addresses, names, role, operating system, vendor, services answered, scanning, indicators). Assets are
 * matched by MAC, else by address ({@link Inventory#find}).
 */
public record InventoryDiff(List<AssetRecord> added, List<AssetRecord> gone, List<Change> changed) {

    /** One matched asset and what differs, each as a short "field: before -> after" text. */
    public record Change(AssetRecord before, AssetRecord after, List<String> what) {}

    public static InventoryDiff between(Inventory reference, Inventory current) {
        List<AssetRecord> added = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        Set<AssetRecord> matched = new HashSet<>();
        for (AssetRecord cur : current.records()) {
            AssetRecord ref = reference.find(cur);
            if (ref == null) {
                added.add(cur);
                continue;
            }
            matched.add(ref);
            List<String> what = differences(ref, cur);
            if (!what.isEmpty()) changed.add(new Change(ref, cur, what));
        }
        List<AssetRecord> gone = new ArrayList<>();
        for (AssetRecord ref : reference.records()) {
            if (!matched.contains(ref)) gone.add(ref);
        }
        return new InventoryDiff(added, gone, changed);
    }

    static List<String> differences(AssetRecord ref, AssetRecord cur) {
        List<String> d = new ArrayList<>();
        List<String> newIps = minus(cur.ips(), ref.ips());
        if (!newIps.isEmpty() && !ref.ips().isEmpty()) d.add("address: " + String.join(" ", ref.ips()) + " -> +" + String.join(" +", newIps));
        if (ref.mac() != null && cur.mac() != null && !ref.mac().equals(cur.mac())) d.add("mac: " + ref.mac() + " -> " + cur.mac());
        List<String> refNames = names(ref), curNames = names(cur);
        List<String> newNames = minus(curNames, refNames);
        if (!newNames.isEmpty() && !refNames.isEmpty()) d.add("hostname: " + String.join(" ", refNames) + " -> +" + String.join(" +", newNames));
        if (known(ref.deviceClass()) && known(cur.deviceClass()) && !ref.deviceClass().equals(cur.deviceClass())) {
            d.add("role: " + ref.deviceClass() + " -> " + cur.deviceClass() + " (" + cur.roleReasons() + ")");
        }
        if (ref.osFamily() != null && cur.osFamily() != null && !ref.osFamily().equals(cur.osFamily())) {
            d.add("os: " + ref.osFamily() + " -> " + cur.osFamily());
        }
        List<String> newServices = minus(cur.services(), ref.services());
        if (!newServices.isEmpty() && (ref.source().equals(AssetRecord.OBSERVED) || !ref.services().isEmpty())) {
            d.add("services: +" + String.join(" +", newServices));
        }
        if (cur.scanner() && !ref.scanner()) d.add("scanning: started");
        List<String> newIndicators = minus(cur.indicators(), ref.indicators());
        if (!newIndicators.isEmpty()) d.add("indicators: +" + String.join(" +", newIndicators));
        return d;
    }

    private static boolean known(String role) {
        return role != null && !role.equals("unknown");
    }

    private static List<String> names(AssetRecord r) {
        List<String> out = new ArrayList<>();
        for (String h : r.hostnames()) {
            int p = h.indexOf(" (");
            String n = p > 0 ? h.substring(0, p) : h;
            if (!out.contains(n)) out.add(n);
        }
        if (out.isEmpty() && r.hostname() != null) out.add(r.hostname());
        return out;
    }

    private static List<String> minus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>();
        for (String x : a) if (!b.contains(x) && !out.contains(x) && !Objects.equals(x, "")) out.add(x);
        return out;
    }
}
