#!/usr/bin/env python3
"""gen_sites.py - Reproducible demo sites from the nodes of an OSM file.

Picks N nodes (GeoJSON roads: line vertices) that belong to highway ways (fixed seed), moves each by up
to JITTER metres in a random direction (buildings stand beside streets,
not on them) and writes a GeoJSON point layer with id, name, category
and priority. .pbf input is converted with `osmium cat -f osm`.
Usage: gen_sites.py OSMFILE N SEED OUT.geojson [JITTER_M]
"""
import json
import math
import random
import subprocess
import sys
import xml.etree.ElementTree as ET

SKIP = ("motorway", "motorway_link", "steps", "construction", "proposed",
        "platform", "bridleway", "bus_stop", "traffic_signals", "crossing",
        "motorway_junction", "corridor", "elevator", "raceway", "rest_area")
CATEGORIES = ["admin", "health", "education", "education", "other"]


def open_xml(path):
    if path.endswith(".pbf"):
        proc = subprocess.Popen(["osmium", "cat", "-f", "osm", "-o", "-", path],
                                stdout=subprocess.PIPE)
        return proc.stdout
    return open(path, "rb")


def find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def largest_component(ways):
    parent = {}
    for refs in ways:
        for r in refs:
            parent.setdefault(r, r)
        for a, b in zip(refs, refs[1:]):
            ra, rb = find(parent, a), find(parent, b)
            if ra != rb:
                parent[ra] = rb
    size = {}
    for r in parent:
        root = find(parent, r)
        size[root] = size.get(root, 0) + 1
    best = max(size, key=lambda k: (size[k], k))
    return {r for r in parent if find(parent, r) == best}


def geojson_nodes(path):
    """Vertices of the largest component of a GeoJSON road layer."""
    pos, ways = {}, []
    for f in json.load(open(path))["features"]:
        g = f.get("geometry") or {}
        hw = (f.get("properties") or {}).get("highway")
        if hw in SKIP:
            continue
        lines = [g["coordinates"]] if g.get("type") == "LineString" else \
            g.get("coordinates", []) if g.get("type") == "MultiLineString" else []
        for line in lines:
            refs = []
            for x, y in line:
                key = "%r,%r" % (x, y)
                pos[key] = (x, y)
                refs.append(key)
            ways.append(refs)
    used = largest_component(ways)
    return sorted((k, pos[key]) for k, key in enumerate(sorted(used)))


def highway_nodes(path):
    """Nodes of the largest component of the routable (default profile)
    highway network, so every demo site can be connected."""
    pos, ways = {}, []
    for _, el in ET.iterparse(open_xml(path), events=("end",)):
        if el.tag == "node":
            pos[el.get("id")] = (float(el.get("lon")), float(el.get("lat")))
        elif el.tag == "way":
            hw = [t.get("v") for t in el.findall("tag") if t.get("k") == "highway"]
            acc = [t.get("v") for t in el.findall("tag") if t.get("k") == "access"]
            if hw and hw[0] not in SKIP and not (acc and acc[0] in ("private", "no")):
                ways.append([nd.get("ref") for nd in el.findall("nd")])
        if el.tag in ("node", "way", "relation"):
            el.clear()
    ways = [[r for r in w if r in pos] for w in ways]
    used = largest_component(ways)
    return sorted((int(i), pos[i]) for i in used)


def main():
    path, n, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    jitter = float(sys.argv[5]) if len(sys.argv) > 5 else 60.0
    nodes = geojson_nodes(path) if path.endswith("json") else highway_nodes(path)
    rng = random.Random(seed)
    picked = rng.sample(nodes, min(n, len(nodes)))
    feats = []
    for k, (osm_id, (lon, lat)) in enumerate(sorted(picked)):
        d, a = rng.uniform(0, jitter), rng.uniform(0, 2 * math.pi)
        dlat = d * math.cos(a) / 111320.0
        dlon = d * math.sin(a) / (111320.0 * math.cos(math.radians(lat)))
        feats.append({"type": "Feature",
                      "geometry": {"type": "Point",
                                   "coordinates": [round(lon + dlon, 7), round(lat + dlat, 7)]},
                      "properties": {"id": "S%04d" % (k + 1),
                                     "name": "site near OSM node %d" % osm_id,
                                     "category": rng.choice(CATEGORIES),
                                     "priority": rng.randint(0, 3)}})
    with open(out, "w") as f:
        json.dump({"type": "FeatureCollection",
                   "attribution": "derived from \u00a9 OpenStreetMap contributors, ODbL 1.0",
                   "features": feats}, f)
    print("wrote %d sites to %s" % (len(feats), out))


if __name__ == "__main__":
    main()
