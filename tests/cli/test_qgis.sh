#!/usr/bin/env bash
# test_qgis.sh - A plan GeoPackage and a store open styled in QGIS: a
# layer_styles table in QGIS's own schema holds one default style per map
# layer, found by the very query QGIS's OGR provider runs (loadStyle:
# f_table_schema='' AND f_table_name AND f_geometry_column, ordered by
# useAsDefault and update_time), each QML well-formed with the renderer
# QGIS expects, the site categories and ring colour the web map's
# (web/app.js CAT_COLORS, trench style); GDAL lists only a store's map
# layers and attribute tables, not its internal tables.
# Env: GOVNET, GN_SOURCE_DIR (set by ctest).
set -u
: "${GOVNET:?}" "${GN_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/sites.geojson" <<'PY'
import json, sys
cats = ["admin", "health", "education", "other"]
feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.20 + 0.01 * (i % 5), 6.12 + 0.01 * (i // 5)]},
          "properties": {"id": f"s{i}", "category": cats[i % 4]}} for i in range(20)]
json.dump({"type": "FeatureCollection", "features": feats}, open(sys.argv[1], "w"))
PY
"$GOVNET" plan --sites "$tmp/sites.geojson" --pop 1.22,6.13 --resilience all --out "$tmp/p.gpkg" >/dev/null ||
  { echo "FAIL: plan"; exit 1; }
"$GOVNET" db init "$tmp/s.gpkg" >/dev/null && "$GOVNET" db import-plan "$tmp/s.gpkg" "$tmp/p.gpkg" >/dev/null ||
  { echo "FAIL: store"; exit 1; }
fails=0
# QGIS reads styles through OGR with this filter (qgsogrprovider.cpp loadStyle)
for f in p:sites p:trenches p:pops p:drops s:sites s:trenches s:pops s:cables s:closures; do
  db="$tmp/${f%%:*}.gpkg" l=${f#*:}
  if ogrinfo -ro -q "$db" layer_styles -where "f_table_schema='' AND f_table_name='$l' AND f_geometry_column='geom' ORDER BY CASE WHEN useAsDefault THEN 1 ELSE 2 END,update_time DESC LIMIT 1" 2>&1 |
     grep -q "styleQML (String) = <!DOCTYPE qgis"; then echo "ok - QGIS finds the style of $l in ${db##*/}"
  else echo "FAIL - QGIS's style query finds nothing for $l in ${db##*/}"; fails=1; fi
done
listed=$(ogrinfo -ro -q "$tmp/s.gpkg" 2>/dev/null | sed -n 's/^[0-9]*: \([a-z_]*\).*/\1/p' | sort | tr '\n' ' ')
if [ "$listed" = "cables circuits closures layer_styles pops sites trenches " ]; then
  echo "ok - the store lists its map layers, circuits and styles only ($listed)"
else echo "FAIL - the store lists: $listed"; fails=1; fi
python3 - "$tmp/p.gpkg" "$GN_SOURCE_DIR/web/app.js" "$tmp/s.gpkg" <<'PY' || fails=1
import re, sqlite3, sys
import xml.etree.ElementTree as ET
db, app = sys.argv[1], open(sys.argv[2]).read()
c = sqlite3.connect(db)
fails = 0
def check(cond, what):
    global fails
    print(("ok - " if cond else "FAIL - ") + what)
    fails += not cond
cols = [r[1] for r in c.execute("pragma table_info(layer_styles)")]
check(all(k in cols for k in ["f_table_name", "f_geometry_column", "styleName", "styleQML", "useAsDefault"]),
      f"layer_styles has QGIS's columns ({', '.join(cols)})")
rows = {n: (g, q, d) for n, g, q, d in c.execute(
    "select f_table_name, f_geometry_column, styleQML, useAsDefault from layer_styles")}
check(sorted(rows) == ["drops", "pops", "sites", "trenches"], f"one style per plan layer: {sorted(rows)}")
for n, (g, q, d) in rows.items():
    geom = [r[1] for r in c.execute(f"pragma table_info({n})") if r[2] in ("POINT", "LINESTRING")]
    check(d == 1 and [g] == geom, f"{n}: default style on its geometry column {g}")
    root = ET.fromstring(q.split(">", 1)[1])
    check(root.tag == "qgis" and root.find("renderer-v2") is not None, f"{n}: QML parses, has a renderer")
web = dict(re.findall(r"(\w+): '#([0-9a-f]{6})'", re.search(r"CAT_COLORS = \{([^}]*)\}", app).group(1)))
root = ET.fromstring(rows["sites"][1].split(">", 1)[1])
qml = {}
for cat in root.iter("category"):
    sym = [s for s in root.iter("symbol") if s.get("name") == cat.get("symbol")][0]
    rgb = [o.get("value") for o in sym.iter("Option") if o.get("name") == "color"][0]
    qml[cat.get("value")] = "".join(f"{int(v):02x}" for v in rgb.split(",")[:3])
check(qml == web, f"site colours are the web map's: {qml}")
ring = re.search(r"p\.redundant \? '#([0-9a-f]{6})'", app).group(1)
root = ET.fromstring(rows["trenches"][1].split(">", 1)[1])
vals = {s.get("name"): [o.get("value") for o in s.iter("Option") if o.get("name") == "line_color"][0] for s in root.iter("symbol")}
cat1 = [k.get("symbol") for k in root.iter("category") if k.get("value") == "1"][0]
check("".join(f"{int(v):02x}" for v in vals[cat1].split(",")[:3]) == ring, f"ring trenches are the web map's violet #{ring}")
n = c.execute("select count(*) from gpkg_contents where table_name = 'layer_styles' and data_type = 'attributes'").fetchone()[0]
check(n == 1, "layer_styles is an attribute table, not a map layer")
st = sqlite3.connect(sys.argv[3])
same = {r[0]: r[1] for r in st.execute("select f_table_name, styleQML from layer_styles")}
check(same["sites"] == rows["sites"][1] and same["trenches"] == rows["trenches"][1],
      "the store's site and trench styles are the plan's")
sys.exit(1 if fails else 0)
PY
exit $fails
