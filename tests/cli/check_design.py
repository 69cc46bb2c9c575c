#!/usr/bin/env python3
"""check_design.py PLAN.geojson SUMMARY.json [--all-critical]
[--all-protected] [--streets [OSM.xml]] - independent checks of a plan
written by govnet (no govnet code involved):
 1. points mode: every trench LineString ends exactly on a site or on a
    point shared by at least three trench ends (a Steiner point) or on the
    POP; street mode (--streets): a site is reached at the end of its
    drop, each node id has one position and each trench end position one
    node id, and with OSM.xml every point of a ring (redundant) trench is
    an OSM node, a drop end or a POP's node (snap points on a street), and two
    consecutive OSM nodes of a ring are neighbours on an OSM way (the
    street helpers live in street_check.py);
 2. every critical site still reaches the POP after any single trench is
    removed (each trench removed in turn, BFS from the POP), and the count agrees
    with the summary's critical_surviving_single_cut; --all-critical:
    every one does; --all-protected: every one does or is named in the
    summary's resilience_failures with a reason, and with --streets
    OSM.xml each one named is a true dead end (a bridge of the OSM street
    graph cuts it from the POP; networkx) and each other one has two
    edge-disjoint street paths;
 3. the summary holds the design keys. Prints one line; exit 1 on error.
"""
import json
import sys
from collections import defaultdict, deque

plan = json.load(open(sys.argv[1]))
summ = json.load(open(sys.argv[2]))
feats = plan["features"]
sites = [f for f in feats if f["properties"]["layer"] == "site"]
# Aggregation hubs are POPs "hub-<site id>" sitting in buildings; a site
# survives a cut only if it still reaches the operator's own POP (the
# hubs ride the same rings), so only those POPs are roots here.
pops = [f for f in feats if f["properties"]["layer"] == "pop"
        and not str(f["properties"].get("id", "")).startswith("hub-")]
trs = [f for f in feats if f["properties"]["layer"] == "trench"]
site_pts = {tuple(f["geometry"]["coordinates"]) for f in sites}
pop_pts = {tuple(f["geometry"]["coordinates"]) for f in pops}
streets = "--streets" in sys.argv
drop_end = {f["properties"]["site_id"]: tuple(f["geometry"]["coordinates"][-1])
            for f in feats if f["properties"]["layer"] == "drop"}
ends = defaultdict(int)
edges = []
for t in trs:
    c = t["geometry"]["coordinates"]
    a, b = tuple(c[0]), tuple(c[-1])
    ends[a] += 1
    ends[b] += 1
    edges.append((a, b))
if streets:  # a POP sits on its node, which may lie off the POP's point
    import street_check
    node_at, segs = street_check.check(
        trs, set(drop_end.values()),
        {f["properties"]["node"] for f in pops}, sys.argv)
    pop_pts = {node_at.get(f["properties"]["node"], tuple(
        f["geometry"]["coordinates"])) for f in pops}
else:
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


crit = [drop_end[f["properties"]["id"]] if streets
        else tuple(f["geometry"]["coordinates"]) for f in sites
        if f["properties"]["critical"] and f["properties"]["status"] == "connected"]
alive = set(crit)
for i in range(len(edges)):  # cut each trench in turn
    alive &= reached_from_pops(i)
surv = sum(p in alive for p in crit)  # per site: sites may share a node
for k in ("cost_fcfa", "critical_sites", "critical_surviving_single_cut",
          "resilience_extra_m", "phases", "bom_lines", "bom"):
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
if "--all-protected" in sys.argv:  # survives, or named with a reason
    named = {f["id"] for f in summ.get("resilience_failures", []) if f["reason"]}
    for f in sites:
        p = f["properties"]
        if p["critical"] and p["status"] == "connected" and p["id"] not in named \
                and (drop_end[p["id"]] if streets else
                     tuple(f["geometry"]["coordinates"])) not in alive:
            sys.exit("critical site %s is neither protected nor reported"
                     % p["id"])
    if surv + len(named) != len(crit):
        sys.exit("%d protected + %d reported != %d critical"
                 % (surv, len(named), len(crit)))
    if streets and segs:  # named = true dead ends of the OSM streets
        street_check.check_dead_ends(
            segs, {f["properties"]["id"]: drop_end[f["properties"]["id"]]
                   for f in sites if f["properties"]["critical"] and
                   f["properties"]["status"] == "connected"}, named, pop_pts)
