#!/usr/bin/env bash
# bench/lease/run.sh - quote latency (p50/p99) on the Lomé store (453
# buildings, points plan with rings) and on a 10x synthetic store (4,530
# buildings). Builds a Release tree in build-rel. Goal: p99 <= 20 ms at
# Lomé size. Usage: bench/lease/run.sh [N quotes]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${GN_BUILD_REL:-build-rel}
DATA=${GN_DATA_DIR:-$PWD/../shared/data}
N=${1:-300}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j2 >/dev/null
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# shellcheck disable=SC2046
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I include bench/lease/bench_quote.c \
  -o "$T/bench_quote" "$BUILD/libgovnet.a" \
  $(pkg-config --libs gdal proj sqlite3 readosm jansson libmicrohttpd cairo expat) -lm -lpthread
"$BUILD/govnet" plan --sites "$DATA/togo/lome_public_buildings.geojson" \
  --pop 1.2278,6.1260 --resilience critical --out "$T/lome.gpkg" >/dev/null
"$BUILD/govnet" db init "$T/lome.db" >/dev/null
"$BUILD/govnet" db import-plan "$T/lome.db" "$T/lome.gpkg" >/dev/null
echo "== Lomé store (453 buildings)"
"$T/bench_quote" "$T/lome.db" "$N"
"$BUILD/govnet" db init "$T/syn.db" >/dev/null
"$BUILD/govnet" db import-plan "$T/syn.db" --synthetic 4530 >/dev/null
echo "== synthetic store, 10x (4,530 buildings)"
"$T/bench_quote" "$T/syn.db" "$N"
