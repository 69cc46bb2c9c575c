#!/usr/bin/env python3
"""slow_client.py - hostile slow HTTP clients for test_hostile_api.sh.

  slow_client.py headers PORT [SRC_IP]   one header line every 0.5 s, never
                                         ending the headers
  slow_client.py body PORT TOKEN         full headers (authorized POST),
                                         then one body byte every 0.5 s
  slow_client.py loris PORT SRC_IP N SECONDS
                                         N sockets from SRC_IP, each sending
                                         a header line every second;
                                         prints how many the server kept
Prints the seconds until the server closed the connection (or 'open' if
it was still open at the end: 30 s for one client)."""
import socket
import sys
import time


def connect(port, src=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if src:
        s.bind((src, 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    return s


def closed(s):
    """True once the server has closed (or reset) the connection."""
    s.setblocking(False)
    try:
        data = s.recv(4096)
        return data == b"" or data.startswith(b"HTTP/")
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        s.setblocking(True)


def trickle(s, first, chunk):
    t0 = time.monotonic()
    try:
        s.sendall(first)
        while time.monotonic() - t0 < 30:
            time.sleep(0.5)
            if closed(s):
                return "%.1f" % (time.monotonic() - t0)
            s.sendall(chunk)
    except OSError:
        return "%.1f" % (time.monotonic() - t0)
    return "open"


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "headers":
        s = connect(port, sys.argv[3] if len(sys.argv) > 3 else None)
        print(trickle(s, b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X-a: b\r\n"))
    elif mode == "body":
        s = connect(port)
        head = (b"POST /api/sites HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Authorization: Bearer " + sys.argv[3].encode() + b"\r\n"
                b"Content-Length: 200\r\n\r\n")
        print(trickle(s, head, b"{"))
    elif mode == "loris":
        src, n, secs = sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
        socks, refused = [], 0
        for _ in range(n):
            try:
                s = connect(port, src)
                s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                socks.append(s)
            except OSError:
                refused += 1
        time.sleep(0.5)
        alive = sum(1 for s in socks if not closed(s))
        t0 = time.monotonic()
        while time.monotonic() - t0 < secs:
            time.sleep(1)
            for s in socks:
                try:
                    s.sendall(b"X-a: b\r\n")
                except OSError:
                    pass
        print("open %d refused %d" % (alive, refused + len(socks) - alive))


main()
