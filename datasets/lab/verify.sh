#!/bin/bash
# Proves, with tshark counts, that each attack of labels.csv is in mixed.pcap inside its window, and that
# benign.pcap holds none of them. Fails loudly (exit 1, one FAIL line per missing piece of evidence).
#
#   datasets/lab/verify.sh CAPDIR        (CAPDIR holds benign.pcap, mixed.pcap, labels.csv, tor-exit-nodes.lst)
#
# Read-only; needs tshark and python3. Not run by the test suite (it reads the committed files only).
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 CAPDIR" >&2; exit 2; }
D=$1
B=$D/benign.pcap; M=$D/mixed.pcap; L=$D/labels.csv; TL=$D/tor-exit-nodes.lst
PY=/usr/bin/python3
for f in "$B" "$M" "$L" "$TL"; do [ -s "$f" ] || { echo "FAIL missing or empty: $f"; exit 1; }; done
command -v tshark >/dev/null || { echo "FAIL tshark not installed (apt-get install tshark)"; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
fail=0
ok()  { printf 'OK    %s\n' "$*"; }
bad() { printf 'FAIL  %s\n' "$*"; fail=1; }
ts()  { tshark -n -r "$1" -d tcp.port==9001,tls -Y "$2" -T fields "${@:3}" 2>/dev/null; }
cnt() { ts "$1" "$2" -e frame.number | wc -l; }
# expect LABEL N OP MIN
expect() { if [ "$2" "$3" "$4" ]; then ok "$1: $2 (want $3 $4)"; else bad "$1: $2 (want $3 $4)"; fi; }

# --- labels: one window per scenario, no overlap, inside mixed.pcap
eval "$("$PY" - "$L" "$M" <<'EOF'
import csv, struct, sys
rows = list(csv.DictReader(open(sys.argv[1])))
want = ["ftp_bruteforce", "ssh_bruteforce", "port_scan", "service_scan", "exfil_http", "exfil_ftp",
        "rogue_kali", "c2_beacon", "tor_tls"]
with open(sys.argv[2], "rb") as f:
    h = f.read(24); e = "<" if h[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = h[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    first = last = None
    while True:
        r = f.read(16)
        if len(r) < 16: break
        s, u, n, _ = struct.unpack(e + "IIII", r); f.seek(n, 1)
        t = s + u / (1e9 if nano else 1e6); first = t if first is None else first; last = t
errs = []
for w in want:
    if not any(r["scenario"] == w for r in rows): errs.append("labels.csv has no row for " + w)
ws = sorted((float(r["start_epoch"]), float(r["end_epoch"]), r["scenario"]) for r in rows)
for a, b in zip(ws, ws[1:]):
    if a[1] > b[0]: errs.append("windows overlap: %s and %s" % (a[2], b[2]))
for s, e_, n in ws:
    if not (first <= s < e_ <= last + 0.001): errs.append("window of %s outside mixed.pcap or empty" % n)
for r in rows:
    k = r["scenario"]
    print("A_%s=%s V_%s='%s' W_%s='frame.time_epoch >= %s && frame.time_epoch <= %s'" % (
        k, r["attacker_ip"], k, r["victim_ips"], k, r["start_epoch"], r["end_epoch"]))
print("LABEL_ERRORS='%s'" % "|".join(errs))
print("NROWS=%d" % len(rows))
EOF
)"
if [ -n "$LABEL_ERRORS" ]; then IFS='|'; for e in $LABEL_ERRORS; do bad "labels: $e"; done; unset IFS
else ok "labels: $NROWS windows, all scenarios present, no overlap, all inside mixed.pcap"; fi

# valid NIRs (key checked) in the hex TCP payloads read on stdin
nirs() { "$PY" -c '
import re, sys
sys.path.insert(0, sys.argv[1]); import patients
data = b"".join(bytes.fromhex(l.strip().replace(":", "")) for l in sys.stdin if l.strip())
found = set(m.decode() for m in re.findall(rb"(?<![0-9])[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6}[0-9]{2}(?![0-9])", data))
print(sum(1 for n in found if patients.nir_valid(n)))' "$HERE/lib"; }
syn='tcp.flags.syn == 1 && tcp.flags.ack == 0'

# cut each window out of mixed.pcap once (editcap is fast; tshark then reads small files)
TMPD=$(mktemp -d /tmp/vigie-verify.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT
cutwin() { local v="W_$1"; local w=${!v}; local s e
  s=$(sed -E 's/.*>= ([0-9.]+) .*/\1/' <<<"$w"); e=$(sed -E 's/.*<= ([0-9.]+)$/\1/' <<<"$w")
  editcap -F pcap -A "$s" -B "$(awk -v e="$e" 'BEGIN{printf "%.6f", e + 0.000001}')" "$M" "$TMPD/$1.pcap" >/dev/null 2>&1
  echo "$TMPD/$1.pcap"; }

echo "== mixed.pcap: evidence of each attack inside its window"
a=$A_ftp_bruteforce v=$V_ftp_bruteforce w=$W_ftp_bruteforce m=$(cutwin ftp_bruteforce)
expect "ftp_bruteforce: FTP 530 replies to $a" "$(cnt "$m" "$w && ip.src == $v && ip.dst == $a && ftp.response.code == 530")" -ge 20
expect "ftp_bruteforce: FTP PASS commands from $a" "$(cnt "$m" "$w && ip.src == $a && ftp.request.command == \"PASS\"")" -ge 20

a=$A_ssh_bruteforce v=$V_ssh_bruteforce w=$W_ssh_bruteforce m=$(cutwin ssh_bruteforce)
expect "ssh_bruteforce: SSH SYNs $a -> $v:22" "$(cnt "$m" "$w && ip.src == $a && ip.dst == $v && tcp.dstport == 22 && $syn")" -ge 4
expect "ssh_bruteforce: SSH client banners from $a" "$(cnt "$m" "$w && ip.src == $a && ssh.protocol")" -ge 4

a=$A_port_scan w=$W_port_scan m=$(cutwin port_scan)
expect "port_scan: distinct TCP ports SYN-probed by $a" "$(ts "$m" "$w && ip.src == $a && $syn" -e tcp.dstport | sort -u | wc -l)" -ge 500
expect "port_scan: distinct hosts SYN-probed by $a" "$(ts "$m" "$w && ip.src == $a && $syn" -e ip.dst | sort -u | wc -l)" -ge 3

a=$A_service_scan v=$V_service_scan w=$W_service_scan m=$(cutwin service_scan)
expect "service_scan: connections $a -> $v:2575" "$(cnt "$m" "$w && ip.src == $a && ip.dst == $v && tcp.dstport == 2575 && $syn")" -ge 3
expect "service_scan: probe payloads $a -> $v:2575" "$(cnt "$m" "$w && ip.src == $a && ip.dst == $v && tcp.dstport == 2575 && tcp.len > 0")" -ge 3

a=$A_exfil_http v=$V_exfil_http w=$W_exfil_http m=$(cutwin exfil_http)
expect "exfil_http: HTTP POST $a -> $v" "$(cnt "$m" "$w && ip.src == $a && ip.dst == $v && http.request.method == \"POST\"")" -ge 1
expect "exfil_http: valid NIRs in the POST $a -> $v:80" "$(ts "$m" "$w && ip.src == $a && ip.dst == $v && tcp.dstport == 80 && tcp.len > 0" -e tcp.payload | nirs)" -ge 100

a=$A_exfil_ftp v=$V_exfil_ftp w=$W_exfil_ftp m=$(cutwin exfil_ftp)
expect "exfil_ftp: FTP STOR $a -> $v" "$(cnt "$m" "$w && ip.src == $a && ip.dst == $v && ftp.request.command == \"STOR\"")" -ge 1
expect "exfil_ftp: valid NIRs in FTP data $a -> $v" "$(ts "$m" "$w && ip.src == $a && ip.dst == $v && tcp.dstport != 21 && tcp.len > 0" -e tcp.payload | nirs)" -ge 100

a=$A_rogue_kali w=$W_rogue_kali m=$(cutwin rogue_kali)
expect "rogue_kali: DHCP with hostname kali" "$(cnt "$m" "$w && dhcp.option.hostname == \"kali\"")" -ge 1
expect "rogue_kali: DNS queries for kali names from $a" "$(cnt "$m" "$w && ip.src == $a && dns.flags.response == 0 && dns.qry.name contains \"kali\"")" -ge 2
expect "rogue_kali: SYN probes from $a" "$(cnt "$m" "$w && ip.src == $a && $syn")" -ge 100

a=$A_c2_beacon v=$V_c2_beacon w=$W_c2_beacon m=$(cutwin c2_beacon)
expect "c2_beacon: connections $a -> $v:8080" "$(cnt "$m" "$w && ip.src == $a && ip.dst == $v && tcp.dstport == 8080 && $syn")" -ge 15
med=$(ts "$m" "$w && ip.src == $a && ip.dst == $v && tcp.dstport == 8080 && $syn" -e frame.time_epoch | "$PY" -c '
import sys, statistics
t = [float(x) for x in sys.stdin if x.strip()]
d = [b - a for a, b in zip(t, t[1:])]
print("%.0f" % (statistics.median(d) * 10) if d else 0)')
expect "c2_beacon: median interval x10 s" "$med" -ge 85
expect "c2_beacon: median interval x10 s" "$med" -le 115

a=$A_tor_tls v=$V_tor_tls w=$W_tor_tls m=$(cutwin tor_tls)
expect "tor_tls: ClientHello $a -> $v:9001 with SNI www.<base32>.com" "$(cnt "$m" "$w && ip.src == $a && ip.dst == $v && tcp.dstport == 9001 && tls.handshake.type == 1 && tls.handshake.extensions_server_name matches \"^www\\\\.[a-z2-7]+\\\\.com$\"")" -ge 3
if grep -qx "$v" "$TL"; then ok "tor_tls: $v is listed in tor-exit-nodes.lst"; else bad "tor_tls: $v not in tor-exit-nodes.lst"; fi

echo "== benign.pcap: no attack at all, and the benign services are there"
attackers=$(printf 'ip.addr == %s || ' $A_ftp_bruteforce $A_rogue_kali $V_exfil_http $V_c2_beacon $V_tor_tls)
expect "benign: packets of the attacker, kali or external hosts" "$(cnt "$B" "${attackers% || }")" -eq 0
expect "benign: external 10.77.200.0/24 traffic" "$(cnt "$B" "ip.addr == 10.77.200.0/24")" -eq 0
expect "benign: FTP 530 replies" "$(cnt "$B" "ftp.response.code == 530")" -eq 0
expect "benign: DHCP hostname kali / kali DNS" "$(cnt "$B" "dhcp.option.hostname == \"kali\" || dns.qry.name contains \"kali\"")" -eq 0
expect "benign: TCP 9001 / 8080" "$(cnt "$B" "tcp.port == 9001 || tcp.port == 8080")" -eq 0
expect "benign: most distinct ports < 30000 SYN-probed by one source" "$(ts "$B" "$syn && tcp.dstport < 30000" -e ip.src -e tcp.dstport | sort -u | awk '{print $1}' | sort | uniq -c | sort -rn | awk 'NR==1{print $1+0} END{if(NR==0)print 0}')" -le 60
expect "benign: valid NIRs in HTTP/FTP payloads" "$(ts "$B" "(tcp.port == 80 || ftp-data) && tcp.len > 0" -e tcp.payload | nirs)" -eq 0
expect "benign: TCP streams" "$(ts "$B" "tcp.flags.syn == 1 && tcp.flags.ack == 0" -e tcp.stream | sort -u | wc -l)" -ge 1000
expect "benign: flows (TCP + UDP streams)" "$(( $(ts "$B" tcp -e tcp.stream | sort -u | wc -l) + $(ts "$B" udp -e udp.stream | sort -u | wc -l) ))" -ge 3000
expect "benign: DHCP packets" "$(cnt "$B" dhcp)" -ge 8
expect "benign: DNS queries" "$(cnt "$B" "dns.flags.response == 0")" -ge 200
expect "benign: HTTP requests (GET and POST)" "$(cnt "$B" "http.request")" -ge 200
expect "benign: HTTP POST" "$(cnt "$B" "http.request.method == \"POST\"")" -ge 5
expect "benign: FTP logins (230)" "$(cnt "$B" "ftp.response.code == 230")" -ge 20
expect "benign: SSH sessions" "$(cnt "$B" "tcp.dstport == 22 && $syn")" -ge 20
expect "benign: HL7 MLLP payloads on 2575" "$(cnt "$B" "tcp.port == 2575 && tcp.len > 0")" -ge 100
expect "benign: HL7 ACK MSA|AA" "$(cnt "$B" "tcp.srcport == 2575 && frame contains \"MSA|AA\"")" -ge 50

if [ $fail -ne 0 ]; then echo "verify.sh: FAILED: evidence missing (see FAIL lines)"; exit 1; fi
echo "verify.sh: all evidence present"
