#!/usr/bin/env bash
# design_hubs.sh - time of `govnet plan` with hubs, express-fiber layout
# and circuits (points mode, --resilience critical): the real Lomé
# buildings, then N synthetic buildings (default 450 and 4500: Lomé's
# density spread over a proportionally larger area, 40 % admin/health)
# to state the growth. Each line: sites, seconds, hubs (lower bound),
# circuits over budget, working km max, median splices.
# Usage: bench/design_hubs.sh [N...]   (GOVNET=build/govnet)
set -euo pipefail
cd "$(dirname "$0")/.."
G="${GOVNET:-build/govnet}"
DATA="${GN_DATA_DIR:-../shared/data}"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
run() { # name sites-file
  local t0 t1
  t0=$(date +%s.%N)
  "$G" plan --sites "$2" --pop 1.2278,6.1260 --resilience critical \
    --out "$T/$1.gpkg" --summary "$T/$1.json" >/dev/null 2>&1
  t1=$(date +%s.%N)
  python3 - "$1" "$T/$1.json" "$t0" "$t1" <<'PY'
import json, sys
s = json.load(open(sys.argv[2]))
h = s["hub_placement"]
print("%-10s %6d sites %7.2f s  hubs %3d (>= %d)  over budget %d  working"
      " max %.1f km  median %g splices  cost %.2f bn FCFA" % (
          sys.argv[1], s["sites_connected"], float(sys.argv[4]) - float(sys.argv[3]),
          h["placed"], h["lower_bound"], s["circuits_over_budget"],
          s["working_km_max"], s["working_splices_median"], s["cost_fcfa"] / 1e9))
PY
}
run lome "$DATA/togo/lome_public_buildings.geojson"
for n in "${@:-450 4500}"; do
  python3 - "$n" "$T/syn$n.geojson" <<'PY'
import json, math, random, sys
n = int(sys.argv[1]); rnd = random.Random(42)
side = 0.16 * math.sqrt(n / 453)  # degrees: Lomé's density
cats = ["admin", "health", "education", "education", "other"]
feats = [{"type": "Feature", "properties": {"id": "s%d" % i,
          "category": cats[i % 5]}, "geometry": {"type": "Point",
          "coordinates": [1.15 + rnd.random() * side, 6.12 + rnd.random() * side * 0.6]}}
         for i in range(n)]
json.dump({"type": "FeatureCollection", "features": feats}, open(sys.argv[2], "w"))
PY
  run "syn$n" "$T/syn$n.geojson"
done
