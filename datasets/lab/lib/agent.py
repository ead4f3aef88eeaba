#!/usr/bin/python3
"""Workstation background agent of the vigie lab (stdlib only, in-process so it costs little CPU).

  agent.py NAME SEED STOPFILE MAXSECS

Like the software of a real hospital PC: a desktop agent polls the intranet API (new HTTP connection each
time, 2-7 s apart, jittered) and the OS resolves names now and then (WPAD, domain controller, time server,
NXDOMAIN ones included). Stops when STOPFILE exists or after MAXSECS, at most 20000 iterations.
"""
import http.client
import os
import random
import socket
import sys
import time

NAMES = ["wpad.hopital.lan", "dc01.hopital.lan", "time.hopital.lan", "intranet.hopital.lan", "www.hopital.lan",
         "messagerie.hopital.lan", "imprimante3.hopital.lan", "pacs.hopital.lan", "ftp.hopital.lan",
         "hl7.hopital.lan", "isatap.hopital.lan", "dpi.hopital.lan"]
APIS = ["/api/alertes.json", "/api/agenda.json", "/api/lits.json", "/api/messages.json"]


def main(argv):
    name, seed, stop, maxsecs = argv[1], int(argv[2]), argv[3], float(argv[4])
    rng = random.Random(seed)
    end = time.time() + maxsecs
    next_poll = time.time() + rng.uniform(0, 3)
    next_dns = time.time() + rng.uniform(0, 2)
    for _ in range(20000):
        now = time.time()
        if now > end or os.path.exists(stop):
            break
        if now >= next_poll:
            try:
                c = http.client.HTTPConnection(rng.choice(["intranet.hopital.lan", "dpi.hopital.lan"]), 80, timeout=5)
                c.request("GET", "%s?poste=%s&n=%d" % (rng.choice(APIS), name, rng.randint(0, 99999)),
                          headers={"User-Agent": "HopitalAgent/3.2 (%s)" % name, "Connection": "close"})
                c.getresponse().read()
                c.close()
            except OSError:
                pass
            next_poll = now + rng.uniform(2.0, 7.0)
        if now >= next_dns:
            try:
                socket.getaddrinfo(rng.choice(NAMES), None, socket.AF_INET, socket.SOCK_STREAM)
            except OSError:
                pass
            next_dns = now + rng.uniform(0.8, 4.0)
        time.sleep(max(0.05, min(next_poll, next_dns) - time.time()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
