#!/usr/bin/python3
"""HL7 v2 over MLLP for the vigie lab (stdlib only).

  hl7.py engine ADDR PORT LOGFILE
      interface engine: ACKs every framed message with MSA|AA (robust to junk, e.g. nmap probes).
  hl7.py device NAME ENGINE_ADDR PORT MODE SEED STOPFILE MAXSECS
      biomedical device; MODE is one of
        monitor  : ORU^R01 vitals on a persistent connection, reconnecting every 10-30 messages
        pump     : ORU^R01 infusion status, one connection per message
        adt      : ADT^A01 / ADT^A08 (with INS/NIR in PID-3), one connection per message
      stops when STOPFILE exists or after MAXSECS (bounded in count too).
"""
import os
import random
import socket
import socketserver
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import patients  # noqa: E402

SB, EB, CR = b"\x0b", b"\x1c", b"\x0d"


def frame(msg: str) -> bytes:
    return SB + msg.encode("ascii", "replace") + EB + CR


class MLLPHandler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        sock.settimeout(60)
        buf = b""
        n = 0
        while n < 10000:
            try:
                data = sock.recv(65536)
            except (socket.timeout, OSError):
                return
            if not data:
                return
            buf += data
            if len(buf) > 1 << 20:
                return
            if not buf.lstrip(b"\r\n").startswith(SB):
                # not MLLP (e.g. a scanner's probe): close the connection, like engines do
                self.server.log("%s non-MLLP data dropped (%d bytes)" % (self.client_address[0], len(buf)))
                return
            while EB + CR in buf:
                start = buf.find(SB)
                end = buf.find(EB + CR)
                msg, buf = buf[start + 1:end], buf[end + 2:]
                n += 1
                try:
                    sock.sendall(frame(self.ack(msg.decode("ascii", "replace"))))
                except OSError:
                    return
                self.server.log("%s %s" % (self.client_address[0], msg[:60]))

    @staticmethod
    def ack(msg: str) -> str:
        segs = msg.split("\r")
        msh = segs[0].split("|") if segs and segs[0].startswith("MSH") else []
        ctrl = msh[9] if len(msh) > 9 else "0"
        trig = msh[8].split("^")[1] if len(msh) > 8 and "^" in msh[8] else ""
        sapp, sfac = (msh[2], msh[3]) if len(msh) > 3 else ("", "")
        ts = time.strftime("%Y%m%d%H%M%S")
        return "\r".join([
            "MSH|^~\\&|VIGIE-ENGINE|HOPITAL|%s|%s|%s||ACK^%s^ACK|A%s|P|2.5" % (sapp, sfac, ts, trig, ctrl),
            "MSA|AA|%s" % ctrl]) + "\r"


class Engine(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, logfile):
        super().__init__(addr, MLLPHandler)
        self._log = open(logfile, "a", buffering=1)
        self._lock = threading.Lock()

    def log(self, line):
        with self._lock:
            self._log.write("%.6f %s\n" % (time.time(), line))


def msg_adt(rng, name, ctrl, p, trigger):
    ts = time.strftime("%Y%m%d%H%M%S")
    ward = rng.choice(["CARDIO^101^1", "URG^B02^2", "PNEUMO^312^1", "REA^R04^1", "PEDIA^208^2"])
    return "\r".join([
        "MSH|^~\\&|%s|HOPITAL|VIGIE-ENGINE|HOPITAL|%s||ADT^%s^ADT_A01|%s|P|2.5|||||FRA|8859/1" % (
            name.upper(), ts, trigger, ctrl),
        "EVN|%s|%s" % (trigger, ts),
        "PID|1||%s^^^HOPITAL&1.2.250.1.71.4.2.7&ISO^PI~%s^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||"
        "%s^%s^^^^^L||%s|%s" % (p["ipp"], p["nir"], p["last"], p["first"], p["birth"], p["sex"]),
        "PV1|1|I|%s||||||||||||||||%s^^^HOPITAL&1.2.250.1.71.4.2.7&ISO^VN|||||||||||||||||||||||||%s" % (
            ward, p["iep"], ts),
    ]) + "\r"


def msg_oru(rng, name, ctrl, p, kind):
    ts = time.strftime("%Y%m%d%H%M%S")
    if kind == "pump":
        obx = ["OBX|1|NM|VOLUME_INFUSED^Volume perfuse^LOCAL||%.1f|mL|||||F" % rng.uniform(1, 500),
               "OBX|2|NM|RATE^Debit^LOCAL||%.1f|mL/h|||||F" % rng.choice([5.0, 10.0, 20.8, 41.7, 62.5, 125.0]),
               "OBX|3|ST|DRUG^Medicament^LOCAL||%s||||||F" % rng.choice(["NACL 0.9%", "GLUCOSE 5%", "HEPARINE",
                                                                         "PARACETAMOL", "AMOXICILLINE"])]
    else:
        obx = ["OBX|1|NM|8867-4^Heart rate^LN||%d|/min|60-100||||F" % rng.randint(52, 128),
               "OBX|2|NM|59408-5^SpO2^LN||%d|%%|94-100||||F" % rng.randint(88, 100),
               "OBX|3|NM|8480-6^Systolic BP^LN||%d|mm[Hg]|||||F" % rng.randint(95, 170),
               "OBX|4|NM|8462-4^Diastolic BP^LN||%d|mm[Hg]|||||F" % rng.randint(50, 100),
               "OBX|5|NM|8310-5^Body temperature^LN||%.1f|Cel|||||F" % rng.uniform(36.0, 39.5)]
        obx = obx[:rng.randint(2, 5)]
    return "\r".join([
        "MSH|^~\\&|%s|HOPITAL|VIGIE-ENGINE|HOPITAL|%s||ORU^R01^ORU_R01|%s|P|2.5" % (name.upper(), ts, ctrl),
        "PID|1||%s^^^HOPITAL&1.2.250.1.71.4.2.7&ISO^PI||%s^%s^^^^^L||%s|%s" % (
            p["ipp"], p["last"], p["first"], p["birth"], p["sex"]),
        "OBR|1|||VITALS^Signes vitaux^LOCAL|||%s" % ts,
    ] + obx) + "\r"


def exchange(sock, data):
    sock.sendall(data)
    buf = b""
    while EB + CR not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            raise OSError("closed")
        buf += chunk
    return buf


def device(name, host, port, mode, seed, stopfile, maxsecs):
    rng = random.Random(seed)
    ward = [patients.patient(rng, i) for i in range(12)]
    deadline = time.time() + maxsecs
    sock = None
    left_on_conn = 0
    for ctrl in range(1, 5000):
        if time.time() > deadline or os.path.exists(stopfile):
            break
        p = rng.choice(ward)
        if mode == "adt":
            msg = msg_adt(rng, name, "%s%06d" % (name[:3].upper(), ctrl), p, rng.choice(["A01", "A08", "A08"]))
            pause = rng.uniform(2.5, 7.0)
        elif mode == "pump":
            msg = msg_oru(rng, name, "%s%06d" % (name[:3].upper(), ctrl), p, "pump")
            pause = rng.uniform(1.5, 4.5)
        else:
            msg = msg_oru(rng, name, "%s%06d" % (name[:3].upper(), ctrl), p, "vitals")
            pause = rng.uniform(0.8, 2.4)
        try:
            if sock is None:
                sock = socket.create_connection((host, port), timeout=5)
                left_on_conn = rng.randint(10, 30) if mode == "monitor" else 1
            exchange(sock, frame(msg))
            left_on_conn -= 1
            if left_on_conn <= 0:
                sock.close()
                sock = None
        except OSError:
            if sock:
                sock.close()
            sock = None
        time.sleep(pause)
    if sock:
        sock.close()


def main(argv):
    if len(argv) == 5 and argv[1] == "engine":
        srv = Engine((argv[2], int(argv[3])), argv[4])
        srv.serve_forever()
        return 0
    if len(argv) == 9 and argv[1] == "device":
        device(argv[2], argv[3], int(argv[4]), argv[5], int(argv[6]), argv[7], float(argv[8]))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
