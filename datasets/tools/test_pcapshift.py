#!/usr/bin/env python3
"""Unit tests of pcapshift.py (stdlib only): python3 -m unittest datasets/tools/test_pcapshift.py"""
import io
import os
import struct
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcapshift  # noqa: E402


def ip(a):
    return bytes(int(x) for x in a.split("."))


def l4_csum(src, dst, proto, seg):
    return pcapshift.csum(src + dst + struct.pack("!BBH", 0, proto, len(seg)) + seg)


def packet(src, dst, proto, payload=b"hello", sport=40000, dport=80):
    s, d = ip(src), ip(dst)
    if proto == 6:
        seg = bytearray(struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x18, 65535, 0, 0) + payload)
        seg[16:18] = struct.pack("!H", l4_csum(s, d, 6, bytes(seg)))
    else:
        seg = bytearray(struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)
        seg[6:8] = struct.pack("!H", l4_csum(s, d, 17, bytes(seg)) or 0xFFFF)
    iph = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 1, 0, 64, proto, 0, s, d))
    iph[10:12] = struct.pack("!H", pcapshift.csum(bytes(iph)))
    return b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + bytes(iph) + bytes(seg)


def pcap(pkts, t0=1700000000):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for i, p in enumerate(pkts):
        out += struct.pack("<IIII", t0 + i, 250000, len(p), len(p)) + p
    return out


def pcapng(pkts, t0_us=1700000000_000000):
    def block(t, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", t, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += block(1, struct.pack("<HHI", 1, 0, 0))
    for i, p in enumerate(pkts):
        t = t0_us + i * 1000000
        out += block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(p), len(p)) + p)
    return out


def checksums_ok(frame):
    iph = frame[14:34]
    if pcapshift.csum(iph) != 0:
        return False
    s, d, proto = iph[12:16], iph[16:20], iph[9]
    seg = frame[34:]
    if proto == 17 and seg[6:8] == b"\0\0":
        return True
    return l4_csum(s, d, proto, seg) == 0


def run(data, *args):
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in"), os.path.join(d, "out")
        with open(src, "wb") as f:
            f.write(data)
        pcapshift.main([src, dst] + list(args))
        with open(dst, "rb") as f:
            return list(pcapshift.read_packets(io.BytesIO(f.read())))


class PcapShiftTest(unittest.TestCase):
    pkts = [packet("10.77.10.103", "10.77.200.10", 6), packet("10.77.1.53", "10.77.10.101", 17, b"dns-answer", 53, 5353),
            packet("10.77.10.104", "10.77.1.10", 6, b"x" * 333)]

    def test_input_checksums_are_valid(self):
        self.assertTrue(all(checksums_ok(p) for p in self.pkts))

    def test_time_shift(self):
        out = run(pcap(self.pkts), "--time-shift", "-3600.5")
        self.assertEqual([t for _, t, _, _ in out],
                         [(1700000000 + i - 3600) * 10**9 - 250000000 for i in range(3)])

    def test_start(self):
        out = run(pcap(self.pkts), "--start", "1000")
        self.assertEqual(out[0][1], 1000 * 10**9)
        self.assertEqual(out[2][1], 1002 * 10**9)

    def test_network_and_host_maps_fix_checksums(self):
        out = run(pcap(self.pkts), "--map", "10.77.0.0/16=10.88.0.0/16", "--map", "10.77.1.10=192.0.2.80")
        frames = [d for _, _, _, d in out]
        self.assertEqual(frames[0][26:34], ip("10.88.10.103") + ip("10.88.200.10"))
        self.assertEqual(frames[2][26:34], ip("10.88.10.104") + ip("192.0.2.80"))
        self.assertTrue(all(checksums_ok(f) for f in frames))

    def test_roundtrip_is_identity(self):
        with tempfile.TemporaryDirectory() as d:
            a, b, c = (os.path.join(d, n) for n in "abc")
            with open(a, "wb") as f:
                f.write(pcap(self.pkts))
            pcapshift.main([a, b, "--time-shift", "10", "--map", "10.77.0.0/16=172.16.0.0/16"])
            pcapshift.main([b, c, "--time-shift", "-10", "--map", "172.16.0.0/16=10.77.0.0/16"])
            with open(a, "rb") as fa, open(c, "rb") as fc:
                self.assertEqual(fa.read()[24:], fc.read()[24:])  # records identical (header snaplen differs)

    def test_pcapng_input(self):
        out = run(pcapng(self.pkts), "--map", "10.77.10.103=10.1.2.3")
        self.assertEqual(len(out), 3)
        self.assertEqual(out[1][1], 1700000001 * 10**9)
        self.assertEqual(out[0][3][26:30], ip("10.1.2.3"))
        self.assertTrue(checksums_ok(out[0][3]))

    def test_pcapng_reader_options(self):
        def block(t, body):
            body += b"\0" * (-len(body) % 4)
            return struct.pack("<II", t, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
        p = self.pkts[0]
        opts = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HHq", 14, 8, 100) + struct.pack("<HH", 0, 0)
        data = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
        data += block(1, struct.pack("<HHI", 113, 0, 0))                 # if 0: SLL, microseconds
        data += block(1, struct.pack("<HHI", 1, 0, 0) + opts)             # if 1: Ethernet, ns, offset 100 s
        data += block(6, struct.pack("<IIIII", 1, 0, 1500, len(p), len(p)) + p)
        data += block(3, struct.pack("<I", len(p)) + p)                   # simple packet (interface 0)
        plain = list(pcapshift.read_packets(io.BytesIO(data)))
        self.assertEqual([(lt, ts) for lt, ts, _, _ in plain], [(1, 1500), (113, 0)])
        self.assertEqual(plain[1][3], p)
        opt = list(pcapshift.read_packets(io.BytesIO(data), tsoffset=True, spb_last_ts=True))
        self.assertEqual([ts for _, ts, _, _ in opt], [100 * 10**9 + 1500] * 2)

    def test_truncated_pcap(self):
        data = pcap(self.pkts)[:-5]
        with self.assertRaises(ValueError):
            list(pcapshift.read_packets(io.BytesIO(data)))
        msgs = []
        out = list(pcapshift.read_packets(io.BytesIO(data), on_truncated=msgs.append))
        self.assertEqual(len(out), 2)
        self.assertEqual(len(msgs), 1)


if __name__ == "__main__":
    unittest.main()
