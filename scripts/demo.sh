#!/usr/bin/env bash
# Demo, end to end on real data:
# 1. plan a fiber network over Accra's real streets (OpenStreetMap, 2017
#    trotro-route extract) for 300 sites chosen reproducibly from the
#    file's street nodes (scripts/gen_sites.py, seed 42, each moved up to
#    60 m off the street like a building);
# 2. plan Lomé's 453 real public buildings without street data (points
#    mode, detour 1.3) from the WACS landing POP, with aggregation hubs in
#    public buildings so every circuit stays within its optics (10 km
#    class), rings so that no single cut isolates a hospital, ministry or
#    hub; priced in FCFA, reported in French (HTML + PDF, hubs on the map);
# 3. turn the Lomé plan into as-designed records (fibers, splices,
#    circuits), check them, trace one circuit and list what a cut of the
#    busiest trench takes down.
# Outputs go to ./demo-out/:
#   accra_sites.geojson  the generated sites (input)
#   accra_plan.gpkg      GeoPackage: sites, pops, trenches, drops, nodes, plan_meta
#   accra_plan.geojson   the same as one GeoJSON FeatureCollection
#   accra_summary.json   the summary (also printed as a table)
#   accra_base.mbtiles   offline basemap (govnet basemap: tilemaker vector tiles)
#   accra.db             the Accra plan as a store, to serve over its basemap
#   lome_plan.gpkg, lome_summary.json, lome_report.html, lome_report.pdf
#   lome.db              the system of record (GeoPackage-compatible SQLite)
#   lome_ofds.json       the network as open data (OFDS 0.3), no lease details
# Then: build/govnet serve --db demo-out/lome.db --places \
#         ../shared/data/togo/togo_osm_points_2019.geojson \
#         --boundaries ../shared/data/togo/togo_prefectures.geojson
#   or:  build/govnet serve --db demo-out/accra.db --basemap demo-out/accra_base.mbtiles
# and open http://127.0.0.1:8080/
# Usage: scripts/demo.sh [NSITES] [SEED]   (GOVNET=path/to/govnet, GN_DATA_DIR=...)
set -euo pipefail
cd "$(dirname "$0")/.."
# Harmless for normal builds; in a sanitizer build, ignore third-party caches.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
N="${1:-300}"
SEED="${2:-42}"
DATA="${GN_DATA_DIR:-../shared/data}"
if [ -z "${GOVNET:-}" ]; then
  . scripts/ensure_built.sh
  gn_ensure_built
fi
GOVNET="${GOVNET:-${GN_BUILD:-build}/govnet}"
ROADS="$DATA/osm/accra_trotro_routes_2017.osm"
OUT=demo-out
[ -f "$ROADS" ] || { echo "demo: $ROADS not found (set GN_DATA_DIR)"; exit 1; }
[ -x "$GOVNET" ] || { echo "demo: $GOVNET is not an executable"; exit 1; }
mkdir -p "$OUT"
python3 scripts/gen_sites.py "$ROADS" "$N" "$SEED" "$OUT/accra_sites.geojson"
"$GOVNET" plan --roads "$ROADS" --sites "$OUT/accra_sites.geojson" \
  --out "$OUT/accra_plan.gpkg" --geojson "$OUT/accra_plan.geojson" \
  --summary "$OUT/accra_summary.json" --seed "$SEED"
# the offline basemap (streets, water, names) under the Accra network
rm -f "$OUT/accra_base.mbtiles"
if command -v tilemaker >/dev/null && command -v osmium >/dev/null; then
  "$GOVNET" basemap --osm "$ROADS" --out "$OUT/accra_base.mbtiles"
  rm -f "$OUT/accra.db" "$OUT/accra.db-wal" "$OUT/accra.db-shm"
  "$GOVNET" db import-plan "$OUT/accra.db" "$OUT/accra_plan.gpkg" >/dev/null
else
  echo "demo: tilemaker/osmium missing, no basemap (scripts/setup.sh installs them)"
fi

TOGO="$DATA/togo/lome_public_buildings.geojson"
echo
echo "== Lomé: points mode, rings for critical sites, WACS landing as POP"
"$GOVNET" plan --sites "$TOGO" --pop 1.2278,6.1260 --resilience critical \
  --out "$OUT/lome_plan.gpkg" --geojson "$OUT/lome_plan.geojson" \
  --summary "$OUT/lome_summary.json"
python3 -c 'import json,sys
s = json.load(open(sys.argv[1])); h = s["hub_placement"]
print("hubs: %d aggregation hubs (lower bound %d): %s" % (h["placed"],
      h["lower_bound"], ", ".join(h["sites"])))
print("circuits: %d, %d over budget; working max %.1f km, median %g splices,"
      " max %.2f dB at 1310 nm (budget %.1f dB)" % (s["circuits_total"],
      s["circuits_over_budget"], s["working_km_max"], s["working_splices_median"],
      s["working_loss_db_max"], s["optics_budget_db"]))' "$OUT/lome_summary.json"
"$GOVNET" report "$OUT/lome_plan.gpkg" --out "$OUT/lome_report.html" \
  --pdf "$OUT/lome_report.pdf"
echo
echo "== Lomé: system of record, trace, cut impact"
rm -f "$OUT/lome.db" "$OUT/lome.db-wal" "$OUT/lome.db-shm"
"$GOVNET" db init "$OUT/lome.db"
"$GOVNET" db import-plan "$OUT/lome.db" "$OUT/lome_plan.gpkg"
"$GOVNET" db check "$OUT/lome.db"
"$GOVNET" trace "$OUT/lome.db" --port 1 > "$OUT/lome_trace.txt"
tail -n 4 "$OUT/lome_trace.txt"
# the trench that serves the most buildings (ids are kept from plan to store)
busiest=$(python3 -c 'import json,sys
fc = json.load(open(sys.argv[1]))
ts = [f["properties"] for f in fc["features"] if f["properties"]["layer"] == "trench"]
print(max(ts, key=lambda p: p["sites_downstream"])["id"])' "$OUT/lome_plan.geojson")
"$GOVNET" impact "$OUT/lome.db" --trench "$busiest" > "$OUT/lome_impact.txt"
head -n 12 "$OUT/lome_impact.txt"
echo
echo "== Lomé: sharing the spare fibers (quote for an operator, open data)"
"$GOVNET" lease quote "$OUT/lome.db" --from pop:pop1 --to site:134 --fibers 2
rm -f "$OUT/lome_ofds.json"
"$GOVNET" db export "$OUT/lome.db" --format ofds --out "$OUT/lome_ofds.json"
echo
echo "demo: outputs in $OUT/ (open the .gpkg files in QGIS; lome_report.pdf;"
echo "      '$GOVNET serve --db $OUT/lome.db --places $DATA/togo/togo_osm_points_2019.geojson"
echo "       --boundaries $DATA/togo/togo_prefectures.geojson' or"
echo "      '$GOVNET serve --db $OUT/accra.db --basemap $OUT/accra_base.mbtiles',"
echo "      then http://127.0.0.1:8080/)"
