#!/usr/bin/env bash
# bench/store/sync.sh - cost of synchronous=FULL (every answered write
# survives a power cut) against NORMAL, on the 6-site fixture store:
# N single-site patches per mode (each one transaction + audit row, as
# an API PATCH), alternating modes for ROUNDS rounds.
# Usage: bench/store/sync.sh [BUILD_DIR] [N] [ROUNDS]   (default build 300 3)
# The store goes in $TMPDIR (default /tmp): run it on the disk you deploy on.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# shellcheck disable=SC2046
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I include bench/store/bench_sync.c \
  -o "$T/bench_sync" "$BUILD/libgovnet.a" \
  $(pkg-config --libs gdal proj sqlite3 readosm jansson libmicrohttpd cairo) \
  $(pkg-config --libs expat 2>/dev/null || true) -lm -lpthread
"$BUILD/test_server" --make-fixture "$T/net.gpkg"
"$T/bench_sync" "$T/net.gpkg" osm:101 "${2:-300}" "${3:-3}"
