#!/usr/bin/env bash
# Demo: plan a fiber network over Accra's real streets (OpenStreetMap,
# 2017 trotro-route extract) for 300 sites chosen reproducibly from the
# file's street nodes (scripts/gen_sites.py, seed 42, each moved up to
# 60 m off the street like a building). Outputs go to ./demo-out/:
#   accra_sites.geojson  the generated sites (input)
#   accra_plan.gpkg      GeoPackage: sites, pops, trenches, drops, nodes, plan_meta
#   accra_plan.geojson   the same as one GeoJSON FeatureCollection
#   accra_summary.json   the summary (also printed as a table)
# Usage: scripts/demo.sh [NSITES] [SEED]   (GOVNET=path/to/govnet, GN_DATA_DIR=...)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-300}"
SEED="${2:-42}"
DATA="${GN_DATA_DIR:-../shared/data}"
GOVNET="${GOVNET:-${GN_BUILD:-build}/govnet}"
ROADS="$DATA/osm/accra_trotro_routes_2017.osm"
OUT=demo-out
[ -f "$ROADS" ] || { echo "demo: $ROADS not found (set GN_DATA_DIR)"; exit 1; }
[ -x "$GOVNET" ] || { echo "demo: $GOVNET not built; run scripts/setup.sh first"; exit 1; }
mkdir -p "$OUT"
python3 scripts/gen_sites.py "$ROADS" "$N" "$SEED" "$OUT/accra_sites.geojson"
"$GOVNET" plan --roads "$ROADS" --sites "$OUT/accra_sites.geojson" \
  --out "$OUT/accra_plan.gpkg" --geojson "$OUT/accra_plan.geojson" \
  --summary "$OUT/accra_summary.json" --seed "$SEED"
echo "demo: outputs in $OUT/ (open accra_plan.gpkg in QGIS)"
