#!/usr/bin/env bash
# govnet plan end to end: real city extracts (skipped when the shared data
# is absent) and every bad input of the issue (missing file, truncated PBF,
# XML that is not OSM, GeoJSON without points, CSV without coordinate
# columns, out-of-range coordinates, POP outside the network, zero sites):
# non-zero exit, one line on stderr naming the file, no output left.
set -u
GOVNET="${GOVNET:?}"
SRC="${GN_SOURCE_DIR:?}"
DATA="${GN_DATA_DIR:-$SRC/../shared/data}"
T=$(mktemp -d /tmp/gn_test_plan.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# check_plan NAME: the outputs of a successful run are complete and sound.
check_plan() {
  local n="$1"
  local layers
  layers=$(ogrinfo -q "$T/$n.gpkg" 2>&1)
  for l in sites pops trenches drops nodes plan_meta; do
    echo "$layers" | grep -q ": $l " || bad "$n: ogrinfo does not list layer $l"
  done
  # GDAL's own GeoPackage validator (python3-gdal), when installed.
  local v=/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py
  if [ -f "$v" ] && /usr/bin/python3 -c "import osgeo" 2>/dev/null; then
    /usr/bin/python3 "$v" "$T/$n.gpkg" >"$T/validate.out" 2>&1 \
      || bad "$n: validate_gpkg: $(head -3 "$T/validate.out")"
  fi
  ogrinfo -q "$T/$n.gpkg" -sql "SELECT value FROM plan_meta WHERE key='attribution'" \
    | grep -q "OpenStreetMap contributors" || bad "$n: no attribution in plan_meta"
  python3 - "$T/$n.geojson" "$T/$n.json" "$2" <<'EOF' || bad "$n: output check failed"
import json, sys
gj, summ, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3])
feats = gj["features"]
assert "OpenStreetMap" in gj["attribution"], "no attribution"
by = {}
for f in feats:
    by.setdefault(f["properties"]["layer"], []).append(f)
sites, trenches = by.get("site", []), by.get("trench", [])
assert len(sites) == want, "sites %d != %d" % (len(sites), want)
for s in sites:
    p = s["properties"]
    assert p["id"] and p["category"] in ("admin", "health", "education", "other")
    assert p["status"] == "connected" or p["reason"], "site %s unexplained" % p["id"]
conn = [s for s in sites if s["properties"]["status"] == "connected"]
assert summ["sites_total"] == want and summ["sites_connected"] == len(conn)
assert len(summ["sites_dropped"]) == want - len(conn)
# Trench ends: the same plan node always has bit-identical coordinates,
# and the trenches form one tree rebuilt from coordinates alone.
pos, parent = {}, {}
def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]; x = parent[x]
    return x
ids = set()
total = 0.0
for t in trenches:
    p, c = t["properties"], t["geometry"]["coordinates"]
    assert p["id"] not in ids; ids.add(p["id"])
    total += p["length_m"]
    for node, xy in ((p["a"], c[0]), (p["b"], c[-1])):
        assert pos.setdefault(node, tuple(xy)) == tuple(xy), "node %d moved" % node
    ka, kb = tuple(c[0]), tuple(c[-1])
    parent.setdefault(ka, ka); parent.setdefault(kb, kb)
    parent[find(ka)] = find(kb)
roots = {find(k) for k in parent}
npops = len(by.get("pop", []))
assert len(roots) <= npops, "%d separate networks for %d POPs" % (len(roots), npops)
assert abs(total - summ["trench_m"]) < 1e-6 * max(1.0, total)
for d in by.get("drop", []):
    end = tuple(d["geometry"]["coordinates"][1])
    assert not trenches or end in parent, "drop of %s does not reach a trench end" % d["properties"]["site_id"]
print("%s: %d sites, %d connected, %d trenches, %.1f km" % (sys.argv[1], want, len(conn), len(trenches), total / 1000))
EOF
}

run_city() {
  local n="$1" roads="$2" nsites="$3" seed="$4"
  shift 4
  if [ ! -f "$roads" ]; then echo "skip $n: $roads absent"; return; fi
  python3 "$SRC/scripts/gen_sites.py" "$roads" "$nsites" "$seed" "$T/$n-sites.geojson" >/dev/null \
    || { bad "$n: site generation failed"; return; }
  if ! "$GOVNET" plan --roads "$roads" --sites "$T/$n-sites.geojson" --out "$T/$n.gpkg" \
      --geojson "$T/$n.geojson" --summary "$T/$n.json" "$@" >"$T/$n.out" 2>"$T/$n.err"; then
    bad "$n: exit $? ($(cat "$T/$n.err"))"; return
  fi
  grep -q "sites connected" "$T/$n.out" || bad "$n: no summary table"
  check_plan "$n" "$nsites"
  python3 -c "import json,sys; d=json.load(open('$T/$n.json')); sys.exit(d['sites_connected'] != $nsites)" \
    || bad "$n: not every site connected"
}

have_data=0
[ -d "$DATA/osm" ] && have_data=1
# A time limit far away keeps the Steiner search work-bound, so reruns are
# identical even on a loaded machine.
run_city accra "$DATA/osm/accra_trotro_routes_2017.osm" 300 42 --time-limit 600
run_city monaco "$DATA/osm/monaco_2016.osm.pbf" 80 3 --pop 7.4246,43.7384
run_city porto "$DATA/osm/porto_center_2020.osm.pbf" 120 5
run_city kinshasa "$DATA/osm/kinshasa_roads_major_2026.geojson" 40 9 --snap-max 800

# The same sites as a Shapefile and as CSV plan the same network, and a
# second run with the same seed writes the same GeoJSON byte for byte.
if [ -f "$T/accra-sites.geojson" ]; then
  "$GOVNET" plan --roads "$DATA/osm/accra_trotro_routes_2017.osm" --sites "$T/accra-sites.geojson" \
    --out "$T/accra2.gpkg" --geojson "$T/accra2.geojson" --time-limit 600 >/dev/null 2>&1
  cmp -s "$T/accra.geojson" "$T/accra2.geojson" || bad "accra: a second run gives a different plan"
  ogr2ogr -f "ESRI Shapefile" "$T/accra-sites.shp" "$T/accra-sites.geojson" 2>/dev/null
  ogr2ogr -f CSV "$T/accra-sites.csv" "$T/accra-sites.geojson" -lco GEOMETRY=AS_XY 2>/dev/null
  for f in shp csv; do
    "$GOVNET" plan --roads "$DATA/osm/accra_trotro_routes_2017.osm" --sites "$T/accra-sites.$f" \
      --out "$T/accra-$f.gpkg" --summary "$T/accra-$f.json" --time-limit 600 >/dev/null 2>"$T/err" \
      || bad "accra $f sites: $(cat "$T/err")"
    python3 -c "import json,sys; a=json.load(open('$T/accra.json')); b=json.load(open('$T/accra-$f.json'));
sys.exit(abs(a['trench_m']-b['trench_m'])>1e-6 or a['sites_connected']!=b['sites_connected'])" \
      || bad "accra $f sites: different plan"
  done
fi

# Street rings: the same Accra sites with --resilience critical. Checked
# without govnet code (check_design.py --streets): every ring trench point
# is an OSM node or a site's snap point and consecutive OSM nodes are
# neighbours on a way; every trench cut in turn, each critical site still
# reaches the POP (BFS) or is named as a dead end; the count agrees with
# the summary; the rings cost something and no straight link is added.
if [ -f "$T/accra-sites.geojson" ]; then
  osm="$DATA/osm/accra_trotro_routes_2017.osm"
  # the dead-end check needs networkx (Debian: python3-networkx, which is
  # Debian's python3; another python3 may come first on PATH)
  py=python3
  /usr/bin/python3 -c "import networkx" 2>/dev/null && py=/usr/bin/python3
  if "$GOVNET" plan --roads "$osm" --sites "$T/accra-sites.geojson" --resilience critical \
      --out "$T/ring.gpkg" --geojson "$T/ring.geojson" --summary "$T/ring.json" \
      --time-limit 600 >"$T/ring.out" 2>"$T/err"; then
    "$py" "$SRC/tests/cli/check_design.py" "$T/ring.geojson" "$T/ring.json" \
      --all-protected --streets "$osm" >"$T/ring.check" 2>&1 \
      || bad "accra rings: $(tail -1 "$T/ring.check")"
    python3 -c "import json,sys; s=json.load(open(sys.argv[1])); f=s['resilience_failures']
assert s['mode'] == 'streets' and s['resilience_links'] > 0 and s['resilience_cost_fcfa'] > 0
assert s['critical_surviving_single_cut'] > 0.7 * s['critical_sites'], s
assert all('dead end' in x['reason'] for x in f), f
assert 'straight_line' not in s['km_by_road_class'], s['km_by_road_class']" "$T/ring.json" \
      || bad "accra rings: summary $(head -c 300 "$T/ring.json")"
    n=$(grep -c "single path only: every street route" "$T/ring.out")
    python3 -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(len(s['resilience_failures']) != $n)" \
      "$T/ring.json" || bad "accra rings: $n dead ends printed, summary differs"
  else
    bad "accra rings: $(cat "$T/err")"
  fi
fi

# Street phases (dig once): the Accra sites, health first, then the rest,
# checked from the output alone (check_phases.py); the phased network is
# not much longer than the single tree over all sites.
if [ -f "$T/accra-sites.geojson" ]; then
  if "$GOVNET" plan --roads "$DATA/osm/accra_trotro_routes_2017.osm" \
      --sites "$T/accra-sites.geojson" --phase "1=prop:category=health" --phase "2=all" \
      --out "$T/ph.gpkg" --geojson "$T/ph.geojson" --summary "$T/ph.json" \
      --time-limit 600 >"$T/ph.out" 2>"$T/err"; then
    python3 "$SRC/tests/cli/check_phases.py" "$T/ph.geojson" "$T/ph.json" 300 >"$T/ph.check" \
      || bad "accra phases: $(cat "$T/ph.check")"
    python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
sys.exit(not b['trench_m'] < 1.3 * a['trench_m'])" "$T/accra.json" "$T/ph.json" \
      || bad "accra phases: 30 % longer than the single tree"
    # one phase selecting every site digs exactly the single tree
    "$GOVNET" plan --roads "$DATA/osm/accra_trotro_routes_2017.osm" \
      --sites "$T/accra-sites.geojson" --phase "1=all" --out "$T/ph1.gpkg" \
      --geojson "$T/ph1.geojson" --time-limit 600 >/dev/null 2>"$T/err" \
      || bad "accra one phase: $(cat "$T/err")"
    python3 -c "import json,sys
tr = lambda p: [(f['geometry']['coordinates'], f['properties']['length_m'], f['properties']['phase'])
                for f in json.load(open(p))['features'] if f['properties']['layer'] == 'trench']
a, b = tr(sys.argv[1]), tr(sys.argv[2])
sys.exit(not (a and [x[:2] for x in a] == [x[:2] for x in b] and {x[2] for x in b} == {'1'}))" \
      "$T/accra.geojson" "$T/ph1.geojson" || bad "accra one phase: not the single tree"
    # with rings: every ring trench takes its protected site's phase, so
    # the BOM has the two phases only and their rings add up
    "$GOVNET" plan --roads "$DATA/osm/accra_trotro_routes_2017.osm" \
      --sites "$T/accra-sites.geojson" --phase "1=prop:category=health" --phase "2=all" \
      --resilience critical --out "$T/phr.gpkg" --geojson "$T/phr.geojson" \
      --summary "$T/phr.json" --time-limit 600 >/dev/null 2>"$T/err" \
      || bad "accra phases + rings: $(cat "$T/err")"
    python3 -c "import json,sys
s = json.load(open(sys.argv[1])); g = json.load(open(sys.argv[2]))
assert [p['phase'] for p in s['phases']] == ['1', '2'], s['phases']
assert abs(sum(p['redundant_m'] for p in s['phases']) - s['resilience_extra_m']) < 1, s
assert s['resilience_links'] > 0
ph = {f['properties'].get('phase') for f in g['features'] if f['properties']['layer'] == 'trench'}
assert ph == {'1', '2'}, ph" "$T/phr.json" "$T/phr.geojson" \
      || bad "accra phases + rings: ring trenches without a phase"
  else
    bad "accra phases: $(cat "$T/err")"
  fi
fi

# The XML reader (expat) and the PBF reader (readosm) build the same graph:
# convert with osmium and compare the import statistics.
if command -v osmium >/dev/null; then
  for f in "$DATA/osm/accra_trotro_routes_2017.osm" "$SRC/tests/cli/data/plan_roads.osm"; do
    [ -f "$f" ] || continue
    b=$(basename "$f" .osm)
    osmium cat "$f" -o "$T/$b.osm.pbf" --overwrite 2>/dev/null || { bad "osmium cannot convert $f"; continue; }
    x=$("$GOVNET" plan --roads "$f" --import-only | sed 's/^roads: [^:]*: //; s/, [0-9.]* s$//')
    p=$("$GOVNET" plan --roads "$T/$b.osm.pbf" --import-only | sed 's/^roads: [^:]*: //; s/, [0-9.]* s$//')
    [ -n "$x" ] && [ "$x" = "$p" ] || bad "$b: XML and PBF imports differ: '$x' vs '$p'"
  done
fi

# ---- bad input ---------------------------------------------------------
# expect_fail NAME WORD ARGS...: non-zero exit, one stderr line containing
# WORD, and none of the outputs (nor temporary files) left in $T/out.
expect_fail() {
  local n="$1" word="$2"
  shift 2
  rm -rf "$T/out" && mkdir -p "$T/out"
  "$GOVNET" plan "$@" --out "$T/out/p.gpkg" --geojson "$T/out/p.geojson" \
    --summary "$T/out/s.json" >/dev/null 2>"$T/err"
  local rc=$?
  [ $rc -ne 0 ] || bad "$n: exit 0"
  [ "$(wc -l <"$T/err")" -eq 1 ] || bad "$n: stderr is not one line: $(cat "$T/err")"
  grep -q -- "$word" "$T/err" || bad "$n: stderr lacks '$word': $(cat "$T/err")"
  [ -z "$(ls -A "$T/out")" ] || bad "$n: left files: $(ls -A "$T/out")"
}

cp "$SRC/tests/cli/data/plan_roads.osm" "$T/roads.osm"
pt() { echo "{\"type\":\"Feature\",\"properties\":{\"id\":\"$1\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[$2,$3]}}"; }
echo "{\"type\":\"FeatureCollection\",\"features\":[$(pt a 1.215 6.1302),$(pt b 1.2202 6.135)]}" >"$T/sites.geojson"
echo '{"type":"FeatureCollection","features":[]}' >"$T/zero.geojson"
echo '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"l"},"geometry":{"type":"LineString","coordinates":[[1.21,6.13],[1.22,6.13]]}}]}' >"$T/lines.geojson"
printf 'id,name,town\n1,school,Lome\n' >"$T/nocoord.csv"
printf 'id,lon,lat\n1,1.215,6.1302\n2,1.215,96.5\n' >"$T/range.csv"
echo '<?xml version="1.0"?><html><body>not osm</body></html>' >"$T/page.osm"
if [ -f "$DATA/osm/abidjan_prism_small.osm.pbf" ]; then
  head -c 20000 "$DATA/osm/abidjan_prism_small.osm.pbf" >"$T/cut.osm.pbf"
else
  printf 'OSMHeader but truncated' >"$T/cut.osm.pbf"
fi

# A good run on the small fixture first, so the failures below are the
# input's fault and not the fixture's.
"$GOVNET" plan --roads "$T/roads.osm" --sites "$T/sites.geojson" --out "$T/small.gpkg" \
  --geojson "$T/small.geojson" --summary "$T/small.json" >/dev/null 2>"$T/err" \
  || bad "small fixture: $(cat "$T/err")"
check_plan small 2

S="$T/sites.geojson"
expect_fail "missing roads" "cannot open $T/nope.osm.pbf: no such file" --roads "$T/nope.osm.pbf" --sites "$S"
expect_fail "missing sites" "cannot open $T/nope.geojson: no such file" --roads "$T/roads.osm" --sites "$T/nope.geojson"
expect_fail "truncated PBF" "cut.osm.pbf: invalid or truncated PBF" --roads "$T/cut.osm.pbf" --sites "$S"
expect_fail "XML not OSM" "page.osm line 1: not an OpenStreetMap file" --roads "$T/page.osm" --sites "$S"
expect_fail "GeoJSON without points" "lines.geojson: feature 0: geometry is LINESTRING, expected a Point" \
  --roads "$T/roads.osm" --sites "$T/lines.geojson"
expect_fail "CSV without coordinates" "nocoord.csv: no coordinate columns" --roads "$T/roads.osm" --sites "$T/nocoord.csv"
expect_fail "out-of-range coordinates" "range.csv: line 3: coordinates (1.215, 96.5) out of range" \
  --roads "$T/roads.osm" --sites "$T/range.csv"
expect_fail "POP outside the network" "outside the street network" --roads "$T/roads.osm" --sites "$S" --pop 2.5,7.5
expect_fail "unknown POP id" "no site has this id" --roads "$T/roads.osm" --sites "$S" --pop zz
expect_fail "zero sites" "zero.geojson: no sites" --roads "$T/roads.osm" --sites "$T/zero.geojson"
echo "{\"type\":\"FeatureCollection\",\"features\":[$(pt far 1.5 6.5)]}" >"$T/far.geojson"
expect_fail "all sites too far" "none of the 1 sites" --roads "$T/roads.osm" --sites "$T/far.geojson" --pop 1.21,6.13
expect_fail "no site near a street" "cannot place a POP" --roads "$T/roads.osm" --sites "$T/far.geojson"
"$GOVNET" plan --roads "$T/roads.osm" >/dev/null 2>&1
[ $? -eq 2 ] || bad "missing --sites/--out is not a usage error (exit 2)"

[ $have_data -eq 1 ] || echo "note: shared data absent; city runs skipped"
[ $fail -eq 0 ] && echo "test_plan: all checks passed"
exit $fail
