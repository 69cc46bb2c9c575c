#!/usr/bin/env python3
"""latency.py - PAP Access-Requests from THREADS concurrent clients for
SECONDS; prints requests/s, accepts, p50/p99 in ms as one JSON line.

  latency.py HOST PORT SECRET USERS_FILE THREADS SECONDS
USERS_FILE: one "name password" per line (requests cycle through them).
"""
import hashlib
import json
import os
import socket
import struct
import sys
import threading
import time


def pap(secret, auth, pw):
    pw = pw.encode()
    pw += b"\0" * (-len(pw) % 16 or (16 if not pw else 0))
    out, last = b"", auth
    for i in range(0, len(pw), 16):
        h = hashlib.md5(secret + last).digest()
        blk = bytes(a ^ b for a, b in zip(pw[i:i + 16], h))
        out += blk
        last = blk
    return out


def packet(pid, secret, name, pw):
    auth = os.urandom(16)
    attrs = b""
    for t, v in ((1, name.encode()), (2, pap(secret, auth, pw)),
                 (4, socket.inet_aton("127.0.0.1"))):
        attrs += struct.pack("!BB", t, len(v) + 2) + v
    return struct.pack("!BBH", 1, pid, 20 + len(attrs)) + auth + attrs


def worker(host, port, secret, users, seconds, out):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    lat, acc, pid, i = [], 0, 0, 0
    end = time.time() + seconds
    while time.time() < end:
        name, pw = users[i % len(users)]
        i += 1
        pid = (pid + 1) & 255
        t0 = time.perf_counter()
        s.sendto(packet(pid, secret, name, pw), (host, port))
        try:
            r = s.recv(4096)
        except socket.timeout:
            lat.append(5.0)
            continue
        lat.append(time.perf_counter() - t0)
        acc += r[0] == 2
    out.append((lat, acc))


def main():
    host, port, secret, ufile = sys.argv[1], int(sys.argv[2]), \
        sys.argv[3].encode(), sys.argv[4]
    threads, seconds = int(sys.argv[5]), float(sys.argv[6])
    users = [l.split()[:2] for l in open(ufile) if l.strip()]
    out = []
    ts = [threading.Thread(target=worker,
                           args=(host, port, secret, users[k::threads] or users,
                                 seconds, out)) for k in range(threads)]
    t0 = time.time()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.time() - t0
    lat = sorted(x for l, _ in out for x in l)
    acc = sum(a for _, a in out)
    pct = lambda q: 1000 * lat[min(len(lat) - 1, int(q * len(lat)))]
    print(json.dumps({"requests": len(lat), "accepts": acc,
                      "per_s": round(len(lat) / wall, 1),
                      "p50_ms": round(pct(0.50), 2),
                      "p99_ms": round(pct(0.99), 2)}))


main()
