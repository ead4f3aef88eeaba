#!/usr/bin/env python3
"""Copy the first N packet records of a classic pcap file, byte for byte.

The 24-byte file header and each kept record (16-byte record header + captured
bytes) are copied unchanged; nothing is re-encoded.  Used for
ipv6-frag-denial6-head.pcap (see README.md):

    python3 datasets/captures/make-excerpt.py \
        ../shared/captures/suricata-verify/tests/ipv6-evasion/ipv6-dos-with-ext-headers-6/denial6-6.pcap \
        datasets/captures/ipv6-frag-denial6-head.pcap 200
"""
import struct
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: make-excerpt.py IN.pcap OUT.pcap N")
    src, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(src, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        sys.exit("not a classic pcap file: " + src)
    pos = 24
    for _ in range(count):
        if pos + 16 > len(data):
            sys.exit("input has fewer than %d records" % count)
        caplen = struct.unpack_from(endian + "I", data, pos + 8)[0]
        pos += 16 + caplen
    with open(dst, "wb") as f:
        f.write(data[:pos])


if __name__ == "__main__":
    main()
