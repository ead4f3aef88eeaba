package dev.vigie.training.synth;

import dev.vigie.io.ParquetOutput;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Synthetic flow records with the columns training reads, for tests and benchmarks when no real capture is at
 * hand: a small site (60 workstations, a few servers) whose flows follow per-service log-normal sizes and
 * durations, and optionally labelled attacks (port scan, exfiltration, SSH brute force, beaconing) with a
 * {@code labels.csv} in the lab dataset's format. Fully determined by the seed.
 */
public final class SyntheticFlows {
    static final long DAY_MICROS = 86_400_000_000L;
    public static final long START_MICROS = 1_735_689_600_000_000L; // 2025-01-01T00:00:00Z

    private SyntheticFlows() {}

    /** One generated flow; null-able statistics are NaN. */
    static final class Flow {
        long ts0;
        long ts1;
        String origH;
        String respH;
        String proto;
        String state;
        int origP;
        int respP;
        double duration;
        double[] dir = new double[2 * 14];
        double iatStd;
        double bytesPerS;
        double pktsPerS;
        double activePeriods;
        double idlePeriods;
        double idleMax;
        double fragments;
    }

    /** Per-direction statistics, in this order, prefixed orig_ / resp_. */
    static final String[] DIR = {"pkts", "bytes", "payload_max", "payload_mean", "payload_std", "iat_mean", "iat_max",
        "syn", "fin", "rst", "psh", "retrans", "init_win", "ttl_first"};

    record Service(String proto, int port, String server, double pkts, double pktsSig, double ob, double obSig,
                   double rb, double rbSig, double dur, double durSig, double weight) {}

    static final List<Service> SERVICES = List.of(
            new Service("tcp", 443, "web", 20, 0.8, 1500, 1.0, 30000, 1.3, 5, 1.2, 0.55),
            new Service("udp", 53, "10.1.255.53", 2, 0, 40, 0.2, 120, 0.4, 0.02, 0.5, 0.25),
            new Service("tcp", 445, "smb", 40, 1.0, 4000, 1.2, 60000, 1.5, 10, 1.0, 0.10),
            new Service("tcp", 22, "10.1.255.22", 60, 1.0, 5000, 1.0, 8000, 1.0, 120, 1.0, 0.05),
            new Service("udp", 123, "10.1.255.123", 2, 0, 48, 0, 48, 0, 0.01, 0.3, 0.05));

    /** Writes {@code rows} benign flows spread over {@code days} days. */
    public static void writeBenign(Path out, int rows, long seed, double days) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Flow> none = List.of();
        write(out, rows, i -> benign(rnd, START_MICROS + (long) (i * (days * DAY_MICROS) / rows)), none);
    }

    /**
     * Writes benign flows over {@code days} days starting after {@code offsetDays}, plus attack flows in four
     * windows, and {@code labels} describing those windows.
     */
    public static void writeMixed(Path out, Path labels, int benignRows, long seed, double offsetDays, double days)
            throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        long t0 = START_MICROS + (long) (offsetDays * DAY_MICROS);
        long span = (long) (days * DAY_MICROS);
        List<Flow> attacks = new ArrayList<>();
        List<String> windows = new ArrayList<>();
        // Port scan: one workstation probes a server's first 1000 ports; SYN, then RST or nothing.
        long s = t0 + span / 5;
        for (int p = 1; p <= 1000; p++) {
            Flow f = tiny(rnd, s + p * 20_000L, "10.1.0.66", "10.1.255.22", "tcp", 40000 + p, p,
                    rnd.nextInt(3) == 0 ? "REJ" : "S0");
            attacks.add(f);
        }
        windows.add(window("portscan", "10.1.0.66", "10.1.255.22", "tcp", s, s + 1000 * 20_000L + 1_500_000, "nmap"));
        // Exfiltration: one workstation uploads large amounts to an address nobody used.
        s = t0 + 2 * span / 5;
        for (int k = 0; k < 20; k++) {
            Flow f = benignOf(rnd, SERVICES.get(0), s + k * 30_000_000L);
            f.origH = "10.1.0.7";
            f.respH = "203.0.113.9";
            double ob = 2e7 * Math.exp(0.3 * rnd.nextGaussian());
            setDir(f, 0, "bytes", ob);
            setDir(f, 0, "pkts", Math.round(ob / 1400));
            setDir(f, 0, "payload_max", 1460);
            setDir(f, 0, "payload_mean", 1400);
            f.duration = 20 + rnd.nextDouble() * 10;
            f.ts1 = f.ts0 + (long) (f.duration * 1e6);
            derive(f);
            attacks.add(f);
        }
        windows.add(window("exfiltration", "10.1.0.7", "203.0.113.9", "tcp", s, s + 20 * 30_000_000L + 40_000_000L, "curl"));
        // SSH brute force: many short sessions with small, constant exchanges.
        s = t0 + 3 * span / 5;
        for (int k = 0; k < 300; k++) {
            Flow f = benignOf(rnd, SERVICES.get(3), s + k * 1_000_000L);
            f.origH = "10.1.0.8";
            setDir(f, 0, "pkts", 12);
            setDir(f, 1, "pkts", 10);
            setDir(f, 0, "bytes", 1100 + rnd.nextInt(40));
            setDir(f, 1, "bytes", 1500 + rnd.nextInt(40));
            f.duration = 0.8 + rnd.nextDouble() * 0.2;
            f.ts1 = f.ts0 + (long) (f.duration * 1e6);
            derive(f);
            attacks.add(f);
        }
        windows.add(window("ssh-bruteforce", "10.1.0.8", "10.1.255.22", "tcp", s, s + 300 * 1_000_000L + 2_500_000, "hydra"));
        // Beaconing on an unusual port: tiny periodic exchanges to one external address.
        s = t0 + 4 * span / 5;
        for (int k = 0; k < 60; k++) {
            Flow f = tiny(rnd, s + k * 60_000_000L, "10.1.0.9", "192.0.2.77", "tcp", 50000 + k, 8443, "SF");
            setDir(f, 0, "pkts", 6);
            setDir(f, 1, "pkts", 5);
            setDir(f, 0, "bytes", 310);
            setDir(f, 1, "bytes", 90);
            f.duration = 0.3;
            f.ts1 = f.ts0 + 300_000;
            derive(f);
            attacks.add(f);
        }
        windows.add(window("beacon", "10.1.0.9", "192.0.2.77", "tcp", s, s + 60 * 60_000_000L + 1_500_000, "custom"));

        write(out, benignRows, i -> benign(rnd, t0 + (long) (i * (double) span / benignRows)), attacks);
        try (Writer w = Files.newBufferedWriter(labels, StandardCharsets.UTF_8)) {
            w.write("scenario,attacker_ip,attacker_mac,victim_ips,protocol,dst_ports,start_epoch,end_epoch,start_utc,"
                    + "end_utc,tool,tool_version,description\n");
            for (String line : windows) {
                w.write(line);
            }
        }
    }

    static String window(String scenario, String attacker, String victim, String proto, long s, long e, String tool) {
        return String.format(Locale.ROOT, "%s,%s,,%s,%s,,%.6f,%.6f,%s,%s,%s,,synthetic%n", scenario, attacker, victim,
                proto, s / 1e6, e / 1e6, iso(s), iso(e), tool);
    }

    static String iso(long micros) {
        return java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS).toString();
    }

    static Flow benign(SplittableRandom rnd, long ts) {
        double u = rnd.nextDouble();
        Service svc = SERVICES.get(SERVICES.size() - 1);
        double acc = 0;
        for (Service sv : SERVICES) {
            acc += sv.weight();
            if (u < acc) {
                svc = sv;
                break;
            }
        }
        return benignOf(rnd, svc, ts);
    }

    static Flow benignOf(SplittableRandom rnd, Service svc, long ts) {
        Flow f = new Flow();
        f.ts0 = ts;
        f.origH = "10.1.0." + (1 + rnd.nextInt(60));
        f.respH = switch (svc.server()) {
            case "web" -> "198.51.100." + (1 + rnd.nextInt(30));
            case "smb" -> "10.1.255." + (1 + rnd.nextInt(3));
            default -> svc.server();
        };
        f.proto = svc.proto();
        f.origP = 32768 + rnd.nextInt(28000);
        f.respP = svc.port();
        f.state = rnd.nextInt(100) == 0 && svc.proto().equals("tcp") ? "RSTO" : "SF";
        double pk = Math.max(2, Math.round(svc.pkts() * Math.exp(svc.pktsSig() * rnd.nextGaussian())));
        setDir(f, 0, "pkts", Math.max(1, Math.round(pk / 2)));
        setDir(f, 1, "pkts", Math.max(1, pk - Math.round(pk / 2)));
        setDir(f, 0, "bytes", Math.round(svc.ob() * Math.exp(svc.obSig() * rnd.nextGaussian())));
        setDir(f, 1, "bytes", Math.round(svc.rb() * Math.exp(svc.rbSig() * rnd.nextGaussian())));
        f.duration = svc.dur() * Math.exp(svc.durSig() * rnd.nextGaussian());
        f.ts1 = ts + (long) (f.duration * 1e6);
        setDir(f, 0, "ttl_first", 64);
        setDir(f, 1, "ttl_first", svc.server().equals("web") ? 52 + rnd.nextInt(8) : 64);
        boolean tcp = svc.proto().equals("tcp");
        setDir(f, 0, "init_win", tcp ? 64240 : Double.NaN);
        setDir(f, 1, "init_win", tcp ? 65160 : Double.NaN);
        setDir(f, 0, "retrans", tcp && rnd.nextInt(20) == 0 ? 1 + rnd.nextInt(3) : 0);
        setDir(f, 1, "retrans", tcp && rnd.nextInt(20) == 0 ? 1 + rnd.nextInt(3) : 0);
        if (f.state.equals("RSTO")) {
            setDir(f, 0, "rst", 1);
        }
        derive(f);
        return f;
    }

    static Flow tiny(SplittableRandom rnd, long ts, String orig, String resp, String proto, int sport, int dport, String state) {
        Flow f = new Flow();
        f.ts0 = ts;
        f.origH = orig;
        f.respH = resp;
        f.proto = proto;
        f.origP = sport;
        f.respP = dport;
        f.state = state;
        setDir(f, 0, "pkts", 1);
        setDir(f, 1, "pkts", state.equals("REJ") ? 1 : 0);
        setDir(f, 0, "bytes", 0);
        setDir(f, 1, "bytes", 0);
        f.duration = state.equals("REJ") ? 0.0003 + rnd.nextDouble() * 0.0002 : 0;
        f.ts1 = ts + (long) (f.duration * 1e6);
        setDir(f, 0, "ttl_first", 64);
        setDir(f, 1, "ttl_first", state.equals("REJ") ? 64 : Double.NaN);
        setDir(f, 0, "init_win", 1024);
        setDir(f, 1, "init_win", state.equals("REJ") ? 0 : Double.NaN);
        if (state.equals("REJ")) {
            setDir(f, 1, "rst", 1);
        }
        derive(f);
        return f;
    }

    /** Fills the statistics that follow from counts, sizes and duration. */
    static void derive(Flow f) {
        boolean tcp = f.proto.equals("tcp");
        double total = 0;
        double totalPkts = 0;
        for (int d = 0; d < 2; d++) {
            double pk = getDir(f, d, "pkts");
            double by = getDir(f, d, "bytes");
            total += by;
            totalPkts += pk;
            double mean = pk > 0 ? by / pk : Double.NaN;
            setDir(f, d, "payload_mean", mean);
            setDir(f, d, "payload_max", pk > 0 ? Math.min(Math.max(mean, by > 0 ? Math.min(1460, mean * 1.8) : 0), by) : Double.NaN);
            setDir(f, d, "payload_std", pk > 1 ? mean * 0.6 : pk == 1 ? 0 : Double.NaN);
            double iat = pk > 1 ? f.duration / (pk - 1) : Double.NaN;
            setDir(f, d, "iat_mean", iat);
            setDir(f, d, "iat_max", pk > 1 ? Math.min(f.duration, iat * 3) : Double.NaN);
            if (tcp && pk > 0) {
                setDir(f, d, "syn", f.state.equals("S0") || f.state.equals("REJ") ? (d == 0 ? 1 : 0) : 1);
                setDir(f, d, "fin", f.state.equals("SF") ? 1 : 0);
                setDir(f, d, "psh", by > 0 ? Math.max(1, Math.round(pk / 2)) : 0);
            } else {
                setDir(f, d, "syn", 0);
                setDir(f, d, "fin", 0);
                setDir(f, d, "psh", 0);
            }
            if (Double.isNaN(getDir(f, d, "rst"))) {
                setDir(f, d, "rst", 0);
            }
            if (Double.isNaN(getDir(f, d, "retrans"))) {
                setDir(f, d, "retrans", 0);
            }
        }
        f.iatStd = totalPkts > 2 ? f.duration / totalPkts : Double.NaN;
        f.bytesPerS = f.duration > 0 ? total / f.duration : Double.NaN;
        f.pktsPerS = f.duration > 0 ? totalPkts / f.duration : Double.NaN;
        f.activePeriods = 1;
        f.idlePeriods = f.duration > 30 ? Math.floor(f.duration / 30) : 0;
        f.idleMax = f.idlePeriods > 0 ? 6 + f.duration / 60 : Double.NaN;
        f.fragments = 0;
    }

    static int dirIndex(String stat) {
        for (int i = 0; i < DIR.length; i++) {
            if (DIR[i].equals(stat)) {
                return i;
            }
        }
        throw new IllegalArgumentException(stat);
    }

    static void setDir(Flow f, int d, String stat, double v) {
        f.dir[d * DIR.length + dirIndex(stat)] = v;
    }

    static double getDir(Flow f, int d, String stat) {
        return f.dir[d * DIR.length + dirIndex(stat)];
    }

    private record Col(String name, ArrowType type, ToDoubleFunction<Flow> num, Function<Flow, String> text) {}

    static List<Col> columns() {
        List<Col> c = new ArrayList<>();
        ArrowType ts = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
        ArrowType utf8 = ArrowType.Utf8.INSTANCE;
        ArrowType i32 = new ArrowType.Int(32, true);
        ArrowType i64 = new ArrowType.Int(64, true);
        ArrowType f64 = new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE);
        c.add(new Col("ts_start", ts, f -> f.ts0, null));
        c.add(new Col("ts_end", ts, f -> f.ts1, null));
        c.add(new Col("duration", f64, f -> f.duration, null));
        c.add(new Col("orig_h", utf8, null, f -> f.origH));
        c.add(new Col("orig_p", i32, f -> f.origP, null));
        c.add(new Col("resp_h", utf8, null, f -> f.respH));
        c.add(new Col("resp_p", i32, f -> f.respP, null));
        c.add(new Col("proto", utf8, null, f -> f.proto));
        c.add(new Col("conn_state", utf8, null, f -> f.state));
        for (int d = 0; d < 2; d++) {
            String prefix = d == 0 ? "orig_" : "resp_";
            for (int k = 0; k < DIR.length; k++) {
                int idx = d * DIR.length + k;
                String stat = DIR[k];
                boolean isLong = stat.equals("pkts") || stat.equals("bytes") || stat.equals("syn") || stat.equals("fin")
                        || stat.equals("rst") || stat.equals("psh") || stat.equals("retrans");
                boolean isInt = stat.equals("payload_max") || stat.equals("init_win") || stat.equals("ttl_first");
                c.add(new Col(prefix + stat, isLong ? i64 : isInt ? i32 : f64, f -> f.dir[idx], null));
            }
        }
        c.add(new Col("iat_std", f64, f -> f.iatStd, null));
        c.add(new Col("bytes_per_s", f64, f -> f.bytesPerS, null));
        c.add(new Col("pkts_per_s", f64, f -> f.pktsPerS, null));
        c.add(new Col("active_periods", i32, f -> f.activePeriods, null));
        c.add(new Col("idle_periods", i32, f -> f.idlePeriods, null));
        c.add(new Col("idle_max", f64, f -> f.idleMax, null));
        c.add(new Col("fragments", i32, f -> f.fragments, null));
        return c;
    }

    interface RowSource {
        Flow row(int i);
    }

    /** Writes benign rows then {@code extra} rows; order by time is not needed by any reader. */
    static void write(Path out, int rows, RowSource benign, List<Flow> extra) throws IOException {
        List<Col> cols = columns();
        List<Field> fields = new ArrayList<>();
        for (Col c : cols) {
            fields.add(new Field(c.name(), FieldType.nullable(c.type()), null));
        }
        Schema schema = new Schema(fields);
        int batch = 1 << 15;
        int total = rows + extra.size();
        try (BufferAllocator alloc = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
             ParquetOutput po = new ParquetOutput(out, schema)) {
            for (int start = 0; start < total; start += batch) {
                int n = Math.min(batch, total - start);
                root.allocateNew();
                for (int i = 0; i < n; i++) {
                    int r = start + i;
                    Flow f = r < rows ? benign.row(r) : extra.get(r - rows);
                    for (int j = 0; j < cols.size(); j++) {
                        set(root.getVector(j), cols.get(j), i, f);
                    }
                }
                root.setRowCount(n);
                po.write(root);
            }
            po.commit();
        }
    }

    private static void set(FieldVector v, Col c, int i, Flow f) {
        if (c.text() != null) {
            ((VarCharVector) v).setSafe(i, c.text().apply(f).getBytes(StandardCharsets.UTF_8));
            return;
        }
        double x = c.num().applyAsDouble(f);
        if (Double.isNaN(x)) {
            v.setNull(i);
        } else if (v instanceof TimeStampMicroTZVector t) {
            t.setSafe(i, (long) x);
        } else if (v instanceof BigIntVector b) {
            b.setSafe(i, Math.round(x));
        } else if (v instanceof IntVector iv) {
            iv.setSafe(i, (int) Math.round(x));
        } else {
            ((Float8Vector) v).setSafe(i, x);
        }
    }
}
