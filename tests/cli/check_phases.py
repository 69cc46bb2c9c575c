#!/usr/bin/env python3
"""check_phases.py - Check a phased street plan from its GeoJSON and
summary alone (no govnet code): every site connected with a phase; the
phase-1 trenches alone form a tree from the POP reaching every phase-1
site; no street segment is trenched twice; per-phase trench km add up to
the plan total. Usage: check_phases.py PLAN.geojson SUMMARY.json NSITES"""
import json
import sys


def main():
    g = json.load(open(sys.argv[1]))["features"]
    s = json.load(open(sys.argv[2]))
    nsites = int(sys.argv[3])
    lay = lambda n: [f for f in g if f["properties"]["layer"] == n]
    sites, tr = lay("site"), lay("trench")
    assert len(sites) == nsites, len(sites)
    assert all(f["properties"]["status"] == "connected" for f in sites)
    assert {f["properties"]["phase"] for f in sites} == {"1", "2"}
    assert all(f["properties"]["phase"] in ("1", "2") for f in tr)
    t1 = [f["properties"] for f in tr if f["properties"]["phase"] == "1"]
    adj = {}
    for t in t1:
        adj.setdefault(t["a"], []).append(t["b"])
        adj.setdefault(t["b"], []).append(t["a"])
    root = lay("pop")[0]["properties"]["node"]
    seen, todo = {root}, [root]
    while todo:
        for u in adj.get(todo.pop(), []):
            if u not in seen:
                seen.add(u)
                todo.append(u)
    assert len(seen) == len(adj) and len(t1) == len(adj) - 1, \
        ("phase-1 trenches are not one tree from the POP", len(seen),
         len(adj), len(t1))
    for f in sites:
        if f["properties"]["phase"] == "1":
            assert f["properties"]["node"] in seen, \
                ("phase-1 site off the phase-1 tree", f["properties"]["id"])
    segs = set()
    for f in tr:
        c = [tuple(p) for p in f["geometry"]["coordinates"]]
        for a, b in zip(c, c[1:]):
            k = (min(a, b), max(a, b))
            assert k not in segs, ("segment trenched twice", k)
            segs.add(k)
    tot = sum(f["properties"]["length_m"] for f in tr)
    per = {p["phase"]: p["trench_m"] for p in s["phases"]}
    assert set(per) == {"1", "2"} and per["1"] > 0 and per["2"] > 0, per
    assert abs(per["1"] + per["2"] - tot) < 1e-3, (per, tot)
    assert abs(s["trench_m"] - tot) < 1e-3, (s["trench_m"], tot)
    print("phases ok: %.1f + %.1f = %.1f km" % (per["1"] / 1e3,
                                                per["2"] / 1e3, tot / 1e3))


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print("check_phases: %s" % (e,))
        sys.exit(1)
