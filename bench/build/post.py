#!/usr/bin/env python3
"""post.py URL TOKEN TRENCHES_FILE POSTERS [BATCH] - field progress load:
POSTERS concurrent crews (threads, one keep-alive connection each) walk
their own trenches through surveyed..accepted, one report per request
(BATCH=1) or BATCH reports per request, and re-send every 10th request
(a replay after a lost answer). Prints one JSON line: sent, stored,
replayed, refused, seconds, reports_per_s, and the client ids it made."""
import http.client, json, sys, threading, time, urllib.parse

STEPS = ["surveyed", "dug", "ducted", "pulled", "spliced", "tested", "accepted"]

def crew(k, url, token, trenches, batch, out):
    u = urllib.parse.urlparse(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    hdr = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    reports = [{"client_id": "crew%02d-%06d" % (k, i * len(STEPS) + j),
                "trench": t, "step": s, "who": "crew %d" % k, "metres": 25.0,
                "gps": [[1.22 + k * 1e-4, 6.13]]}
               for i, t in enumerate(trenches) for j, s in enumerate(STEPS)]
    st = {"sent": 0, "stored": 0, "replayed": 0, "refused": 0, "ids": []}
    for n, i in enumerate(range(0, len(reports), batch)):
        chunk = reports[i:i + batch]
        body = json.dumps(chunk if batch > 1 else chunk[0])
        for attempt in range(2 if n % 10 == 9 else 1):
            c.request("POST", "/api/build/reports", body, hdr)
            r = c.getresponse()
            d = json.loads(r.read())
            res = d["results"] if batch > 1 else [d if r.status < 300 else {"status": r.status}]
            for x in res:
                key = {201: "stored", 200: "replayed"}.get(x["status"], "refused")
                st[key] += 1
            st["sent"] += len(chunk)
        st["ids"] += [x["client_id"] for x in chunk]
    out[k] = st

def main():
    url, token, tfile, posters = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    trenches = [int(x) for x in open(tfile).read().split()]
    share = [trenches[k::posters] for k in range(posters)]
    out = [None] * posters
    th = [threading.Thread(target=crew, args=(k, url, token, share[k], batch, out))
          for k in range(posters)]
    t0 = time.time()
    for t in th: t.start()
    for t in th: t.join()
    dt = time.time() - t0
    tot = {key: sum(o[key] for o in out) for key in ("sent", "stored", "replayed", "refused")}
    tot["seconds"] = round(dt, 2)
    tot["reports_per_s"] = round(tot["sent"] / dt, 1)
    tot["unique_ids"] = len({i for o in out for i in o["ids"]})
    print(json.dumps(tot))

main()
