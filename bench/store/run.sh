#!/usr/bin/env bash
# bench/store/run.sh - store benchmark on a Lomé-size network (450
# buildings: the real Accra street plan from `govnet plan` when the data
# is present, and a synthetic Lomé-area plan) and a 10x synthetic one.
# Builds a Release tree in build-rel (no sanitizers). Prints the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$PWD
BUILD=${GN_BUILD_REL:-build-rel}
DATA=${GN_DATA_DIR:-$SRC/../shared/data}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DGN_DATA_DIR="$DATA" >/dev/null
# only what the benchmark runs (a Release build of every test is not needed)
cmake --build "$BUILD" -j2 --target govnet >/dev/null
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# Import scaling: the whole `govnet db import-plan --synthetic N` command
# (plan generation, layout, rows, commit) in CPU seconds (user + sys, not
# wall: the machine is shared) and max RSS, and the growth 4,500 -> 45,000
# (issue 19: at most 12x, at most 30 s). GN_BENCH_IMPORT_ONLY=1 stops here.
echo "== import scaling (CPU s = user + sys, max RSS)"
for n in 450 4500 45000; do
  rm -f "$T/scale.gpkg"*
  /usr/bin/time -f "%U %S %M" -o "$T/time.$n" \
    "$BUILD/govnet" db import-plan "$T/scale.gpkg" --synthetic "$n" >/dev/null
  read -r u s m < "$T/time.$n"
  cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  echo "$cpu" > "$T/cpu.$n"
  echo "synthetic $n: $cpu s CPU (user $u, sys $s), max RSS $((m / 1024)) MB"
done
awk -v a="$(cat "$T/cpu.4500")" -v b="$(cat "$T/cpu.45000")" \
  'BEGIN { printf "growth 4500 -> 45000: %.1fx\n", b / a }'
rm -f "$T/scale.gpkg"*
[ "${GN_BENCH_IMPORT_ONLY:-0}" = 1 ] && exit 0
# shellcheck disable=SC2046
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I include -I tools/govnet \
  bench/store/bench_store.c tools/govnet/cmd_db_synth.c -o "$T/bench_store" "$BUILD/libgovnet.a" \
  $(pkg-config --libs gdal proj sqlite3 readosm jansson libmicrohttpd cairo) \
  $(pkg-config --libs expat 2>/dev/null || true) -lm -lpthread
run() { echo "== $1"; shift; "$T/bench_store" "$@"; }
if [ -f "$DATA/osm/accra_trotro_routes_2017.osm" ]; then
  python3 scripts/gen_sites.py "$DATA/osm/accra_trotro_routes_2017.osm" 450 7 "$T/sites.geojson" >/dev/null
  "$BUILD/govnet" plan --roads "$DATA/osm/accra_trotro_routes_2017.osm" \
    --sites "$T/sites.geojson" --out "$T/accra_plan.gpkg" >/dev/null
  run "Accra street plan, 450 buildings" "$T/accra.gpkg" --plan "$T/accra_plan.gpkg"
fi
if [ -f "$DATA/togo/lome_public_buildings.geojson" ]; then
  "$BUILD/govnet" plan --sites "$DATA/togo/lome_public_buildings.geojson" \
    --pop 1.2278,6.1260 --resilience critical --out "$T/lome_plan.gpkg" >/dev/null
  run "Lomé plan (points mode, rings for critical sites), 453 buildings" \
    "$T/lome.gpkg" --plan "$T/lome_plan.gpkg"
fi
run "synthetic Lomé-size, 450 buildings" "$T/s450.gpkg" --synthetic 450 --ring 15
run "synthetic 10x, 4500 buildings" "$T/s4500.gpkg" --synthetic 4500 --ring 15
