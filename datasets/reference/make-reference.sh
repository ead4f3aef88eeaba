#!/usr/bin/env bash
# Produce the reference values that vigie's flow extractor is tested against.
#
#   datasets/reference/make-reference.sh            # from the repository root or anywhere
#
# Writes features/src/test/resources/reference/ (see README.md there):
#   tools-version.txt                 versions of tshark / capinfos / sharkd used
#   capinfos.tsv                      one row per shipped capture (datasets/captures/...)
#                                     and per capture of the shared corpus (path relative
#                                     to its root), in that order
#   <name>.conv_tcp.tsv, <name>.conv_udp.tsv   tshark conversations per shipped capture
#   <name>.packets.tsv.gz             tshark per-packet fields per shipped capture
#
# Needs tshark, sharkd and capinfos (Debian: apt-get install tshark), python3, gzip.
# The shared corpus is read from $VIGIE_SHARED_CAPTURES, default <repo>/../shared/captures.
# Running it again with the same tool versions rewrites identical files.
#
# Conversation direction semantics (Wireshark/TShark 4.0.17, checked at every run by
# the self-test below on datasets/captures/ftp-ipv6-failed.pcap and, for every
# conversation, by reftool.py against per-packet counts):
#   "A" is the address:port printed on the left = source of the conversation's first packet
#   column group "<-"  = frames/bytes sent by B to A   (sharkd field rxf/rxb)
#   column group "->"  = frames/bytes sent by A to B   (sharkd field txf/txb)
#   bytes are frame bytes: original frame length, link-layer header included
# tshark prints byte counts >= 10000 rounded with a unit ("423 kB"), so the exact counts
# are taken from sharkd's conv tap (same dissection engine, same build); reftool.py
# checks that every text row agrees with its sharkd row (frames exactly, bytes within the
# printed rounding, duration within the printed 4 decimals).  Other versions print other
# headings (newer releases renamed the groups); the self-test stops the run if the
# assumptions above do not hold.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${VIGIE_SHARED_CAPTURES:-$ROOT/../shared/captures}
OUT=$ROOT/features/src/test/resources/reference
CAPS=$ROOT/datasets/captures
TOOL="python3 $ROOT/datasets/reference/reftool.py"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Defaults only: no personal Wireshark profile/preferences, UTC, C locale.
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home/.config TZ=UTC LC_ALL=C
mkdir -p "$HOME" "$OUT"

[ -f "$SHARED/INDEX.tsv" ] || { echo "shared captures not found at $SHARED (set VIGIE_SHARED_CAPTURES)" >&2; exit 1; }

TSHARK=(tshark -n)          # -n: no name resolution, addresses stay numeric
PKT_FIELDS=(frame.number ip.src ipv6.src ip.dst ipv6.dst tcp.srcport tcp.dstport
            udp.srcport udp.dstport ip.len ipv6.plen vlan.id frame.len frame.cap_len
            frame.time_epoch frame.interface_id ip.proto ipv6.nxt tcp.stream udp.stream
            tcp.flags tcp.seq_raw frame.protocols)

# ---- tool versions ---------------------------------------------------------------
{
  tshark --version 2>/dev/null | head -1
  capinfos --version 2>/dev/null | head -1
  sharkd -v 2>/dev/null | head -1
} > "$OUT/tools-version.txt"
grep -q '^TShark (Wireshark) 4\.0\.' "$OUT/tools-version.txt" || \
  echo "warning: reference values were made with TShark 4.0.x; the self-test decides if this version fits" >&2

shipped() { (cd "$CAPS" && ls -1 -- *.pcap *.pcapng 2>/dev/null | LC_ALL=C sort); }

packets_dump() {  # $1 capture, $2 output .tsv.gz
  local args=() f
  for f in "${PKT_FIELDS[@]}"; do args+=(-e "$f"); done
  "${TSHARK[@]}" -r "$1" -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, \
    "${args[@]}" 2>/dev/null | gzip -9n > "$2"
}

sharkd_conv() {   # $1 capture (absolute path), $2 output; runs the conv:TCP and conv:UDP taps
  printf '%s\n%s\n' \
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"load\",\"params\":{\"file\":\"$1\"}}" \
    '{"jsonrpc":"2.0","id":2,"method":"tap","params":{"tap0":"conv:TCP","tap1":"conv:UDP"}}' \
    | sharkd - > "$2" 2>/dev/null
}

# ---- direction self-test on a capture we understand ------------------------------
# ftp-ipv6-failed.pcap: one FTP control connection, the client (first packet, SYN)
# sends 10 frames / 892 bytes, the server 8 frames / 808 bytes.
"${TSHARK[@]}" -r "$CAPS/ftp-ipv6-failed.pcap" -q -z conv,tcp > "$TMP/selftest.txt" 2>/dev/null
packets_dump "$CAPS/ftp-ipv6-failed.pcap" "$TMP/selftest.packets.tsv.gz"
$TOOL direction-selftest "$TMP/selftest.txt" "$TMP/selftest.packets.tsv.gz"

# ---- capinfos.tsv ----------------------------------------------------------------
capinfos_row() {  # $1 label, $2 file
  capinfos -T -M -S -R -t -E -c -d -a -e -o -H "$2" > "$TMP/ci.table" 2>/dev/null
  capinfos -M -I "$2" > "$TMP/ci.ifaces" 2>/dev/null
  "${TSHARK[@]}" -r "$2" -T fields -e frame.len -e frame.cap_len -e frame.time_epoch \
    > "$TMP/ci.frames" 2>/dev/null
  $TOOL capinfos-row "$1" "$TMP/ci.table" "$TMP/ci.ifaces" "$TMP/ci.frames" "$2"
}
{
  $TOOL capinfos-header
  for f in $(shipped); do capinfos_row "datasets/captures/$f" "$CAPS/$f"; done
  tail -n +2 "$SHARED/INDEX.tsv" | cut -f1 | while IFS= read -r rel; do
    capinfos_row "$rel" "$SHARED/$rel"
  done
} > "$TMP/capinfos.tsv"
mv "$TMP/capinfos.tsv" "$OUT/capinfos.tsv"

# Report (do not fail on) packet counts that differ from the shared INDEX.tsv.
awk -F'\t' 'NR==FNR { if (FNR > 1) idx[$1] = $6; next }
            FNR > 1 && ($1 in idx) && idx[$1] != $2 { print "note: " $1 ": INDEX.tsv " idx[$1] " packets, capinfos " $2 }' \
  "$SHARED/INDEX.tsv" "$OUT/capinfos.tsv" >&2

# ---- per shipped capture: conversations and packet dump ---------------------------
for f in $(shipped); do
  name=${f%.*}
  packets_dump "$CAPS/$f" "$OUT/$name.packets.tsv.gz"
  sharkd_conv "$CAPS/$f" "$TMP/$name.sharkd.json"
  for proto in tcp udp; do
    "${TSHARK[@]}" -r "$CAPS/$f" -q -z "conv,$proto" > "$TMP/$name.conv_$proto.txt" 2>/dev/null
    $TOOL conv "$proto" "$TMP/$name.conv_$proto.txt" "$TMP/$name.sharkd.json" \
      "$OUT/$name.packets.tsv.gz" "$OUT/$name.conv_$proto.tsv"
  done
done

echo "reference files written to $OUT"
