#!/usr/bin/env bash
# OSM import time of govnet against `osmium cat` on the same file, in the
# same run, reported as ratios (govnet / osmium; below 1 = govnet faster).
# govnet: `govnet plan --roads FILE --import-only` = read the PBF, keep the
# routable ways, find junctions, build the graph with shapes, measure every
# edge on the WGS84 ellipsoid, label components. osmium: `osmium cat FILE
# -f opl -o /dev/null` = decode every object and write it as text.
# Both wall time and CPU time (user + sys, all threads) are reported, best
# of N alternated runs each (default 5): on a shared machine the CPU ratio
# is the stable one.
# Usage: bench/osm_import/run.sh [FILE] [RUNS]   (GOVNET=path/to/govnet)
set -euo pipefail
cd "$(dirname "$0")/../.."
FILE="${1:-../shared/data/osm/porto_metro_highways_2015.osm.pbf}"
RUNS="${2:-5}"
GOVNET="${GOVNET:-build-rel/govnet}"
[ -f "$FILE" ] || { echo "osm_import: $FILE absent: skipping"; exit 77; }
[ -x "$GOVNET" ] || { echo "osm_import: $GOVNET not built (cmake -B build-rel -DCMAKE_BUILD_TYPE=Release)"; exit 1; }
command -v osmium >/dev/null || { echo "osm_import: osmium-tool not installed"; exit 1; }

# measure CMD...: prints "wall cpu maxrss_kb"
measure() {
  /usr/bin/time -f "%e %U %S %M" -o /tmp/osm_import_bench.$$ "$@" >/dev/null 2>&1
  awk '{ print $1, $2 + $3, $4 }' /tmp/osm_import_bench.$$
  rm -f /tmp/osm_import_bench.$$
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }

gw="" gc="" ow="" oc="" grss=""
for _ in $(seq "$RUNS"); do
  read -r w c m < <(measure "$GOVNET" plan --roads "$FILE" --import-only)
  gw=$(min "$gw" "$w"); gc=$(min "$gc" "$c"); grss=$m
  read -r w c m < <(measure osmium cat "$FILE" -f opl -o /dev/null --overwrite)
  ow=$(min "$ow" "$w"); oc=$(min "$oc" "$c")
done
stats=$("$GOVNET" plan --roads "$FILE" --import-only)
ratio() { awk -v g="$1" -v o="$2" 'BEGIN { printf "%.2f", g / o }'; }
printf 'file     %s (%s bytes)\n' "$FILE" "$(stat -c %s "$FILE")"
printf 'graph    %s\n' "$(echo "$stats" | sed 's/^roads: [^:]*: //; s/, [0-9.]* s$//')"
printf 'govnet   wall %.3f s  cpu %.3f s  peak RSS %s KB\n' "$gw" "$gc" "$grss"
printf 'osmium   wall %.3f s  cpu %.3f s  (%s, osmium cat -f opl)\n' "$ow" "$oc" "$(osmium --version | head -1)"
printf 'ratio    wall %s  cpu %s  (govnet / osmium, best of %s; load %s)\n' \
  "$(ratio "$gw" "$ow")" "$(ratio "$gc" "$oc")" "$RUNS" "$(cut -d' ' -f1 /proc/loadavg)"
