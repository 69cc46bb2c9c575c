"""street_check.py - street-mode part of check_design.py: node ids and
trench end positions agree, and (with an OSM XML file after --streets)
ring trenches run along OSM ways only. No govnet code involved."""
import sys
import xml.etree.ElementTree as ET


def osm_streets(path):
    """OSM node positions by id and the set of consecutive way-node pairs."""
    pos, pairs = {}, set()
    for _, el in ET.iterparse(path):
        if el.tag == "node":
            pos[el.get("id")] = (float(el.get("lon")), float(el.get("lat")))
        elif el.tag == "way":
            refs = [nd.get("ref") for nd in el.findall("nd")]
            for u, v in zip(refs, refs[1:]):
                if u in pos and v in pos:
                    pairs.add(frozenset((pos[u], pos[v])))
            el.clear()
    return set(pos.values()), pairs


def check(trs, drop_ends, argv):
    where = {}
    for t in trs:
        p, c = t["properties"], t["geometry"]["coordinates"]
        for node, xy in ((p["a"], tuple(c[0])), (p["b"], tuple(c[-1]))):
            if where.setdefault(("n", node), xy) != xy:
                sys.exit("node %d has two positions" % node)
            if where.setdefault(("p", xy), node) != node:
                sys.exit("position %s has two node ids" % (xy,))
    i = argv.index("--streets")
    if i + 1 >= len(argv) or argv[i + 1].startswith("--"):
        return
    pts, pairs = osm_streets(argv[i + 1])
    rings = [t for t in trs if t["properties"]["redundant"]]
    for t in rings:
        c = [tuple(x) for x in t["geometry"]["coordinates"]]
        for x in c:
            if x not in pts and x not in drop_ends:
                sys.exit("ring trench %d: point %s is not on a street"
                         % (t["properties"]["id"], x))
        for x, y in zip(c, c[1:]):
            if x in pts and y in pts and frozenset((x, y)) not in pairs:
                sys.exit("ring trench %d: %s -> %s is not a street segment"
                         % (t["properties"]["id"], x, y))
    print("streets: %d ring trenches follow OSM ways" % len(rings))
