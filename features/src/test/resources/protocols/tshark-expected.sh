#!/usr/bin/env bash
# Regenerates the tshark reference fields the real-capture tests compare with (ProtocolRealCapturesTest).
# Run from this directory with the shared captures at $SHARED/captures:
#   SHARED=/work/shared ./tshark-expected.sh
# Made with TShark (Wireshark) 4.0.17 (Debian 12 package 4.0.17-0+deb12u3). Output: one TSV per protocol,
# columns: capture path (relative to captures/), frame number, src, sport, dst, dport, transport, then the fields
# (several values of one field joined by the ASCII unit separator 0x1F, which no field contains).
set -euo pipefail
cd "$(dirname "$0")"
C="${SHARED:?set SHARED to the shared folder}/captures"

fields() {   # fields <out> <capture> <display filter> [extra tshark options...] -- <field>...
  local out="$1" cap="$2" filter="$3"; shift 3
  local opts=()
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done; shift
  local e=()
  for f in "$@"; do e+=(-e "$f"); done
  tshark -r "$C/$cap" -n "${opts[@]}" -Y "$filter" -T fields -E separator=/t -E occurrence=a -E aggregator=$'\x1f' -E quote=n \
    -e frame.number -e ip.src -e ipv6.src -e tcp.srcport -e udp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport -e udp.dstport \
    "${e[@]}" 2>/dev/null |
  awk -v cap="$cap" 'BEGIN{FS=OFS="\t"} {
      src=($2!="")?$2:$3; sport=($4!="")?$4:$5; dst=($6!="")?$6:$7; dport=($8!="")?$8:$9; tr=($4!="")?"tcp":"udp";
      printf "%s\t%s\t%s\t%s\t%s\t%s\t%s", cap, $1, src, sport, dst, dport, tr;
      for (i = 10; i <= NF; i++) printf "\t%s", $i; printf "\n" }' >> "$out"
}

rm -f dns.tsv tls.tsv http.tsv ftp.tsv ftp-data.tsv ssh.tsv dhcp.tsv hl7.tsv dicom.tsv

for cap in Protocol_Protectors/fastFlux.pcap nDPI/tests/cfgs/default/pcap/dns_exfiltration.pcap \
           nDPI/tests/cfgs/default/pcap/dns-tunnel-iodine.pcap nDPI/tests/cfgs/default/pcap/bad-dns-traffic.pcap \
           chrissanders-packets/dns_axfr.pcapng chrissanders-packets/dns_isp_hijack.pcapng \
           zeek/testing/btest/Traces/wikipedia.pcap Protocol_Protectors/test.pcap; do
  fields dns.tsv "$cap" "dns && !icmp" -- dns.flags.response dns.qry.name dns.qry.type dns.flags.rcode dns.count.answers dns.a dns.aaaa \
    dns.count.auth_rr dns.count.add_rr
done

for cap in nDPI/tests/cfgs/default/pcap/tor.pcap nDPI/tests/cfgs/default/pcap/selfsigned.pcap \
           nDPI/tests/cfgs/default/pcap/tls_malicious_sha1.pcapng \
           suricata-verify/tests/bug-5713-01/TLSv1-Extracted-MaliciousC2.pcap \
           nDPI/tests/cfgs/default/pcap/sites.pcapng Protocol_Protectors/tor.pcap \
           suricata-verify/tests/tls/tls-bypass-missing-event/tor_bl.pcap nDPI/tests/cfgs/default/pcap/teams.pcap \
           zeek/testing/btest/Traces/ssl-and-ssh-using-sslh.pcap; do
  fields tls.tsv "$cap" "tcp && tls.handshake.type == 1 || tcp && tls.handshake.type == 2 || tcp && tls.handshake.type == 11" -- \
    tls.handshake.type tls.handshake.extensions_server_name tls.handshake.ja3 tls.handshake.extensions_alpn_str \
    tls.handshake.ciphersuite tls.handshake.extensions.supported_version tls.handshake.version tls.handshake.certificate
done

for cap in zeek/testing/btest/Traces/workshop_2011_browse.pcap chrissanders-packets/http_espn.pcapng \
           zeek/testing/btest/Traces/http/http-post-large.pcap zeek/testing/btest/Traces/http/putty-upload.pcap \
           zeek/testing/btest/Traces/http/ctu-62604-80.pcap nDPI/tests/cfgs/default/pcap/WebattackSQLinj.pcap \
           linkia-xuan-network/neverssl.pcap nDPI/tests/cfgs/default/pcap/emotet.pcap \
           chrissanders-packets/http_dvwa_clearlogin.pcapng; do
  fields http.tsv "$cap" "http.request || http.response" -- http.request.method http.host http.request.uri http.user_agent http.response.code
done

for cap in zeek/testing/btest/Traces/ftp/bruteforce.pcap zeek/testing/btest/Traces/ftp/ipv4.pcap \
           nDPI/tests/cfgs/default/pcap/ftp.pcap nDPI/tests/cfgs/default/pcap/ftp_failed.pcap \
           chrissanders-packets/tickedoffdeveloper.pcapng; do
  fields ftp.tsv "$cap" "ftp" -- ftp.request.command ftp.request.arg ftp.response.code
  fields ftp-data.tsv "$cap" "ftp-data" -- ftp-data.setup-frame
done

for cap in zeek/testing/btest/Traces/ssh/sshguess.pcap zeek/testing/btest/Traces/ssh/ssh.pcap \
           nDPI/tests/cfgs/default/pcap/ssh.pcap suricata-verify/tests/ssh-hassh/input.pcap; do
  fields ssh.tsv "$cap" "ssh.protocol" -- ssh.protocol
done

for cap in zeek/testing/btest/Traces/dhcp/dhcp_flood.pcap; do
  fields dhcp.tsv "$cap" "dhcp" -- dhcp.option.dhcp dhcp.hw.mac_addr dhcp.option.requested_ip_address dhcp.option.hostname \
    dhcp.option.vendor_class_id dhcp.option.request_list_item
done

# 10,000 requests on one tuple: the first 200 say as much
fields dhcp.tsv suricata-verify/tests/dhcp-request-flood/test.pcap "dhcp" -c 200 -- dhcp.option.dhcp dhcp.hw.mac_addr \
  dhcp.option.requested_ip_address dhcp.option.hostname dhcp.option.vendor_class_id dhcp.option.request_list_item

fields hl7.tsv nDPI/tests/cfgs/default/pcap/hl7.pcap "hl7.message.type" -d tcp.port==6661,hl7 -- hl7.message.type hl7.event.type hl7.field
fields hl7.tsv generated-local/hl7/hl7_mllp_loopback.pcap "hl7.message.type" -d tcp.port==2575,hl7 -- hl7.message.type hl7.event.type hl7.field

fields dicom.tsv generated-local/dicom/dicom_loopback.pcap "dicom.assoc.ae.called" -d tcp.port==11112,dicom -- \
  dicom.pdu.type dicom.assoc.ae.called dicom.assoc.ae.calling

wc -l ./*.tsv
