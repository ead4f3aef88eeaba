#!/usr/bin/python3
"""HTTP servers of the vigie lab (stdlib only).

  web.py MODE ADDR PORT LOGFILE
    site : hospital intranet; GET pages of deterministic varied sizes, 404s, POST /upload and /form
    sink : "external" file drop; accepts any POST/PUT and answers a short JSON
    c2   : C2-like server; GET /api/v1/poll answers a constant small JSON task
HTTP/1.1 with Content-Length, so clients may keep connections alive.
"""
import hashlib
import http.server
import random
import sys
import time

WORDS = ("patient service planning garde infirmier bloc consultation urgence pharmacie laboratoire "
         "imagerie radiologie admission sortie dossier compte rendu protocole hygiene formation astreinte "
         "cardiologie pediatrie maternite reanimation biologie qualite securite intranet note agenda").split()


def body_for(path: str) -> (bytes, str):
    h = int(hashlib.sha256(path.encode()).hexdigest()[:8], 16)
    rng = random.Random(h)
    if path.endswith((".png", ".jpg", ".ico")):
        size = 200 + (h % 6000 if h % 8 else h % 16000)
        return bytes(rng.getrandbits(8) for _ in range(size)), "image/png"
    if path.endswith(".js") or path.endswith(".css"):
        size = 300 + h % 4000
        text = " ".join(rng.choice(WORDS) for _ in range(size // 6))
        return ("/* %s */\n%s\n" % (path, text)).encode(), (
            "application/javascript" if path.endswith(".js") else "text/css")
    if path.startswith("/api/"):
        items = ",".join('{"id":%d,"lit":"%s","etat":"%s"}' % (
            rng.randint(1, 999), rng.choice(["A", "B", "C"]) + str(rng.randint(1, 40)),
            rng.choice(["libre", "occupe", "nettoyage"])) for _ in range(1 + h % 25))
        return ('{"ts":%d,"items":[%s]}' % (int(time.time()), items)).encode(), "application/json"
    size = 300 + (h % 4000 if h % 10 else h % 20000)
    paras = []
    n = 0
    while n < size:
        p = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
        paras.append("<p>%s</p>" % p)
        n += len(p) + 7
    return ("<!doctype html><html><head><title>%s</title></head><body><h1>%s</h1>%s</body></html>\n" % (
        path, rng.choice(WORDS).capitalize(), "\n".join(paras))).encode(), "text/html; charset=utf-8"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def log_message(self, fmt, *args):
        self.server.logf.write("%.6f %s %s\n" % (time.time(), self.client_address[0], fmt % args))

    def send(self, code, body, ctype):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if self.headers.get("Connection", "").lower() == "close":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(n, 50 << 20)) if n > 0 else b""

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        mode = self.server.mode
        if mode == "c2":
            if self.path.startswith("/api/v1/poll"):
                return self.send(200, b'{"status":"ok","task":"sleep","interval":10}', "application/json")
            return self.send(404, b"not found", "text/plain")
        if mode == "sink":
            return self.send(200, b"<html><body>FileDrop</body></html>", "text/html")
        if "missing" in self.path or self.path.endswith(".bak"):
            return self.send(404, b"<html><body>404 Not Found</body></html>", "text/html")
        body, ctype = body_for(self.path.split("?")[0])
        return self.send(200, body, ctype)

    def do_POST(self):
        data = self.read_body()
        if self.server.mode == "sink":
            return self.send(200, ('{"stored":%d}' % len(data)).encode(), "application/json")
        if self.server.mode == "c2":
            return self.send(200, b'{"status":"ok"}', "application/json")
        if self.path.startswith("/upload"):
            return self.send(201, ('{"ok":true,"bytes":%d}' % len(data)).encode(), "application/json")
        return self.send(200, b"<html><body>Merci, formulaire enregistre.</body></html>", "text/html")

    do_PUT = do_POST


def main(argv):
    if len(argv) != 5 or argv[1] not in ("site", "sink", "c2"):
        sys.stderr.write(__doc__)
        return 2
    srv = http.server.ThreadingHTTPServer((argv[2], int(argv[3])), Handler)
    srv.daemon_threads = True
    srv.mode = argv[1]
    srv.logf = open(argv[4], "a", buffering=1)
    Handler.server_version = {"site": "Apache", "sink": "nginx", "c2": "nginx"}[argv[1]]
    Handler.sys_version = ""
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
