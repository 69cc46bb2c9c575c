"""street_check.py - street-mode part of check_design.py: node ids and
trench end positions agree, and (with an OSM XML file after --streets)
ring trenches run along OSM ways only. Returns node id -> position.
No govnet code involved."""
import sys
import xml.etree.ElementTree as ET


# The import profile of docs/planning.md: these highway values (and their
# _link), not area=yes, not access=private|no.
KEPT = {"trunk", "primary", "secondary", "tertiary", "unclassified",
        "residential", "living_street", "service", "pedestrian", "track",
        "footway", "path", "cycleway", "road"}


def kept_highway(tags):
    hw = tags.get("highway", "")
    if hw.endswith("_link"):
        hw = hw[:-5]
    return hw in KEPT and tags.get("area") != "yes" and \
        tags.get("access") not in ("private", "no")


def osm_streets(path):
    """OSM node positions, the set of consecutive way-node pairs of the
    highways, and the list of those pairs."""
    pos, pairs, segs = {}, set(), []
    for _, el in ET.iterparse(path):
        if el.tag == "node":
            pos[el.get("id")] = (float(el.get("lon")), float(el.get("lat")))
        elif el.tag == "way":
            refs = [nd.get("ref") for nd in el.findall("nd")]
            tags = {t.get("k"): t.get("v") for t in el.findall("tag")}
            hw = kept_highway(tags)
            for u, v in zip(refs, refs[1:]):
                if u in pos and v in pos and pos[u] != pos[v]:
                    pairs.add(frozenset((pos[u], pos[v])))
                    if hw:
                        segs.append((pos[u], pos[v]))
            el.clear()
    return set(pos.values()), pairs, segs


def near_segment(p, a, b, tol=1e-7):
    ax, ay = b[0] - a[0], b[1] - a[1]
    l2 = ax * ax + ay * ay
    t = ((p[0] - a[0]) * ax + (p[1] - a[1]) * ay) / l2
    if t < -1e-9 or t > 1 + 1e-9:
        return False
    dx, dy = a[0] + t * ax - p[0], a[1] + t * ay - p[1]
    return dx * dx + dy * dy <= tol * tol


def street_graph(segs, points):
    """networkx graph of the street segments with each point inserted
    into the segment it lies on; parallel segments get a middle node."""
    import networkx as nx
    on = {}
    for p in points:
        for k, (a, b) in enumerate(segs):
            if min(a[0], b[0]) - 1e-7 <= p[0] <= max(a[0], b[0]) + 1e-7 and \
               min(a[1], b[1]) - 1e-7 <= p[1] <= max(a[1], b[1]) + 1e-7 \
               and p != a and p != b and near_segment(p, a, b):
                on.setdefault(k, []).append(p)
                break
    g = nx.Graph()
    for k, (a, b) in enumerate(segs):
        pts = sorted(on.get(k, []), key=lambda p: (p[0] - a[0]) ** 2 +
                     (p[1] - a[1]) ** 2)
        chain = [a] + pts + [b]
        for u, v in zip(chain, chain[1:]):
            if g.has_edge(u, v):  # a parallel street: keep both
                m = ((u[0] + v[0]) / 2, (u[1] + v[1]) / 2, k)
                g.add_edge(u, m)
                g.add_edge(m, v)
            else:
                g.add_edge(u, v)
    return g


def check_dead_ends(segs, crit, named, pops):
    """Each critical site named as a dead end is cut from the POPs by one
    street edge (a bridge of the OSM street graph), each other one is not:
    it lies in the POPs' 2-edge-connected component."""
    try:
        import networkx as nx
    except ImportError:
        print("streets: networkx absent, dead ends not checked")
        return
    g = street_graph(segs, set(crit.values()) | set(pops))
    for p in pops:  # every POP is one core vertex
        g.add_edge("core", p)
        g.add_edge("core", ("via", p))
        g.add_edge(("via", p), p)
    g.remove_edges_from(list(nx.bridges(g)))
    comp = {}
    for k, c in enumerate(nx.connected_components(g)):
        for v in c:
            comp[v] = k
    for sid, p in crit.items():
        ok = p in comp and comp[p] == comp["core"]
        if (sid in named) == ok:
            sys.exit("site %s: %s" % (sid, "named a dead end but two "
                     "edge-disjoint street paths exist" if ok else
                     "one street edge cuts it from the POP, not named"))
    print("streets: %d critical sites, %d dead ends confirmed on the OSM "
          "streets" % (len(crit), len(named)))


def check(trs, drop_ends, pop_nodes, argv):
    """Returns node id -> position and the OSM highway segments (None
    without an OSM file)."""
    where = {}
    for t in trs:
        p, c = t["properties"], t["geometry"]["coordinates"]
        for node, xy in ((p["a"], tuple(c[0])), (p["b"], tuple(c[-1]))):
            if where.setdefault(("n", node), xy) != xy:
                sys.exit("node %d has two positions" % node)
            if where.setdefault(("p", xy), node) != node:
                sys.exit("position %s has two node ids" % (xy,))
    node_at = {k[1]: v for k, v in where.items() if k[0] == "n"}
    i = argv.index("--streets")
    if i + 1 >= len(argv) or argv[i + 1].startswith("--"):
        return node_at, None
    pts, pairs, segs = osm_streets(argv[i + 1])
    snapped = drop_ends | {node_at[n] for n in pop_nodes if n in node_at}
    rings = [t for t in trs if t["properties"]["redundant"]]
    for t in rings:
        c = [tuple(x) for x in t["geometry"]["coordinates"]]
        for x in c:
            if x not in pts and x not in snapped:
                sys.exit("ring trench %d: point %s is not on a street"
                         % (t["properties"]["id"], x))
        for x, y in zip(c, c[1:]):
            if x in pts and y in pts and frozenset((x, y)) not in pairs:
                sys.exit("ring trench %d: %s -> %s is not a street segment"
                         % (t["properties"]["id"], x, y))
    print("streets: %d ring trenches follow OSM ways" % len(rings))
    return node_at, segs
