#!/usr/bin/env python3
"""monitor_scenario.py GOVNET DB OUTDIR - Alertmanager webhook bodies
(version 4) for a stability-report test on a real store: a trench cut
whose down set comes from `govnet impact DB --trench T --json` (the trench
taking most unprotected sites down among the first 60), then a device
fault at a site outside that set. Writes cut_firing.json,
cut_resolved.json, dev_firing.json, dev_resolved.json and scenario.json
({"trench", "down", "device", "cut": [start, end], "dev": [start, end]}).
Times are fixed (November 2026), so the figures are exact."""
import json
import subprocess
import sys

g, db, out = sys.argv[1:4]


def impact(t):
    r = subprocess.run([g, "impact", db, "--trench", str(t), "--json"],
                       capture_output=True, text=True, check=True)
    return sorted(s["id"] for s in json.loads(r.stdout)["sites"]
                  if not s["protected"])


best, down = None, []
for t in range(1, 61):
    d = impact(t)
    if len(d) > len(down):
        best, down = t, d
assert best and len(down) > 1, "no trench takes two sites down"
sites = subprocess.run(["sqlite3", db, "SELECT site_id FROM sites s WHERE"
                        " EXISTS(SELECT 1 FROM circuits c WHERE c.site=s.fid)"
                        " ORDER BY site_id"], capture_output=True, text=True,
                       check=True).stdout.split()
device = next(s for s in sites if s not in down)

CUT = ("2026-11-03T08:00:00Z", "2026-11-03T14:30:00Z")   # 6 h 30 min
DEV = ("2026-11-10T22:15:00Z", "2026-11-11T01:00:00Z")   # 2 h 45 min


def body(ids, status, span):
    return {"version": "4", "status": status, "receiver": "govnet",
            "groupKey": "{}:{alertname=\"GovnetSiteDown\"}",
            "truncatedAlerts": 0, "groupLabels": {}, "commonLabels": {},
            "commonAnnotations": {}, "externalURL": "http://127.0.0.1:9093",
            "alerts": [{"status": status,
                        "labels": {"alertname": "GovnetSiteDown", "site": s,
                                   "job": "govnet_cpe", "severity": "major"},
                        "annotations": {}, "startsAt": span[0],
                        "endsAt": span[1] if status == "resolved"
                        else "0001-01-01T00:00:00Z",
                        "generatorURL": "", "fingerprint": "f" + s}
                       for s in ids]}


for name, ids, span in (("cut", down, CUT), ("dev", [device], DEV)):
    for status in ("firing", "resolved"):
        with open(f"{out}/{name}_{status}.json", "w") as f:
            json.dump(body(ids, status, span), f)
with open(f"{out}/scenario.json", "w") as f:
    json.dump({"trench": best, "down": down, "device": device,
               "cut": list(CUT), "dev": list(DEV)}, f)
print(f"trench {best}: {len(down)} sites down; device fault at {device}")
