#!/bin/sh
# Minimal dhclient script for the lab: sets only the address (never a route, never /etc/resolv.conf).
case "$reason" in
  PREINIT) ip link set dev "$interface" up ;;
  BOUND|RENEW|REBIND|REBOOT)
    if [ -n "${old_ip_address:-}" ] && [ "$old_ip_address" != "$new_ip_address" ]; then
      ip addr del "$old_ip_address/16" dev "$interface" 2>/dev/null
    fi
    ip addr replace "$new_ip_address/16" dev "$interface"
    [ -n "${VGL_LEASE_OUT:-}" ] && echo "$new_ip_address" > "$VGL_LEASE_OUT" ;;
esac
exit 0
