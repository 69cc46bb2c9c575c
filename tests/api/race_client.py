#!/usr/bin/env python3
"""race_client.py PORT TOKEN SITE N [M] - the lost-update race of issue
11: one keep-alive client PATCHes the site's priority 1..N (N <= 100) in
order while three others each PATCH its name M times (default N), all at
once. Prints the number of requests that did not answer 200."""
import http.client
import json
import sys
import threading

port, token, site, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
m = int(sys.argv[5]) if len(sys.argv) > 5 else n
errors = []


def patch(conn, props):
    body = json.dumps({"type": "Feature", "properties": props})
    conn.request("PATCH", "/api/sites/" + site, body,
                 {"Authorization": "Bearer " + token, "Host": "127.0.0.1"})
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        errors.append(r.status)


def priorities():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(1, n + 1):
        patch(conn, {"priority": i})


def names(w):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(1, m + 1):
        patch(conn, {"name": "w%d-%d" % (w, i)})


threads = [threading.Thread(target=priorities)] + [
    threading.Thread(target=names, args=(w,)) for w in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(errors))
