#!/usr/bin/env python3
"""pcapshift: derive a variant of a capture by shifting its time and remapping its IPv4 addresses.

    pcapshift.py IN OUT [--time-shift SECONDS | --start EPOCH] [--map OLD=NEW ...] [--nano]

Reads pcap (either byte order, micro- or nanosecond) or pcapng (section header, interface descriptions,
enhanced and simple packet blocks); always writes classic pcap (microseconds, or nanoseconds with --nano),
little-endian, one link type (the first interface's).

  --time-shift S   add S seconds (float, may be negative) to every timestamp
  --start EPOCH    shift so that the first packet is at EPOCH (seconds, float)
  --map OLD=NEW    IPv4 remap; either two addresses (10.77.10.103=192.0.2.5) or two networks of the same
                   prefix length (10.77.0.0/16=10.88.0.0/16: host bits kept). Host maps win over network maps;
                   among network maps the longest prefix wins. Repeatable.

Rewritten: the IPv4 source and destination, ARP sender/target protocol addresses, the BOOTP/DHCP address fields
(ciaddr, yiaddr, siaddr, giaddr) and the IPv4 header of an ICMP error's quoted packet. Checksums: the IPv4 header
checksum is recomputed; TCP and UDP checksums are updated incrementally (RFC 1624) for the address change, which
stays right even for packets cut by the snaplen; a UDP checksum of 0 (none) stays 0. Application payloads
(DNS answers, FTP PORT/PASV, HTTP Host, HL7 fields, ...) are NOT rewritten. Link types handled: Ethernet (1,
with 802.1Q/802.1ad tags), raw IPv4 (228, 101), Linux cooked (113); other link types are copied unchanged.
Deterministic: the same input and options give the same bytes. Python 3 standard library only.
"""
import argparse
import ipaddress
import struct
import sys

ETH, RAW, RAW4, SLL = 1, 101, 228, 113


# ----------------------------------------------------------------------------- reading
def read_packets(f, *, tsoffset=False, spb_last_ts=False, on_truncated=None):
    """Yields (linktype, ts_ns, orig_len, data); the link type is per record (per pcapng interface).

    Keyword options (defaults = pcapshift's own behaviour):
      tsoffset      add the pcapng if_tsoffset option (seconds) of the interface to its timestamps
      spb_last_ts   give pcapng simple packets the timestamp of the previous enhanced packet instead of 0
      on_truncated  if given, a truncated last classic-pcap record calls on_truncated(message) and ends the
                    reading instead of raising ValueError
    """
    head = f.read(4)
    if len(head) < 4:
        raise ValueError("empty file")
    if head == b"\x0a\x0d\x0d\x0a":
        yield from _read_pcapng(f, head, tsoffset, spb_last_ts)
        return
    magic = head
    table = {b"\xd4\xc3\xb2\xa1": ("<", 1000), b"\xa1\xb2\xc3\xd4": (">", 1000),
             b"\x4d\x3c\xb2\xa1": ("<", 1), b"\xa1\xb2\x3c\x4d": (">", 1)}
    if magic not in table:
        raise ValueError("not a pcap or pcapng file")
    e, mult = table[magic]
    rest = f.read(20)
    _, _, _, _, _, linktype = struct.unpack(e + "HHiIII", rest)
    linktype &= 0x0FFFFFFF
    while True:
        rh = f.read(16)
        if not rh:
            return
        if len(rh) < 16:
            if on_truncated:
                on_truncated("truncated last record ignored")
                return
            raise ValueError("truncated record header")
        sec, frac, incl, orig = struct.unpack(e + "IIII", rh)
        data = f.read(incl)
        if len(data) < incl:
            if on_truncated:
                on_truncated("truncated last record ignored")
                return
            raise ValueError("truncated packet")
        yield linktype, sec * 1_000_000_000 + frac * mult, orig, data


def _read_pcapng(f, first4, use_tsoffset=False, spb_last_ts=False):
    e = "<"
    ifaces = []  # (linktype, ts units per second, if_tsoffset in ns, snaplen)
    block = first4
    last_ts = 0
    while True:
        if block is None:
            block = f.read(4)
            if not block:
                return
        hdr = f.read(4)
        if block == b"\x0a\x0d\x0d\x0a":
            bom = f.read(4)
            e = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            total = struct.unpack(e + "I", hdr)[0]
            f.read(total - 12)
            ifaces = []
            block = None
            continue
        btype = struct.unpack(e + "I", block)[0]
        total = struct.unpack(e + "I", hdr)[0]
        body = f.read(total - 8)
        block = None
        if len(body) < total - 8:
            raise ValueError("truncated pcapng block")
        if btype == 1:  # interface description
            linktype, _, snaplen = struct.unpack(e + "HHI", body[:8])
            res, offset = 1_000_000, 0
            opts = body[8:-4]
            while len(opts) >= 4:
                code, olen = struct.unpack(e + "HH", opts[:4])
                if code == 0:
                    break
                if code == 9 and olen >= 1:
                    v = opts[4]
                    res = 2 ** (v & 0x7F) if v & 0x80 else 10 ** v
                elif code == 14 and olen == 8 and use_tsoffset:
                    offset = struct.unpack(e + "q", opts[4:12])[0] * 1_000_000_000
                opts = opts[4 + ((olen + 3) & ~3):]
            ifaces.append((linktype, res, offset, snaplen))
        elif btype == 6:  # enhanced packet
            iid, hi, lo, incl, orig = struct.unpack(e + "IIIII", body[:20])
            linktype, res, offset, _ = ifaces[iid]
            ticks = (hi << 32) | lo
            last_ts = ticks * 1_000_000_000 // res + offset
            yield linktype, last_ts, orig, body[20:20 + incl]
        elif btype == 3:  # simple packet: no timestamp; captured length = min(orig, snaplen, block room)
            orig = struct.unpack(e + "I", body[:4])[0]
            linktype, _, _, snaplen = ifaces[0]
            incl = min(orig, len(body) - 8, snaplen or orig)
            yield linktype, last_ts if spb_last_ts else 0, orig, body[4:4 + incl]


# ----------------------------------------------------------------------------- address maps
class Remap:
    def __init__(self, specs):
        self.hosts, self.nets = {}, []
        for s in specs:
            old, _, new = s.partition("=")
            if "/" in old or "/" in new:
                a, b = ipaddress.IPv4Network(old, strict=False), ipaddress.IPv4Network(new, strict=False)
                if a.prefixlen != b.prefixlen:
                    raise ValueError("network map needs equal prefix lengths: " + s)
                self.nets.append((a.prefixlen, int(a.network_address), int(b.network_address),
                                  (0xFFFFFFFF << (32 - a.prefixlen)) & 0xFFFFFFFF))
            else:
                self.hosts[ipaddress.IPv4Address(old).packed] = ipaddress.IPv4Address(new).packed
        self.nets.sort(reverse=True)

    def __call__(self, addr: bytes) -> bytes:
        if addr in self.hosts:
            return self.hosts[addr]
        v = int.from_bytes(addr, "big")
        for _, old, new, mask in self.nets:
            if v & mask == old:
                return ((v & ~mask & 0xFFFFFFFF) | new).to_bytes(4, "big")
        return addr

    def __bool__(self):
        return bool(self.hosts or self.nets)


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def csum_update(old_csum: int, old: bytes, new: bytes) -> int:
    """RFC 1624 eq. 3: HC' = ~(~HC + ~m + m') over the changed 16-bit words."""
    s = ~old_csum & 0xFFFF
    for i in range(0, len(old), 2):
        s += (~struct.unpack("!H", old[i:i + 2])[0] & 0xFFFF) + struct.unpack("!H", new[i:i + 2])[0]
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def rewrite_ipv4(pkt: bytearray, off: int, remap: Remap, depth: int = 0) -> None:
    if len(pkt) < off + 20 or pkt[off] >> 4 != 4:
        return
    ihl = (pkt[off] & 15) * 4
    if ihl < 20 or len(pkt) < off + ihl:
        return
    old = bytes(pkt[off + 12:off + 20])
    new = remap(old[:4]) + remap(old[4:])
    if new != old:
        pkt[off + 12:off + 20] = new
        pkt[off + 10:off + 12] = b"\0\0"
        pkt[off + 10:off + 12] = struct.pack("!H", csum(bytes(pkt[off:off + ihl])))
    proto = pkt[off + 9]
    frag_off = struct.unpack("!H", pkt[off + 6:off + 8])[0] & 0x1FFF
    l4 = off + ihl
    if frag_off:  # not the first fragment: no L4 header here
        return
    if new != old and depth == 0:
        if proto == 6 and len(pkt) >= l4 + 18:
            c = struct.unpack("!H", pkt[l4 + 16:l4 + 18])[0]
            pkt[l4 + 16:l4 + 18] = struct.pack("!H", csum_update(c, old, new))
        elif proto == 17 and len(pkt) >= l4 + 8:
            c = struct.unpack("!H", pkt[l4 + 6:l4 + 8])[0]
            if c != 0:
                c = csum_update(c, old, new)
                pkt[l4 + 6:l4 + 8] = struct.pack("!H", c or 0xFFFF)
    if proto == 17 and len(pkt) >= l4 + 8 + 28:
        sport, dport = struct.unpack("!HH", pkt[l4:l4 + 4])
        if {sport, dport} & {67, 68}:
            rewrite_bootp(pkt, l4, remap)
    if proto == 1 and depth == 0 and len(pkt) >= l4 + 8 and pkt[l4] in (3, 4, 5, 11, 12):
        before = bytes(pkt[l4:])
        rewrite_ipv4(pkt, l4 + 8, remap, depth + 1)
        after = bytes(pkt[l4:])
        if before != after and len(pkt) - l4 == struct.unpack("!H", pkt[off + 2:off + 4])[0] - ihl:
            pkt[l4 + 2:l4 + 4] = b"\0\0"
            pkt[l4 + 2:l4 + 4] = struct.pack("!H", csum(bytes(pkt[l4:])))


def rewrite_bootp(pkt: bytearray, l4: int, remap: Remap) -> None:
    b = l4 + 8
    old = bytes(pkt[b + 12:b + 28])
    new = b"".join(remap(old[i:i + 4]) for i in range(0, 16, 4))
    if new == old:
        return
    pkt[b + 12:b + 28] = new
    c = struct.unpack("!H", pkt[l4 + 6:l4 + 8])[0]
    if c != 0:
        c = csum_update(c, old, new)
        pkt[l4 + 6:l4 + 8] = struct.pack("!H", c or 0xFFFF)


def rewrite(linktype: int, data: bytes, remap: Remap) -> bytes:
    if not remap:
        return data
    pkt = bytearray(data)
    if linktype == ETH:
        off, etype = 14, struct.unpack("!H", pkt[12:14])[0] if len(pkt) >= 14 else 0
        while etype in (0x8100, 0x88A8) and len(pkt) >= off + 4:
            etype = struct.unpack("!H", pkt[off + 2:off + 4])[0]
            off += 4
    elif linktype == SLL:
        off, etype = 16, struct.unpack("!H", pkt[14:16])[0] if len(pkt) >= 16 else 0
    elif linktype in (RAW, RAW4):
        off, etype = 0, 0x0800
    else:
        return data
    if etype == 0x0800:
        rewrite_ipv4(pkt, off, remap)
    elif etype == 0x0806 and len(pkt) >= off + 28 and pkt[off + 2:off + 4] == b"\x08\x00":
        pkt[off + 14:off + 18] = remap(bytes(pkt[off + 14:off + 18]))
        pkt[off + 24:off + 28] = remap(bytes(pkt[off + 24:off + 28]))
    return bytes(pkt)


# ----------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("infile")
    ap.add_argument("outfile")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--time-shift", type=float, default=0.0)
    g.add_argument("--start", type=float)
    ap.add_argument("--map", action="append", default=[], metavar="OLD=NEW")
    ap.add_argument("--nano", action="store_true", help="write nanosecond timestamps")
    a = ap.parse_args(argv)
    remap = Remap(a.map)
    n = 0
    shift_ns = None if a.start is not None else round(a.time_shift * 1e9)
    with open(a.infile, "rb") as fin, open(a.outfile, "wb") as fout:
        linktype0 = None
        for linktype, ts, orig, data in read_packets(fin):
            if linktype0 is None:
                linktype0 = linktype
                fout.write(struct.pack("<IHHiIII", 0xA1B23C4D if a.nano else 0xA1B2C3D4, 2, 4, 0, 0, 262144,
                                       linktype))
                if shift_ns is None:
                    shift_ns = round(a.start * 1e9) - ts
            if linktype != linktype0:
                sys.stderr.write("pcapshift: skipping a packet of link type %d (file is %d)\n" % (linktype, linktype0))
                continue
            t = ts + shift_ns
            if t < 0:
                raise SystemExit("pcapshift: shifted timestamp before 1970")
            sec, rem = divmod(t, 1_000_000_000)
            frac = rem if a.nano else rem // 1000
            data = rewrite(linktype, data, remap)
            fout.write(struct.pack("<IIII", sec, frac, len(data), orig) + data)
            n += 1
        if linktype0 is None:
            fout.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, ETH))
    sys.stderr.write("pcapshift: %d packets written to %s\n" % (n, a.outfile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
