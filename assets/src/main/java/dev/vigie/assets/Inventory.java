package dev.vigie.assets;

import dev.vigie.io.BatchOutput;
import dev.vigie.schema.Column;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A set of asset records, indexed by MAC and by address: a reference inventory (learned by {@code vigie assets}
 * over a training window, or imported from a CMDB CSV) or the current one. Reads and writes {@code assets.parquet}
 * ({@link AssetSchema}); reads the CMDB CSV format of docs/assets.md.
 */
public final class Inventory {
    private final List<AssetRecord> records;
    private final Map<String, AssetRecord> byMac = new HashMap<>();
    private final Map<String, AssetRecord> byIp = new HashMap<>();
    private final String origin;

    /** A file that is not an inventory, with the reason (one line). */
    public static final class InvalidInventory extends Exception {
        public InvalidInventory(String message) {
            super(message);
        }
    }

    public Inventory(List<AssetRecord> records, String origin) {
        this.records = List.copyOf(records);
        this.origin = origin;
        for (AssetRecord r : this.records) {
            if (r.mac() != null) byMac.putIfAbsent(r.mac(), r);
            for (String ip : r.ips()) byIp.putIfAbsent(ip, r);
            if (r.ip() != null) byIp.putIfAbsent(r.ip(), r);
        }
    }

    /** The same records under another name (where they came from, for messages and alert evidence). */
    public Inventory renamed(String newOrigin) {
        return new Inventory(records, newOrigin);
    }

    public List<AssetRecord> records() {
        return records;
    }

    /** "FILE (N assets)". */
    public String describe() {
        return origin + " (" + records.size() + " assets)";
    }

    /** The reference row of {@code a}: same MAC, else (no MAC on either side) same address. */
    public AssetRecord find(AssetRecord a) {
        if (a.mac() != null) {
            AssetRecord r = byMac.get(a.mac());
            if (r != null) return r;
            // a CMDB may list an address without its MAC; an address-keyed row only matches by address
            if (a.ip() != null) {
                AssetRecord byAddr = byIp.get(a.ip());
                if (byAddr != null && byAddr.mac() == null) return byAddr;
            }
            return null;
        }
        return a.ip() == null ? null : byIp.get(a.ip());
    }

    /**
     * The reference row of the asset with this inventory id: a MAC id matches by MAC (or a MAC-less row of its
     * address is not known here: {@link #find} handles that case); {@code ip:ADDRESS} by address.
     */
    public AssetRecord byId(String assetId) {
        if (assetId.startsWith("ip:")) return byIp.get(assetId.substring(3));
        return byMac.get(assetId);
    }

    public AssetRecord byIp(String ip) {
        return byIp.get(ip);
    }

    // ------------------------------------------------------------------------------------------------ files

    /** Writes {@code records} as Parquet, atomically (temporary file, then rename). */
    public static void writeParquet(List<AssetRecord> records, Path out, BufferAllocator allocator) throws IOException {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(AssetSchema.SCHEMA.arrowSchema(), allocator);
             BatchOutput file = BatchOutput.open("parquet", out, AssetSchema.SCHEMA.arrowSchema(), allocator)) {
            List<Column<AssetRecord>> cols = AssetSchema.SCHEMA.columns();
            FieldVector[] vectors = root.getFieldVectors().toArray(new FieldVector[0]);
            int batch = 4096;
            for (int from = 0; from < records.size() || (from == 0 && records.isEmpty()); from += batch) {
                for (FieldVector v : vectors) v.reset();
                int n = Math.min(batch, records.size() - from);
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < vectors.length; c++) cols.get(c).filler().fill(vectors[c], i, records.get(from + i));
                }
                root.setRowCount(n);
                file.write(root);
                if (records.isEmpty()) break;
            }
            file.commit();
        }
    }

    /** Reads an inventory: {@code .parquet} as written by {@link #writeParquet}, {@code .csv} as a CMDB export. */
    public static Inventory load(Path file) throws InvalidInventory, IOException {
        if (!Files.isRegularFile(file)) throw new InvalidInventory(file + ": no such file");
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) return new Inventory(Cmdb.read(file), file.toString());
        if (!name.endsWith(".parquet")) throw new InvalidInventory(file + ": not an inventory (expected .parquet from vigie assets, or a CMDB .csv)");
        return new Inventory(readParquet(file), file.toString());
    }

    private static List<AssetRecord> readParquet(Path file) throws InvalidInventory {
        List<AssetRecord> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            String path = file.toAbsolutePath().toString().replace("'", "''");
            try (ResultSet rs = s.executeQuery("SELECT * EXCLUDE (first_seen, last_seen), epoch_ns(first_seen) AS first_ns,"
                    + " epoch_ns(last_seen) AS last_ns FROM read_parquet('" + path + "')")) {
                java.sql.ResultSetMetaData md = rs.getMetaData();
                java.util.Set<String> have = new java.util.HashSet<>();
                for (int i = 1; i <= md.getColumnCount(); i++) have.add(md.getColumnName(i));
                for (String required : List.of("asset_id", "mac", "ip", "device_class")) {
                    if (!have.contains(required)) throw new InvalidInventory(file + ": not an asset inventory (no column " + required + ")");
                }
                while (rs.next()) {
                    out.add(new AssetRecord(rs.getString("asset_id"), rs.getString("mac"), rs.getString("vendor"),
                            rs.getString("ip"), split(rs.getString("ips")), split(rs.getString("other_macs")),
                            rs.getString("hostname"), split(rs.getString("hostnames")), ns(rs, "first_ns"),
                            ns(rs, "last_ns"), rs.getString("os_family"), rs.getString("os_detail"),
                            dbl(rs, "os_confidence"), rs.getString("os_reasons"), rs.getString("device_class"),
                            rs.getString("role_reasons"), split(rs.getString("services")), split(rs.getString("protocols")),
                            split(rs.getString("hl7_types")), split(rs.getString("dicom_ae")), rs.getInt("peers"),
                            split(rs.getString("peer_list")), rs.getBoolean("peer_list_complete"), rs.getLong("flows"),
                            rs.getLong("flows_orig"), rs.getLong("flows_resp"), rs.getLong("bytes_out"),
                            rs.getLong("bytes_in"), rs.getBoolean("scanner"), split(rs.getString("indicators")),
                            rs.getString("dhcp_fingerprint"), rs.getString("dhcp_vendor_class"),
                            rs.getObject("ttl_initial") == null ? -1 : rs.getInt("ttl_initial"),
                            rs.getString("syn_signature"), rs.getString("source"),
                            have.contains("status") ? rs.getString("status") : null,
                            have.contains("changes") ? split(rs.getString("changes"), ";") : List.of()));
                }
            }
        } catch (SQLException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidInventory(file + ": cannot read as an asset inventory: " + m);
        }
        return out;
    }

    private static double dbl(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() || Double.isNaN(v) ? 0 : v;
    }

    private static long ns(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? Long.MIN_VALUE : v;
    }

    static List<String> split(String s) {
        return split(s, ",");
    }

    static List<String> split(String s, String separator) {
        if (s == null || s.isBlank()) return List.of();
        return Arrays.stream(s.split(java.util.regex.Pattern.quote(separator))).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /**
     * {@code current} with each record's status against {@code reference}: new, changed (with what changed) or
     * known; unchanged records when there is no reference.
     */
    public static List<AssetRecord> annotate(List<AssetRecord> current, Inventory reference) {
        if (reference == null) return current;
        List<AssetRecord> out = new ArrayList<>(current.size());
        for (AssetRecord a : current) {
            AssetRecord ref = reference.find(a);
            if (ref == null) {
                out.add(a.withStatus(AssetRecord.NEW, List.of()));
            } else {
                List<String> what = InventoryDiff.differences(ref, a);
                out.add(a.withStatus(what.isEmpty() ? AssetRecord.KNOWN : AssetRecord.CHANGED, what));
            }
        }
        return out;
    }

    /** The CMDB CSV reader (docs/assets.md): a header row, columns by name, {@code mac} or {@code ip} required. */
    static final class Cmdb {
        private Cmdb() {}

        static final List<String> COLUMNS = List.of("mac", "ip", "hostname", "device_class", "os", "vendor", "services",
                "owner", "location", "notes");

        static List<AssetRecord> read(Path file) throws IOException, InvalidInventory {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) throw new InvalidInventory(file + ": empty CMDB file (a header row is required)");
            String first = lines.get(0);
            if (first.startsWith("\uFEFF")) first = first.substring(1);
            char sep = first.indexOf(';') >= 0 && first.indexOf(',') < 0 ? ';' : ',';
            List<String> header = fields(first, sep, file, 1).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
            Map<String, Integer> at = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i).equals("role") ? "device_class" : header.get(i).equals("os_family") ? "os" : header.get(i);
                if (!COLUMNS.contains(h)) throw new InvalidInventory(file + ":1: unknown column '" + header.get(i) + "' (known: " + String.join(", ", COLUMNS) + ", role, os_family)");
                at.put(h, i);
            }
            if (!at.containsKey("mac") && !at.containsKey("ip")) throw new InvalidInventory(file + ":1: a CMDB needs a mac or an ip column");
            List<AssetRecord> out = new ArrayList<>();
            for (int n = 1; n < lines.size(); n++) {
                String line = lines.get(n);
                if (line.isBlank() || line.startsWith("#")) continue;
                List<String> f = fields(line, sep, file, n + 1);
                String mac = value(f, at, "mac"), ip = value(f, at, "ip");
                if (mac != null) {
                    long m = OuiTable.parseMac(mac);
                    if (m < 0) throw new InvalidInventory(file + ":" + (n + 1) + ": '" + mac + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
                    mac = dev.vigie.features.IpText.mac(m);
                }
                if (ip != null && Addresses.ipv4(ip) == 0 && !ip.contains(":")) throw new InvalidInventory(file + ":" + (n + 1) + ": '" + ip + "' is not an IP address");
                if (mac == null && ip == null) throw new InvalidInventory(file + ":" + (n + 1) + ": a row needs a mac or an ip");
                String vendor = value(f, at, "vendor");
                if (vendor == null && mac != null) vendor = OuiTable.standard().vendor(OuiTable.parseMac(mac));
                String services = value(f, at, "services");
                out.add(AssetRecord.declared(mac, ip, value(f, at, "hostname"), vendor, value(f, at, "device_class"),
                        value(f, at, "os"), services == null ? List.of() : Arrays.stream(services.split("[;|]")).map(String::trim).filter(s -> !s.isEmpty()).toList()));
            }
            return out;
        }

        private static String value(List<String> f, Map<String, Integer> at, String col) {
            Integer i = at.get(col);
            if (i == null || i >= f.size()) return null;
            String v = f.get(i).trim();
            return v.isEmpty() ? null : v;
        }

        /** One CSV line: separators, double quotes with "" escapes. */
        static List<String> fields(String line, char sep, Path file, int lineNo) throws InvalidInventory {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"') {
                        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            cur.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        cur.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == sep) {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(ch);
                }
            }
            if (quoted) throw new InvalidInventory(file + ":" + lineNo + ": unterminated quote");
            out.add(cur.toString());
            return out;
        }
    }
}
