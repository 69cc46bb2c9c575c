#!/usr/bin/env bash
# bench/monitor/run.sh - root-cause benchmark on the Lomé store (the demo's
# plan: 453 real buildings, points mode, rings for critical sites) and on
# a 10x synthetic store (4,500 buildings). Builds a Release tree in
# build-rel (no sanitizers). Prints the figures (see README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${GN_BUILD_REL:-build-rel}
DATA=${GN_DATA_DIR:-$PWD/../shared/data}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DGN_DATA_DIR="$DATA" >/dev/null
cmake --build "$BUILD" -j2 >/dev/null
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# shellcheck disable=SC2046
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I include -I tools/govnet \
  bench/monitor/bench_monitor.c tools/govnet/cmd_db_synth.c -o "$T/bench" \
  "$BUILD/libgovnet.a" \
  $(pkg-config --libs gdal proj sqlite3 readosm jansson libmicrohttpd cairo libcurl libsodium zlib) \
  $(pkg-config --libs expat 2>/dev/null || true) -lm -lpthread
if [ -f "$DATA/togo/lome_public_buildings.geojson" ]; then
  "$BUILD/govnet" plan --sites "$DATA/togo/lome_public_buildings.geojson" \
    --pop 1.2278,6.1260 --resilience critical --out "$T/lome_plan.gpkg" >/dev/null
  echo "== Lomé plan, 453 buildings"
  time "$T/bench" "$T/lome.db" --plan "$T/lome_plan.gpkg"
fi
echo "== synthetic 10x, 4500 buildings"
time "$T/bench" "$T/s4500.db" --synthetic 4500 --ring 15
