#!/bin/bash
# Benign behaviour of one lab workstation (runs inside its namespace).
# workstation.sh NAME SEED STOPFILE MAXSECS LABTMP USER PASSWORD KEYFILE PROFILE
# PROFILE: office | admin | clinic  (weights of the actions). Bounded by MAXSECS and 4000 actions.
set -u
name=$1; RANDOM=$2; stop=$3; maxs=$4; T=$5; user=$6; pass=$7; key=$8; profile=$9
end=$(( $(date +%s) + maxs ))
uas=("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Edg/120.0")
ua=${uas[$((RANDOM % 3))]}
webhosts=(www.hopital.lan intranet.hopital.lan dpi.hopital.lan)
pages=(/ /index.html /intranet/accueil.html /intranet/planning.html /intranet/annuaire.html /intranet/menu.html
       /dpi/patient/recherche.html /dpi/consultation.html /qualite/protocoles.html /rh/conges.html
       /api/lits.json /api/agenda.json /api/alertes.json /static/app.js /static/style.css /static/logo.png
       /img/banniere.jpg /img/plan.png /docs/note-service.html /missing.html /old/index.bak /favicon.ico)
files=("$T"/files/*)
dnsnames=(ftp.hopital.lan ssh.hopital.lan hl7.hopital.lan ns.hopital.lan www.hopital.lan intranet
          dpi.hopital.lan messagerie.hopital.lan pacs.hopital.lan imprimante3.hopital.lan)
sshcmds=("uptime" "df -h /" "ls -la" "cat /etc/hostname" "ps -e | wc -l" "date" "free -m" "id" "uname -a")
case $profile in
  admin)  w_web=38; w_up=3; w_dns=20; w_ftp=15; w_ssh=24 ;;
  clinic) w_web=60; w_up=6; w_dns=22; w_ftp=9; w_ssh=3 ;;
  *)      w_web=52; w_up=5; w_dns=22; w_ftp=15; w_ssh=6 ;;
esac
curlw() { timeout 20 curl -s -o /dev/null --max-time 15 -A "$ua" "$@" 2>/dev/null; }
ssho=(-F /dev/null -i "$key" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
      -o ConnectTimeout=5 -o LogLevel=ERROR)
for ((i = 0; i < 4000; i++)); do
  [ -e "$stop" ] && break
  [ "$(date +%s)" -ge "$end" ] && break
  h=${webhosts[$((RANDOM % 3))]}
  r=$((RANDOM % 100))
  if ((r < w_web)); then
    n=$((1 + RANDOM % 4)); urls=()
    for ((k = 0; k < n; k++)); do urls+=("http://$h${pages[$((RANDOM % ${#pages[@]}))]}"); done
    case $((RANDOM % 5)) in
      0|1) for u in "${urls[@]}"; do curlw -H 'Connection: close' "$u"; done ;;   # one connection per page
      1) curlw -0 "${urls[0]}" ;;                                                # HTTP/1.0
      *) timeout 20 curl -s --max-time 15 -A "$ua" "${urls[@]}" >/dev/null 2>&1 ;;  # keep-alive
    esac
  elif ((r < w_web + w_up)); then
    f=${files[$((RANDOM % ${#files[@]}))]}
    if ((RANDOM % 2)); then curlw -F "document=@$f" -F "service=$name" "http://$h/upload"
    else curlw -d "nom=agent$((RANDOM % 90))&service=$name&motif=demande+$((RANDOM % 1000))" "http://$h/form/demande"; fi
  elif ((r < w_web + w_up + w_dns)); then
    for ((k = RANDOM % 3; k < 3; k++)); do case $((RANDOM % 5)) in
      0) getent hosts "10.77.1.$((RANDOM % 2 ? 10 : 21))" >/dev/null ;;
      1) getent hosts "wwww.hopital.lan" >/dev/null ;;
      2) getent ahostsv4 "${webhosts[$((RANDOM % 3))]}" >/dev/null ;;
      *) getent hosts "${dnsnames[$((RANDOM % ${#dnsnames[@]}))]}" >/dev/null ;;
    esac; done
  elif ((r < w_web + w_up + w_dns + w_ftp)); then
    base="ftp://$user:$pass@ftp.hopital.lan"
    act=(); ((RANDOM % 4 == 0)) && act=(--ftp-port -)                      # active mode sometimes
    case $((RANDOM % 4)) in
      0) curlw "${act[@]}" "$base/" ;;
      1) curlw "${act[@]}" "$base/partage/" ;;
      2) curlw "${act[@]}" "$base/partage/$(basename "${files[$((RANDOM % ${#files[@]}))]}")" ;;
      3) curlw "${act[@]}" --ftp-create-dirs -T "${files[$((RANDOM % ${#files[@]}))]}" "$base/depot/${name}_$i.dat" ;;
    esac
  else
    if ((RANDOM % 5 == 0)); then
      timeout 20 scp -q "${ssho[@]}" "${files[$((RANDOM % ${#files[@]}))]}" "$user@ssh.hopital.lan:depot_$i.dat" 2>/dev/null
    else
      timeout 20 ssh "${ssho[@]}" "$user@ssh.hopital.lan" "${sshcmds[$((RANDOM % ${#sshcmds[@]}))]}" >/dev/null 2>&1
    fi
  fi
  # think time: mostly short, sometimes a longer pause
  if ((RANDOM % 15 == 0)); then sleep "$((1 + RANDOM % 3)).$((RANDOM % 10))"; else sleep "0.$((RANDOM % 6))$((1 + RANDOM % 9))"; fi
done
exit 0
