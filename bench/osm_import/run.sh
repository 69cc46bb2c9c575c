#!/usr/bin/env bash
# OSM import time of govnet against `osmium cat` on the same file, in the
# same run, reported as a ratio (govnet / osmium; below 1 = govnet faster).
# govnet: `govnet plan --roads FILE --import-only` = read the PBF, keep the
# routable ways, find junctions, build the graph with shapes, label
# components. osmium: `osmium cat FILE -f opl -o /dev/null` = decode every
# object and write it as text. Best of N runs each (default 3), alternated.
# Usage: bench/osm_import/run.sh [FILE] [RUNS]   (GOVNET=path/to/govnet)
set -euo pipefail
cd "$(dirname "$0")/../.."
FILE="${1:-../shared/data/osm/porto_metro_highways_2015.osm.pbf}"
RUNS="${2:-3}"
GOVNET="${GOVNET:-build-rel/govnet}"
[ -f "$FILE" ] || { echo "osm_import: $FILE absent: skipping"; exit 77; }
[ -x "$GOVNET" ] || { echo "osm_import: $GOVNET not built (cmake -B build-rel -DCMAKE_BUILD_TYPE=Release)"; exit 1; }
command -v osmium >/dev/null || { echo "osm_import: osmium-tool not installed"; exit 1; }

secs() { # run a command, print its wall time in seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

best_g="" best_o=""
for _ in $(seq "$RUNS"); do
  best_g=$(min "$best_g" "$(secs "$GOVNET" plan --roads "$FILE" --import-only)")
  best_o=$(min "$best_o" "$(secs osmium cat "$FILE" -f opl -o /dev/null --overwrite)")
done
stats=$("$GOVNET" plan --roads "$FILE" --import-only)
peak=$( { /usr/bin/time -f "%M" "$GOVNET" plan --roads "$FILE" --import-only >/dev/null; } 2>&1 | tail -1)
printf 'file      %s (%s bytes)\n' "$FILE" "$(stat -c %s "$FILE")"
printf 'govnet    %.3f s  (peak RSS %s KB)  %s\n' "$best_g" "$peak" "${stats#roads: *: }"
printf 'osmium    %.3f s  (osmium cat -f opl, %s)\n' "$best_o" "$(osmium --version | head -1)"
printf 'ratio     %.2f  (govnet / osmium, best of %s)\n' "$(awk -v g="$best_g" -v o="$best_o" 'BEGIN { print g / o }')" "$RUNS"
