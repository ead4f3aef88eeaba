package dev.vigie.cli;

import dev.vigie.assets.AssetRecord;
import dev.vigie.assets.InventoryDiff;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The inventory as a terminal table: new and changed assets first when there is a reference. */
final class AssetTable {
    private AssetTable() {}

    private static final int DEFAULT_ROWS = 60;

    static void print(PrintWriter out, List<AssetRecord> records, InventoryDiff diff, boolean all) {
        Map<String, String> status = new HashMap<>();
        List<AssetRecord> order = new ArrayList<>();
        if (diff != null) {
            for (AssetRecord a : diff.added()) {
                status.put(a.assetId(), "NEW");
                order.add(a);
            }
            for (InventoryDiff.Change c : diff.changed()) {
                status.put(c.after().assetId(), "changed");
                order.add(c.after());
            }
        }
        for (AssetRecord a : records) if (!status.containsKey(a.assetId())) order.add(a);
        out.printf("%-7s %-22s %-15s %-22s %-16s %-26s %-15s %s%n", "status", "asset", "ip", "vendor", "hostname",
                "os (confidence)", "role", "services / indicators");
        int n = 0;
        for (AssetRecord a : order) {
            if (!all && n++ >= DEFAULT_ROWS) {
                out.println("... " + (order.size() - DEFAULT_ROWS) + " more (--all, or vigie sql -c \"SELECT * FROM assets\")");
                break;
            }
            out.printf("%-7s %-22s %-15s %-22s %-16s %-26s %-15s %s%n", status.getOrDefault(a.assetId(), ""),
                    cut(a.assetId(), 22), cut(a.ip(), 15), cut(a.vendor(), 22), cut(a.hostname(), 16), cut(os(a), 26),
                    cut(a.deviceClass(), 15), details(a));
        }
    }

    static String os(AssetRecord a) {
        if (a.osFamily() == null) return "-";
        return (a.osDetail() != null ? a.osDetail() : a.osFamily()) + String.format(" (%.2f)", a.osConfidence());
    }

    private static String details(AssetRecord a) {
        List<String> parts = new ArrayList<>();
        if (!a.services().isEmpty()) parts.add(String.join(", ", a.services().subList(0, Math.min(3, a.services().size())))
                + (a.services().size() > 3 ? ", +" + (a.services().size() - 3) : ""));
        if (!a.indicators().isEmpty()) parts.add("! " + String.join("; ", a.indicators()));
        return parts.isEmpty() ? "" : String.join("  ", parts);
    }

    static String oneLine(AssetRecord a) {
        return a.assetId() + "  " + (a.ip() == null ? "-" : a.ip()) + "  " + (a.vendor() == null ? "-" : a.vendor())
                + "  " + (a.hostname() == null ? "-" : a.hostname()) + "  " + os(a) + "  "
                + (a.deviceClass() == null ? "-" : a.deviceClass());
    }

    private static String cut(String s, int n) {
        if (s == null) return "-";
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
