#!/usr/bin/env python3
"""check_otdr.py GOVNET DIR - every DIR/*.sor read by `govnet otdr read
--json` must match its -dump.json (an independent decoder): same event
count, distance within 0.001 km, splice loss within 0.001 dB, total loss
within 0.01 dB; and the JSON must have exactly the documented keys."""
import glob, json, os, subprocess, sys

KEYS = ["version", "wavelength_nm", "supplier", "range_km", "total_loss_db",
        "orl_db", "events", "points"]
EVKEYS = ["distance_km", "splice_loss_db", "reflectance_db", "type"]

def num(v):
    return float(str(v).split()[0])

def check(govnet, sor):
    dump = sor[:-4] + "-dump.json"
    if not os.path.exists(dump):
        return ["no dump for %s" % sor]
    exp = json.load(open(dump))
    r = subprocess.run([govnet, "otdr", "read", sor, "--json"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return ["%s: rc %d %s" % (sor, r.returncode, r.stderr)]
    got = json.loads(r.stdout)
    errs = []
    if list(got.keys()) != KEYS:
        errs.append("keys %s" % list(got.keys()))
    ke = exp["KeyEvents"]
    n = int(ke["num events"])
    if len(got["events"]) != n:
        errs.append("events %d, want %d" % (len(got["events"]), n))
    for i, ev in enumerate(got["events"][:n]):
        want = ke["event %d" % (i + 1)]
        if list(ev.keys()) != EVKEYS:
            errs.append("event keys %s" % list(ev.keys()))
        if abs(ev["distance_km"] - num(want["distance"])) > 0.001:
            errs.append("event %d distance %s, want %s" % (i + 1, ev["distance_km"], want["distance"]))
        if abs(ev["splice_loss_db"] - num(want["splice loss"])) > 0.001:
            errs.append("event %d splice %s, want %s" % (i + 1, ev["splice_loss_db"], want["splice loss"]))
        if abs(ev["reflectance_db"] - num(want["refl loss"])) > 0.001:
            errs.append("event %d reflectance %s, want %s" % (i + 1, ev["reflectance_db"], want["refl loss"]))
        if ev["type"] != want["type"].split()[0]:
            errs.append("event %d type %s, want %s" % (i + 1, ev["type"], want["type"]))
    if abs(got["total_loss_db"] - num(ke["Summary"]["total loss"])) > 0.01:
        errs.append("total loss %s, want %s" % (got["total_loss_db"], ke["Summary"]["total loss"]))
    if abs(got["orl_db"] - num(ke["Summary"]["ORL"])) > 0.01:
        errs.append("ORL %s, want %s" % (got["orl_db"], ke["Summary"]["ORL"]))
    if got["points"] != int(exp["DataPts"]["num data points"]):
        errs.append("points %s, want %s" % (got["points"], exp["DataPts"]["num data points"]))
    if abs(got["range_km"] - float(exp["FxdParams"]["range"])) > 0.001:
        errs.append("range %s, want %s" % (got["range_km"], exp["FxdParams"]["range"]))
    if abs(got["version"] - float(exp["version"])) > 0.001:
        errs.append("version %s, want %s" % (got["version"], exp["version"]))
    sup = exp["SupParams"]["supplier"].strip()
    if got["supplier"] != sup:
        errs.append("supplier %r, want %r" % (got["supplier"], sup))
    return ["%s: %s" % (os.path.basename(sor), e) for e in errs]

def main():
    govnet, d = sys.argv[1], sys.argv[2]
    files = sorted(glob.glob(os.path.join(d, "*.sor")))
    if not files:
        print("no .sor files in %s" % d)
        return 77
    errs = []
    for f in files:
        e = check(govnet, f)
        print(("FAIL " if e else "ok   ") + os.path.basename(f))
        errs += e
    for e in errs:
        print("  " + e)
    print("%d files, %d problems" % (len(files), len(errs)))
    return 1 if errs else 0

sys.exit(main())
