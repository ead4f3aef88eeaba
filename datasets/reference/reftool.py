#!/usr/bin/env python3
"""Turn raw capinfos / tshark / sharkd output into the tidy reference TSVs.

Called by make-reference.sh; python3 standard library only.  This script runs
no capture tool itself: every number it writes comes from the tool outputs it is
given (it only sums, matches and re-formats them), except the `if_linktypes`
column of capinfos.tsv, which is read from the capture file headers because
capinfos prints Wireshark's own encapsulation numbers, not LINKTYPE_ values.

Subcommands
  capinfos-header
  capinfos-row LABEL CAPINFOS_TABLE CAPINFOS_IFACES TSHARK_FRAMES CAPTURE_FILE
  conv PROTO CONV_TEXT SHARKD_JSON PACKETS_TSV_GZ OUT_TSV
  direction-selftest CONV_TEXT PACKETS_TSV_GZ
"""
import gzip
import json
import re
import struct
import sys
from decimal import Decimal

NS = Decimal("0.000000001")


def fmt9(value):
    """Decimal or decimal string -> fixed 9-decimal string (seconds)."""
    q = Decimal(value).quantize(NS)
    return "{:f}".format(abs(q) if q == 0 else q)


def die(msg):
    sys.exit("reftool: " + msg)


# --------------------------------------------------------------------------
# capinfos.tsv
# --------------------------------------------------------------------------
CAPINFOS_COLUMNS = [
    "path", "packets", "data_bytes", "caplen_bytes", "file_type", "encapsulation",
    "interfaces", "if_linktypes", "if_encaps", "if_ts_digits", "if_packets",
    "ts_min", "ts_max", "ts_first_record", "ts_last_record", "strict_time_order",
    "sha256",
]


def header_linktypes(path):
    """LINKTYPE_ values from the pcap header or from every pcapng IDB, in order."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        return [struct.unpack_from("<I", data, 20)[0] & 0x0FFFFFFF]
    if magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        return [struct.unpack_from(">I", data, 20)[0] & 0x0FFFFFFF]
    if magic != b"\x0a\x0d\x0d\x0a":
        die("unknown capture format: " + path)
    out, pos, endian = [], 0, "<"
    while pos + 12 <= len(data):
        btype = struct.unpack_from(endian + "I", data, pos)[0]
        if btype == 0x0A0D0D0A:  # section header: (re)read byte order
            endian = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        blen = struct.unpack_from(endian + "I", data, pos + 4)[0]
        if btype == 1:  # interface description block
            out.append(struct.unpack_from(endian + "H", data, pos + 8)[0])
        if blen < 12:
            die("bad pcapng block length in " + path)
        pos += blen
    return out


def parse_capinfos_table(path):
    with open(path) as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    if len(lines) != 2:
        die("expected header + one row in " + path)
    return dict(zip(lines[0].split("\t"), lines[1].split("\t")))


def parse_capinfos_ifaces(path):
    """`capinfos -M -I` long report -> list of dicts, one per interface."""
    ifaces, cur = [], None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if re.match(r"Interface #\d+ info:", line):
                cur = {}
                ifaces.append(cur)
            elif cur is not None and " = " in line:
                k, v = line.split(" = ", 1)
                cur[k] = v
    return ifaces


def cmd_capinfos_header(_args):
    print("\t".join(CAPINFOS_COLUMNS))


def cmd_capinfos_row(args):
    label, table_path, iface_path, frames_path, capture = args
    t = parse_capinfos_table(table_path)
    ifaces = parse_capinfos_ifaces(iface_path)
    n = 0
    sum_len = sum_cap = 0
    first = last = None
    with open(frames_path) as f:
        for line in f:
            flen, caplen, epoch = line.rstrip("\n").split("\t")
            n += 1
            sum_len += int(flen)
            sum_cap += int(caplen)
            if first is None:
                first = epoch
            last = epoch
    packets = int(t["Number of packets"])
    data_bytes = int(t["Data size (bytes)"])
    # capinfos and tshark must agree; "Data size" is the sum of ORIGINAL lengths.
    if packets != n:
        die("%s: capinfos says %d packets, tshark read %d" % (label, packets, n))
    if data_bytes != sum_len:
        die("%s: capinfos data size %d != sum(frame.len) %d" % (label, data_bytes, sum_len))
    encaps, digits, counts = [], [], []
    for i in ifaces:
        m = re.search(r"\(\d+ - ([^)]+)\)", i.get("Encapsulation", ""))
        encaps.append(m.group(1) if m else i.get("Encapsulation", "?"))
        m = re.search(r"\((\d+)\)", i.get("Time precision", ""))
        digits.append(m.group(1) if m else "?")
        counts.append(i.get("Number of packets", "?"))
    linktypes = header_linktypes(capture)
    if len(linktypes) != len(ifaces):
        die("%s: %d IDBs in header, capinfos lists %d interfaces" % (label, len(linktypes), len(ifaces)))
    row = [
        label, str(packets), str(data_bytes), str(sum_cap), t["File type"],
        t["File encapsulation"], str(len(ifaces)), ",".join(map(str, linktypes)),
        ",".join(encaps), ",".join(digits), ",".join(counts),
        fmt9(t["Start time"]), fmt9(t["End time"]),
        fmt9(first) if first else "", fmt9(last) if last else "",
        t["Strict time order"], t["SHA256"],
    ]
    print("\t".join(row))


# --------------------------------------------------------------------------
# packets dump helpers
# --------------------------------------------------------------------------
def read_packets(path):
    with gzip.open(path, "rt") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            yield dict(zip(header, line.rstrip("\n").split("\t")))


def first(value):
    return value.split(",")[0] if value else ""


def innermost_endpoints(p, proto):
    """(src, sport, dst, dport) as tshark's conversation table sees the packet,
    or None if the packet does not belong to a `proto` conversation.

    tshark keys a conversation on the IP layer directly below the first
    tcp/udp layer (for 6in4 that is the inner IPv6), and packets whose tcp/udp
    header is only quoted inside an ICMP/ICMPv6 error are not counted."""
    layers = p["frame.protocols"].split(":")
    if proto not in layers:
        return None
    k = layers.index(proto)
    if "icmp" in layers[:k] or "icmpv6" in layers[:k]:
        return None
    ip_layers = [(i, l) for i, l in enumerate(layers[:k]) if l in ("ip", "ipv6")]
    if not ip_layers:
        return None
    _, iplayer = ip_layers[-1]
    nth = sum(1 for _, l in ip_layers if l == iplayer) - 1
    src = p[iplayer + ".src"].split(",")[nth]
    dst = p[iplayer + ".dst"].split(",")[nth]
    return src, first(p[proto + ".srcport"]), dst, first(p[proto + ".dstport"])


# --------------------------------------------------------------------------
# conversations
# --------------------------------------------------------------------------
CONV_LINE = re.compile(
    r"^(\S+)\s+<->\s+(\S+)\s+"
    r"(\d+)\s+(\d+)\s+(bytes|kB|MB|GB)\s+"      # "<-" group: frames, bytes
    r"(\d+)\s+(\d+)\s+(bytes|kB|MB|GB)\s+"      # "->" group
    r"(\d+)\s+(\d+)\s+(bytes|kB|MB|GB)\s+"      # total
    r"(-?[\d.]+)\s+(-?[\d.]+)\s*$")
UNIT = {"bytes": 1, "kB": 1000, "MB": 1000 ** 2, "GB": 1000 ** 3}


def split_addr_port(s):
    addr, port = s.rsplit(":", 1)
    return addr, port


def parse_conv_text(path):
    """Rows of `tshark -q -z conv,tcp|udp` (Wireshark 4.0 layout).

    Column groups, verified against per-packet counts (direction-selftest):
      "<-"  = frames/bytes sent by B to A   (sharkd: rxf/rxb, received by A)
      "->"  = frames/bytes sent by A to B   (sharkd: txf/txb)
    A (left address) is the source of the conversation's first packet.
    Byte counts >= 10000 are printed rounded with an SI unit ("423 kB")."""
    rows = []
    with open(path) as f:
        for line in f:
            m = CONV_LINE.match(line.rstrip("\n"))
            if not m:
                continue
            g = m.groups()
            a, pa = split_addr_port(g[0])
            b, pb = split_addr_port(g[1])
            rows.append({
                "a": a, "pa": pa, "b": b, "pb": pb,
                "f_ba": int(g[2]), "b_ba": (int(g[3]), g[4]),
                "f_ab": int(g[5]), "b_ab": (int(g[6]), g[7]),
                "f_tot": int(g[8]), "b_tot": (int(g[9]), g[10]),
                "rel_start": g[11], "duration": g[12],
            })
    return rows


def bytes_consistent(exact, printed):
    value, unit = printed
    if unit == "bytes":
        return exact == value
    scale = UNIT[unit]
    return (value - 1) * scale <= exact <= (value + 1) * scale


def parse_sharkd(path, proto):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            msg = json.loads(line, parse_float=Decimal)
            if msg.get("id") != 2:
                continue
            for tap in msg["result"]["taps"]:
                if tap["tap"] == "conv:" + proto.upper():
                    return tap["convs"]
    die("no conv:%s tap result in %s" % (proto.upper(), path))


CONV_COLUMNS = [
    "addr_a", "port_a", "addr_b", "port_b",
    "frames_a_to_b", "bytes_a_to_b", "frames_b_to_a", "bytes_b_to_a",
    "frames_total", "bytes_total", "rel_start", "duration",
    "ts_first", "ts_last", "stream", "tuple_rows", "syn_isns", "max_gap",
    "time_order", "ambiguous",
]


def streams_from_packets(packets_path, proto):
    """Group packets by tshark's own tcp.stream / udp.stream index."""
    streams = {}
    epoch0 = None
    for p in read_packets(packets_path):
        if epoch0 is None:
            epoch0 = Decimal(p["frame.time_epoch"])
        ep = innermost_endpoints(p, proto)
        if ep is None:
            continue
        sid = first(p[proto + ".stream"])
        s = streams.get(sid)
        if s is None:
            s = streams[sid] = {"a": ep[:2], "b": ep[2:], "f_ab": 0, "f_ba": 0,
                                "by_ab": 0, "by_ba": 0, "ts": [], "isns": set()}
        if ep[:2] == s["a"] and ep[2:] == s["b"]:
            s["f_ab"] += 1
            s["by_ab"] += int(p["frame.len"])
        elif ep[:2] == s["b"] and ep[2:] == s["a"]:
            s["f_ba"] += 1
            s["by_ba"] += int(p["frame.len"])
        else:
            die("stream %s mixes endpoints %s and %s" % (sid, s["a"] + s["b"], ep))
        s["ts"].append(Decimal(p["frame.time_epoch"]))
        if proto == "tcp":
            flags = int(first(p["tcp.flags"]), 16)
            if flags & 0x02 and not flags & 0x10:   # SYN without ACK
                s["isns"].add((ep[:2], first(p["tcp.seq_raw"])))
    for s in streams.values():
        s["rel_min"] = min(s["ts"]) - epoch0   # tshark's start is relative to frame 1
    return streams


def cmd_conv(args):
    proto, text_path, sharkd_path, packets_path, out_path = args
    text_rows = parse_conv_text(text_path)
    exact = parse_sharkd(sharkd_path, proto)
    if len(text_rows) != len(exact):
        die("%s: tshark text has %d conversations, sharkd %d" % (text_path, len(text_rows), len(exact)))
    streams = streams_from_packets(packets_path, proto)
    if len(streams) != len(exact):
        die("%s: %d %s.stream values in the packets, %d conversations"
            % (text_path, len(streams), proto, len(exact)))

    # Match sharkd (exact) rows to text rows: same endpoints, frame counts and start.
    unused = list(text_rows)
    merged = []
    for c in exact:
        key = (c["saddr"], c["sport"], c["daddr"], c["dport"], c["txf"], c["rxf"])
        hit = None
        for t in unused:
            if (t["a"], t["pa"], t["b"], t["pb"], t["f_ab"], t["f_ba"]) == key and \
                    abs(Decimal(t["rel_start"]) - c["start"]) < Decimal("0.000001"):
                hit = t
                break
        if hit is None:
            die("%s: no text row for sharkd conversation %s" % (text_path, key))
        unused.remove(hit)
        if not (bytes_consistent(c["txb"], hit["b_ab"]) and bytes_consistent(c["rxb"], hit["b_ba"])
                and bytes_consistent(c["txb"] + c["rxb"], hit["b_tot"])):
            die("%s: bytes disagree for %s" % (text_path, key))
        if hit["f_tot"] != c["txf"] + c["rxf"]:
            die("%s: frame total disagrees for %s" % (text_path, key))
        dur = c["stop"] - c["start"]
        if abs(dur - Decimal(hit["duration"])) > Decimal("0.00006"):
            die("%s: duration %s vs %s for %s" % (text_path, dur, hit["duration"], key))
        merged.append((c, dur))

    # Match each conversation to its tshark stream index (A = first packet's source).
    free = dict(streams)
    rows = []
    for c, dur in merged:
        hit = None
        for sid, s in free.items():
            if s["a"] == (c["saddr"], c["sport"]) and s["b"] == (c["daddr"], c["dport"]) \
                    and s["f_ab"] == c["txf"] and s["f_ba"] == c["rxf"] \
                    and s["by_ab"] == c["txb"] and s["by_ba"] == c["rxb"] \
                    and abs(s["rel_min"] - c["start"]) < Decimal("0.000001"):
                hit = sid
                break
        if hit is None:
            die("%s: no %s.stream matches conversation %s" % (text_path, proto, c))
        s = free.pop(hit)
        ts = s["ts"]
        ordered = all(x <= y for x, y in zip(ts, ts[1:]))
        srt = sorted(ts)
        gap = max((y - x for x, y in zip(srt, srt[1:])), default=Decimal(0))
        rows.append({"c": c, "dur": dur, "sid": hit, "s": s, "ordered": ordered,
                     "gap": gap, "first": srt[0], "last": srt[-1]})

    # Same (unordered) 5-tuple in several tshark conversations = tuple reuse.
    def tuple_key(c):
        ends = sorted([(c["saddr"], c["sport"]), (c["daddr"], c["dport"])])
        return tuple(ends)
    per_tuple = {}
    for r in rows:
        per_tuple[tuple_key(r["c"])] = per_tuple.get(tuple_key(r["c"]), 0) + 1

    rows.sort(key=lambda r: (r["first"], r["c"]["saddr"], int(r["c"]["sport"]),
                             r["c"]["daddr"], int(r["c"]["dport"])))
    with open(out_path, "w") as out:
        out.write("\t".join(CONV_COLUMNS) + "\n")
        for r in rows:
            c, s = r["c"], r["s"]
            tuple_rows = per_tuple[tuple_key(c)]
            syn_isns = len(s["isns"]) if proto == "tcp" else ""
            reasons = []
            if tuple_rows > 1:
                reasons.append("tuple-reused")
            if proto == "tcp" and len(s["isns"]) > 1:
                reasons.append("multi-syn")
            if not r["ordered"]:
                reasons.append("time-unordered")
            out.write("\t".join([
                c["saddr"], c["sport"], c["daddr"], c["dport"],
                str(c["txf"]), str(c["txb"]), str(c["rxf"]), str(c["rxb"]),
                str(c["txf"] + c["rxf"]), str(c["txb"] + c["rxb"]),
                fmt9(c["start"]), fmt9(r["dur"]),
                fmt9(r["first"]), fmt9(r["last"]), r["sid"], str(tuple_rows),
                str(syn_isns), fmt9(r["gap"]),
                "ordered" if r["ordered"] else "unordered",
                ",".join(reasons) if reasons else "no",
            ]) + "\n")


def cmd_direction_selftest(args):
    """Prove which conv column group is which on a capture we understand:
    count per-direction frames from the packet dump and compare."""
    text_path, packets_path = args
    rows = parse_conv_text(text_path)
    if len(rows) != 1:
        die("self-test expects exactly one TCP conversation, got %d" % len(rows))
    r = rows[0]
    a, b = (r["a"], r["pa"]), (r["b"], r["pb"])
    f_ab = f_ba = by_ab = by_ba = 0
    for p in read_packets(packets_path):
        ep = innermost_endpoints(p, "tcp")
        if ep is None:
            continue
        if ep[:2] == a and ep[2:] == b:
            f_ab += 1
            by_ab += int(p["frame.len"])
        elif ep[:2] == b and ep[2:] == a:
            f_ba += 1
            by_ba += int(p["frame.len"])
    first_src = None
    for p in read_packets(packets_path):
        ep = innermost_endpoints(p, "tcp")
        if ep is not None:
            first_src = ep[:2]
            break
    ok = (r["f_ab"], r["b_ab"][0], r["f_ba"], r["b_ba"][0]) == (f_ab, by_ab, f_ba, by_ba) \
        and first_src == a and f_ab != f_ba
    print("direction self-test: A=%s:%s (first packet source: %s)  '->' = %d frames/%d bytes "
          "(A->B counted %d/%d)  '<-' = %d/%d (B->A counted %d/%d)  %s"
          % (a[0], a[1], "yes" if first_src == a else "NO", r["f_ab"], r["b_ab"][0], f_ab, by_ab,
             r["f_ba"], r["b_ba"][0], f_ba, by_ba, "OK" if ok else "FAILED"))
    if not ok:
        die("tshark conv column semantics differ from what this script assumes")


COMMANDS = {
    "capinfos-header": cmd_capinfos_header,
    "capinfos-row": cmd_capinfos_row,
    "conv": cmd_conv,
    "direction-selftest": cmd_direction_selftest,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        die("usage: reftool.py {%s} ..." % "|".join(COMMANDS))
    COMMANDS[sys.argv[1]](sys.argv[2:])
