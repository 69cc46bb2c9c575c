#!/usr/bin/env python3
"""check_design.py PLAN.geojson SUMMARY.json - independent checks of a
points-mode plan written by govnet (no govnet code involved):
 1. every trench LineString ends exactly on a site or on a point shared
    by at least three trench ends (a Steiner point) or on the POP;
 2. every critical site still reaches the POP after any single trench is
    removed (each trench removed in turn, BFS from the POP), and the count agrees
    with the summary's critical_surviving_single_cut;
 3. the summary holds the design keys. Prints one line; exit 1 on error.
"""
import json
import sys
from collections import defaultdict, deque

plan = json.load(open(sys.argv[1]))
summ = json.load(open(sys.argv[2]))
feats = plan["features"]
sites = [f for f in feats if f["properties"]["layer"] == "site"]
pops = [f for f in feats if f["properties"]["layer"] == "pop"]
trs = [f for f in feats if f["properties"]["layer"] == "trench"]
site_pts = {tuple(f["geometry"]["coordinates"]) for f in sites}
pop_pts = {tuple(f["geometry"]["coordinates"]) for f in pops}
ends = defaultdict(int)
edges = []
for t in trs:
    c = t["geometry"]["coordinates"]
    a, b = tuple(c[0]), tuple(c[-1])
    ends[a] += 1
    ends[b] += 1
    edges.append((a, b))
for p, n in ends.items():
    if p not in site_pts and p not in pop_pts and n < 3:
        sys.exit("trench end %s is neither a site, the POP nor a shared "
                 "Steiner point (%d ends)" % (p, n))
adj = defaultdict(list)
for i, (a, b) in enumerate(edges):
    adj[a].append((b, i))
    adj[b].append((a, i))


def reached_from_pops(skip):
    seen = set(pop_pts)
    q = deque(pop_pts)
    while q:
        v = q.popleft()
        for w, i in adj[v]:
            if i != skip and w not in seen:
                seen.add(w)
                q.append(w)
    return seen


crit = [tuple(f["geometry"]["coordinates"]) for f in sites
        if f["properties"]["critical"]]
alive = set(crit)
for i in range(len(edges)):  # cut each trench in turn
    alive &= reached_from_pops(i)
surv = len(alive)
for k in ("cost_fcfa", "critical_sites", "critical_surviving_single_cut",
          "resilience_extra_m", "phases", "bom"):
    if k not in summ:
        sys.exit("summary lacks %s" % k)
if summ["critical_sites"] != len(crit):
    sys.exit("critical_sites %s != %d" % (summ["critical_sites"], len(crit)))
if summ["critical_surviving_single_cut"] != surv:
    sys.exit("critical_surviving_single_cut %s, independent check %d"
             % (summ["critical_surviving_single_cut"], surv))
print("ok: %d trenches, %d/%d critical sites survive any single cut"
      % (len(edges), surv, len(crit)))
if "--all-critical" in sys.argv and surv != len(crit):
    sys.exit("not every critical site survives")
