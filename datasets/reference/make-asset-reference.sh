#!/usr/bin/env bash
# Produce the values vigie's asset inventory is tested against (AssetsTsharkTest), with tshark.
#
#   datasets/reference/make-asset-reference.sh
#
# Writes assets/src/test/resources/reference-assets/<name>.<kind>.tsv, sorted, distinct, for each capture below
# (lab captures from datasets/lab, the others from the shared corpus, $VIGIE_SHARED_CAPTURES, default
# <repo>/../shared/captures):
#   arp   ARP sender bindings:  tshark -r F -Y 'arp && arp.src.proto_ipv4 != 0.0.0.0' -T fields -E occurrence=f -e arp.src.hw_mac -e arp.src.proto_ipv4
#   dhcp  DHCP client names:    tshark -r F -Y 'dhcp.option.hostname' -T fields -E occurrence=f -e dhcp.hw.mac_addr -e dhcp.option.hostname
#   l2    IPv4 sources by MAC:  tshark -r F -Y 'eth && ip && !icmp' -T fields -E occurrence=f -e eth.src -e ip.src   (private sources only)
#   macs  every station MAC:   eth.src, arp.src.hw_mac and dhcp.hw.mac_addr of every frame
# Needs tshark (Debian: apt-get install tshark). Same tshark version, same files.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${VIGIE_SHARED_CAPTURES:-$ROOT/../shared/captures}
OUT=$ROOT/assets/src/test/resources/reference-assets
mkdir -p "$OUT"
tshark --version | head -1 > "$OUT/tools-version.txt"
private='^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|169\.254\.|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.)'
one() { # name file
    local name=$1 f=$2
    tshark -r "$f" -Y 'arp && arp.src.proto_ipv4 != 0.0.0.0' -T fields -E occurrence=f -e arp.src.hw_mac -e arp.src.proto_ipv4 | LC_ALL=C sort -u > "$OUT/$name.arp.tsv"
    tshark -r "$f" -Y 'dhcp.option.hostname' -T fields -E occurrence=f -e dhcp.hw.mac_addr -e dhcp.option.hostname | LC_ALL=C sort -u > "$OUT/$name.dhcp.tsv"
    tshark -r "$f" -Y 'eth && ip && !icmp' -T fields -E occurrence=f -e eth.src -e ip.src | awk -F'\t' -v re="$private" '$2 ~ re' | LC_ALL=C sort -u > "$OUT/$name.l2.tsv"
    tshark -r "$f" -T fields -E occurrence=f -e eth.src -e arp.src.hw_mac -e dhcp.hw.mac_addr | tr '\t' '\n' | grep -v '^$' | LC_ALL=C sort -u > "$OUT/$name.macs.tsv"
    echo "$name: $(wc -l < "$OUT/$name.arp.tsv") arp, $(wc -l < "$OUT/$name.dhcp.tsv") dhcp, $(wc -l < "$OUT/$name.l2.tsv") l2"
}
one lab-benign "$ROOT/datasets/lab/benign.pcap"
one lab-mixed "$ROOT/datasets/lab/mixed.pcap"
while IFS=$'\t' read -r name rel; do
    one "$name" "$SHARED/$rel"
done <<'LIST'
arppoison	chrissanders-packets/arppoison.pcapng
arp-storm	Protocol_Protectors/arp-storm.pcap
netbios	nDPI/tests/cfgs/default/pcap/netbios.pcap
nmap-vsn	zeek/testing/btest/Traces/nmap-vsn.pcap
wikipedia	zeek/testing/btest/Traces/wikipedia.pcap
var-services	zeek/testing/btest/Traces/var-services-std-ports.pcap
sample	Protocol_Protectors/Sample.pcapng
tcp-scan	nDPI/tests/cfgs/default/pcap/tcp_scan.pcapng
smb-psexec	suricata-verify/tests/smb2-07/20171220_smb_psexec_add_user.pcap
1kxun	nDPI/tests/cfgs/default/pcap/1kxun.pcap
teams	nDPI/tests/cfgs/default/pcap/teams.pcap
tor	Protocol_Protectors/tor.pcap
LIST
