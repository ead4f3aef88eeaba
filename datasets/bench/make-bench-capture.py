#!/usr/bin/env python3
"""Build a large, reproducible benchmark capture from the shipped real captures.

    python3 datasets/bench/make-bench-capture.py -o /tmp/bench.pcap [--packets 2000000]

The packets of every capture in datasets/captures/ (classic pcap or pcapng; files
sorted by name, packets in file order) form one "template".  The output is a classic
pcap file (little-endian, microsecond timestamps, LINKTYPE_ETHERNET, snaplen 262144)
holding N time-shifted copies of the template, cut at exactly --packets packets.

Per copy k (k = 0, 1, 2, ...):
  * IPv4 addresses (outer header, and the inner header of IPv4/IPv6-in-IPv4 and
    IPv4/IPv6-in-IPv6 tunnels) are shifted by k * 263 inside their address block, so
    a private address stays private and the first octet of a public address is kept:
    10/8 and 127/8 shift the low 24 bits, 172.16/12 the low 20, 192.168/16 and
    169.254/16 the low 16, 100.64/10 the low 22, any other unicast address the low 24
    bits.  0/8, 224/4 (multicast) and 240/4 (incl. 255.255.255.255) are left alone.
    The IPv4 header checksum is recomputed for every copy (so it is valid everywhere,
    also in copy 0 where the source had an offloaded/bad one).
  * IPv6 addresses get their interface identifier (low 64 bits) XORed with k << 16;
    :: , ::1 and multicast (ff00::/8) are left alone.
  * TCP/UDP/ICMP checksums are NOT updated: from copy 1 on they are wrong for every
    rewritten packet.  vigie's flow extractor does not verify them; tools that do
    must be told not to (e.g. tshark's defaults do not check them).
  * Headers quoted inside ICMP errors and payload bytes are not rewritten.
  * Copy 0 keeps the original addresses.

Link layers: Ethernet records are copied as they are (VLAN/QinQ tags and PPPoE are
walked to find the IP header).  Linux cooked (SLL/SLL2), BSD NULL/LOOP and raw IP
records are converted to Ethernet with synthetic locally administered MAC addresses
(02:00:00:00:00:01 -> 02:00:00:00:00:02, or the SLL source address when it has 6
bytes) and the original length is adjusted to the new header.  Records of any other
link type are skipped (counted on stderr).

Time: within the template the gap between consecutive records (file order) is the
original gap, clamped to [0, --max-gap] seconds (negative gaps from out-of-order
files become 0; multi-year gaps in old captures become --max-gap).  Files follow each
other and copies follow each other with --copy-gap seconds between them, starting at
--start (epoch seconds).  Timestamps are therefore non-decreasing over the whole file.

Reading (pcap/pcapng) and the Internet checksum come from datasets/tools/pcapshift.py.

The output depends only on the input files and the options: running it twice gives
the same bytes.  The SHA-256 of the output is printed at the end.
"""
import argparse
import hashlib
import os
import struct
import sys
import time

ETH_IPV4, ETH_IPV6 = 0x0800, 0x86DD
VLAN_TYPES = (0x8100, 0x88A8, 0x9100)
PPPOE_SESSION = 0x8864
STRIDE_V4 = 263            # odd: all copies of one address are distinct
MAC_SRC = bytes.fromhex("020000000001")
MAC_DST = bytes.fromhex("020000000002")
OUT_SNAPLEN = 262144


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import pcapshift  # noqa: E402  (datasets/tools/pcapshift.py: pcap/pcapng reader, Internet checksum)


def read_capture(path, name):
    """pcap or pcapng -> list of (linktype, ts_ns, orig_len, frame bytes), via pcapshift.read_packets.

    Per-interface link types and timestamp resolutions, if_tsoffset, and the previous
    timestamp for simple packet blocks; a truncated last pcap record is reported and dropped."""
    def truncated(msg):
        print("%s: %s" % (name, msg), file=sys.stderr)
    with open(path, "rb") as f:
        return list(pcapshift.read_packets(f, tsoffset=True, spb_last_ts=True, on_truncated=truncated))


def to_ethernet(linktype, frame, origlen):
    """-> (ethernet frame, orig_len) or None if the record cannot be converted."""
    if linktype == 1:
        return frame, origlen
    ethertype, hdrlen, src = None, 0, MAC_SRC
    if linktype == 113 and len(frame) >= 16:                     # Linux SLL
        halen = struct.unpack_from(">H", frame, 4)[0]
        if halen == 6:
            src = frame[6:12]
        ethertype, hdrlen = struct.unpack_from(">H", frame, 14)[0], 16
    elif linktype == 276 and len(frame) >= 20:                   # Linux SLL2
        if frame[11] == 6:
            src = frame[12:18]
        ethertype, hdrlen = struct.unpack_from(">H", frame, 0)[0], 20
    elif linktype in (0, 108) and len(frame) >= 4:               # BSD NULL / LOOP
        fam = {struct.unpack_from("<I", frame, 0)[0], struct.unpack_from(">I", frame, 0)[0]}
        if 2 in fam:
            ethertype = ETH_IPV4
        elif fam & {24, 28, 30}:
            ethertype = ETH_IPV6
        hdrlen = 4
    elif linktype in (101, 12, 14, 228, 229) and frame:          # raw IP
        ethertype = {4: ETH_IPV4, 6: ETH_IPV6}.get(frame[0] >> 4)
    if ethertype is None or ethertype < 0x0600:
        return None
    eth = MAC_DST + src + struct.pack(">H", ethertype)
    return eth + frame[hdrlen:], origlen - hdrlen + 14


# --------------------------------------------------------------------------
# locating addresses once per template record
# --------------------------------------------------------------------------
def find_ip(frame):
    """Offset and version of the first IP header after Ethernet/VLAN/PPPoE, or None."""
    off = 12
    if len(frame) < 14:
        return None
    etype = struct.unpack_from(">H", frame, off)[0]
    off += 2
    while etype in VLAN_TYPES and off + 4 <= len(frame):
        etype = struct.unpack_from(">H", frame, off + 2)[0]
        off += 4
    if etype == PPPOE_SESSION and off + 8 <= len(frame):
        ppp = struct.unpack_from(">H", frame, off + 6)[0]
        etype = {0x0021: ETH_IPV4, 0x0057: ETH_IPV6}.get(ppp)
        off += 8
    if etype == ETH_IPV4:
        return off, 4
    if etype == ETH_IPV6:
        return off, 6
    return None


def locate(frame):
    """-> (v4 headers [(hdr_off, ihl_bytes)], v6 address offsets [addr_off])."""
    v4, v6 = [], []
    found = find_ip(frame)
    depth = 0
    while found and depth < 2:
        off, ver = found
        found = None
        depth += 1
        if ver == 4:
            if off + 20 > len(frame) or frame[off] >> 4 != 4:
                break
            ihl = (frame[off] & 0x0F) * 4
            if ihl < 20 or off + ihl > len(frame):
                break
            v4.append((off, ihl))
            proto = frame[off + 9]
            frag = struct.unpack_from(">H", frame, off + 6)[0] & 0x1FFF
            if frag == 0 and proto in (4, 41):
                found = (off + ihl, 4 if proto == 4 else 6)
        else:
            if off + 40 > len(frame) or frame[off] >> 4 != 6:
                break
            v6.extend((off + 8, off + 24))
            nxt = frame[off + 6]
            if nxt in (4, 41):
                found = (off + 40, 4 if nxt == 4 else 6)
    return v4, v6


def v4_block_bits(a):
    """Number of low bits that may be shifted, or 0 to leave the address alone."""
    o1 = a >> 24
    if o1 == 0 or o1 >= 224:
        return 0
    if o1 in (10, 127):
        return 24
    if (a >> 20) == 0xAC1:            # 172.16/12
        return 20
    if (a >> 16) in (0xC0A8, 0xA9FE):  # 192.168/16, 169.254/16
        return 16
    if (a >> 22) == 0x191:            # 100.64/10
        return 22
    return 24


def shift_v4(a, k):
    bits = v4_block_bits(a)
    if not bits or not k:
        return a
    mask = (1 << bits) - 1
    return (a & ~mask & 0xFFFFFFFF) | ((a + k * STRIDE_V4) & mask)


def shift_v6(addr16, k):
    if not k or addr16[0] == 0xFF or addr16 in (bytes(16), bytes(15) + b"\x01"):
        return addr16
    iid = int.from_bytes(addr16[8:], "big") ^ ((k << 16) & 0xFFFFFFFFFFFFFFFF)
    return addr16[:8] + iid.to_bytes(8, "big")


# --------------------------------------------------------------------------
def flow_key(frame):
    """(ip version, protocol, src, sport, dst, dport) of the outermost IP header, or None."""
    found = find_ip(frame)
    if not found:
        return None
    off, ver = found
    if ver == 4:
        if off + 20 > len(frame):
            return None
        l4, proto = off + (frame[off] & 0x0F) * 4, frame[off + 9]
        src, dst = frame[off + 12:off + 16], frame[off + 16:off + 20]
        if struct.unpack_from(">H", frame, off + 6)[0] & 0x1FFF:
            proto = -proto                       # non-first fragment: no ports
    else:
        if off + 40 > len(frame):
            return None
        l4, proto = off + 40, frame[off + 6]
        src, dst = frame[off + 8:off + 24], frame[off + 24:off + 40]
    sport = dport = 0
    if proto in (6, 17) and l4 + 4 <= len(frame):
        sport, dport = struct.unpack_from(">HH", frame, l4)
    return ver, proto, src, sport, dst, dport


def load_template(capdir, max_gap_ns, file_gap_ns):
    names = sorted(n for n in os.listdir(capdir) if n.endswith((".pcap", ".pcapng")))
    if not names:
        sys.exit("no captures in " + capdir)
    template, t, skipped, used = [], 0, {}, []
    for i, name in enumerate(names):
        recs = read_capture(os.path.join(capdir, name), name)
        prev = None
        kept = 0
        for linktype, ts, origlen, frame in recs:
            conv = to_ethernet(linktype, frame, origlen)
            if conv is None:
                skipped[name] = skipped.get(name, 0) + 1
                continue
            frame, origlen = conv
            if prev is not None:
                t += min(max(ts - prev, 0), max_gap_ns)
            elif template:
                t += file_gap_ns
            prev = ts
            v4, v6 = locate(frame)
            template.append((t, frame, origlen, v4, v6))
            kept += 1
        used.append("%s:%d" % (name, kept))
    for name, n in sorted(skipped.items()):
        print("skipped %d record(s) of %s (link type not convertible)" % (n, name), file=sys.stderr)
    return template, t, used


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", required=True, help="output .pcap file")
    ap.add_argument("--packets", type=int, default=2_000_000, help="packets to write (default 2000000)")
    ap.add_argument("--captures", default=os.path.join(HERE, "..", "captures"),
                    help="directory of source captures (default datasets/captures)")
    ap.add_argument("--start", type=int, default=1_700_000_000,
                    help="timestamp of the first packet, epoch seconds (default 1700000000)")
    ap.add_argument("--max-gap", type=float, default=5.0,
                    help="largest gap kept between consecutive template packets, s (default 5)")
    ap.add_argument("--copy-gap", type=float, default=1.0,
                    help="gap between source files and between copies, s (default 1)")
    args = ap.parse_args()
    if args.packets < 1:
        sys.exit("--packets must be >= 1")

    t0 = time.monotonic()
    max_gap_ns = int(round(args.max_gap * 1e9))
    copy_gap_ns = int(round(args.copy_gap * 1e9))
    template, span_ns, used = load_template(args.captures, max_gap_ns, copy_gap_ns)
    copies = -(-args.packets // len(template))
    period_ns = span_ns + copy_gap_ns
    if copies > 65536:   # beyond this the IPv4 shift of a /16 block would repeat
        sys.exit("too many copies (%d); use fewer packets" % copies)

    # distinct addresses of the template, remapped once per copy
    v4_addrs = set()
    v6_addrs = set()
    for _, frame, _, v4, v6 in template:
        for off, _ in v4:
            v4_addrs.add(frame[off + 12:off + 16])
            v4_addrs.add(frame[off + 16:off + 20])
        for off in v6:
            v6_addrs.add(frame[off:off + 16])

    # precomputed per record: the one's-complement sum of the IPv4 header words that do
    # not change (all but checksum and addresses), from pcapshift.csum over the header
    # with those words zeroed; per copy only the four address words are added to it.
    prepared = []
    for t, frame, origlen, v4, v6 in template:
        v4info = []
        for off, ihl in v4:
            hdr = bytearray(frame[off:off + ihl])
            hdr[10:20] = bytes(10)
            fixed = ~pcapshift.csum(bytes(hdr)) & 0xFFFF
            v4info.append((off, fixed))
        prepared.append((t, frame, origlen, len(frame), tuple(v4info), tuple(v6)))

    # flow keys of the template, to prove the copies do not share a flow
    keys = {flow_key(frame) for _, frame, _, _, _ in template} - {None}
    seen, collisions = {}, 0

    digest = hashlib.sha256()
    base_ns = args.start * 1_000_000_000
    written = 0
    pack_hdr = struct.Struct("<IIII").pack
    with open(args.output, "wb") as out:
        head = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, OUT_SNAPLEN, 1)
        out.write(head)
        digest.update(head)
        for k in range(copies):
            m4 = {a: shift_v4(int.from_bytes(a, "big"), k).to_bytes(4, "big") for a in v4_addrs}
            m6 = {a: shift_v6(a, k) for a in v6_addrs}
            for ver, proto, src, sport, dst, dport in keys:
                m = m4 if ver == 4 else m6
                a, b = (m.get(src, src), sport), (m.get(dst, dst), dport)
                key = (proto,) + ((a, b) if a <= b else (b, a))
                if seen.setdefault(key, k) != k:
                    collisions += 1
            off_ns = base_ns + k * period_ns
            chunk = []
            for t, frame, origlen, caplen, v4info, v6 in prepared:
                if written == args.packets:
                    break
                ts = off_ns + t
                buf = bytearray(frame)
                for off, fixed in v4info:
                    src = m4[frame[off + 12:off + 16]]
                    dst = m4[frame[off + 16:off + 20]]
                    buf[off + 12:off + 16] = src
                    buf[off + 16:off + 20] = dst
                    s = fixed + (src[0] << 8 | src[1]) + (src[2] << 8 | src[3]) \
                        + (dst[0] << 8 | dst[1]) + (dst[2] << 8 | dst[3])
                    s = (s & 0xFFFF) + (s >> 16)
                    s = (s & 0xFFFF) + (s >> 16)
                    c = ~s & 0xFFFF
                    buf[off + 10] = c >> 8
                    buf[off + 11] = c & 0xFF
                for off in v6:
                    buf[off:off + 16] = m6[frame[off:off + 16]]
                us = ts // 1000
                chunk.append(pack_hdr(us // 1_000_000, us % 1_000_000, caplen, origlen))
                chunk.append(buf)
                written += 1
            data = b"".join(chunk)
            out.write(data)
            digest.update(data)
            if written == args.packets:
                break

    elapsed = time.monotonic() - t0
    print("sources: %s" % " ".join(used))
    print("template: %d packets spanning %.3f s; %d copies (period %.3f s)"
          % (len(template), span_ns / 1e9, copies, period_ns / 1e9))
    print("flow keys (outer IP, protocol, ports): %d per copy; shared between copies: %d"
          % (len(keys), collisions))
    print("wrote %d packets to %s in %.1f s" % (written, args.output, elapsed))
    print("SHA-256 %s" % digest.hexdigest())


if __name__ == "__main__":
    main()
