#!/usr/bin/env python3
"""Builds assets/src/main/resources/dev/vigie/assets/oui.tsv.gz from Debian's ieee-data package.

Usage: assets/tools/make-oui.py [/usr/share/ieee-data] [OUT]

Input: the IEEE registries as Debian ships them (oui.csv MA-L 24-bit, mam.csv MA-M 28-bit, oui36.csv MA-S
36-bit, iab.csv IAB 36-bit). Output: gzip'd TSV, one assignment a line, sorted by prefix: `HEX<TAB>BITS<TAB>NAME`
where HEX is the prefix's BITS/4 hex digits (upper case). Lines starting with '#' say where the data came from.
Deterministic: same input, same bytes (gzip mtime 0).
"""
import csv, gzip, io, os, subprocess, sys

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/ieee-data"
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "src/main/resources/dev/vigie/assets/oui.tsv.gz")
files = [("oui.csv", 24), ("mam.csv", 28), ("oui36.csv", 36), ("iab.csv", 36)]
rows = {}
for name, bits in files:
    with open(os.path.join(src, name), newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            hexa = r["Assignment"].strip().upper()
            org = " ".join(r["Organization Name"].split()).replace("\t", " ")
            if len(hexa) * 4 != bits or not org:
                continue
            rows[(hexa, bits)] = org
try:
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "ieee-data"], capture_output=True, text=True).stdout.strip()
except OSError:
    version = "unknown"
try:
    import datetime
    stamp = int(open(os.path.join(src, ".lastupdate")).read().strip())
    updated = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).strftime("%Y-%m-%d")
except (OSError, ValueError):
    updated = "unknown"
buf = io.StringIO()
buf.write("# IEEE MA-L/MA-M/MA-S/IAB registries from Debian's ieee-data package %s (IEEE files of %s),\n" % (version, updated))
buf.write("# built by assets/tools/make-oui.py; columns: prefix hex, prefix bits, organization name\n")
for (hexa, bits), org in sorted(rows.items(), key=lambda kv: (kv[0][0].ljust(9, "0"), kv[0][1])):
    buf.write("%s\t%d\t%s\n" % (hexa, bits, org))
with open(out, "wb") as f:
    with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
        g.write(buf.getvalue().encode("utf-8"))
print("%d assignments -> %s" % (len(rows), out))
