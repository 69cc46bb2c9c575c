#!/usr/bin/env python3
"""radius_nas.py - test helper playing the NAS side of RFC 5176.

  radius_nas.py ports N            print N free UDP ports on 127.0.0.1
  radius_nas.py listen PORT SECRET OUT [SECONDS]
      answer Disconnect-Request / CoA-Request on 127.0.0.1:PORT with an ACK
      after checking the Request Authenticator; append one JSON line per
      packet to OUT: {"code", "auth_ok", "User-Name", "Acct-Session-Id"}.
"""
import hashlib
import json
import socket
import struct
import sys
import time

NAMES = {1: "User-Name", 4: "NAS-IP-Address", 31: "Calling-Station-Id",
         44: "Acct-Session-Id"}


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    print(" ".join(map(str, ports)))


def attrs(data):
    out, i = {}, 0
    while i + 2 <= len(data):
        t, ln = data[i], data[i + 1]
        if ln < 2 or i + ln > len(data):
            break
        v = data[i + 2:i + ln]
        if t in NAMES:
            out[NAMES[t]] = v.decode("utf-8", "replace") if t != 4 else \
                socket.inet_ntoa(v)
        i += ln
    return out


def listen(port, secret, path, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    s.settimeout(0.5)
    end = time.time() + seconds
    secret = secret.encode()
    while time.time() < end:
        try:
            pkt, peer = s.recvfrom(4096)
        except socket.timeout:
            continue
        if len(pkt) < 20:
            continue
        code, pid, ln = struct.unpack("!BBH", pkt[:4])
        body = pkt[20:ln]
        want = hashlib.md5(pkt[:4] + b"\0" * 16 + body + secret).digest()
        rec = {"code": code, "auth_ok": want == pkt[4:20]}
        rec.update(attrs(body))
        with open(path, "a") as f:
            f.write(json.dumps(rec) + "\n")
        ack = {40: 41, 43: 44}.get(code)
        if ack is None or not rec["auth_ok"]:
            continue
        hdr = struct.pack("!BBH", ack, pid, 20)
        resp = hashlib.md5(hdr + pkt[4:20] + secret).digest()
        s.sendto(hdr + resp, peer)


if __name__ == "__main__":
    if sys.argv[1] == "ports":
        free_ports(int(sys.argv[2]))
    else:
        listen(int(sys.argv[2]), sys.argv[3], sys.argv[4],
               float(sys.argv[5]) if len(sys.argv) > 5 else 300)
