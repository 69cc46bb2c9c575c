#!/usr/bin/env bash
# reduce.sh - measure the Steiner reductions (degree tests alone, then
# degree + special-distance rounds) on every instance of a set.
#
# usage: bench/steiner/reduce.sh SET [OUT.csv]
#   SET      vienna | steinlib (read from $GN_DATA_DIR/steiner/SET.csv)
#   OUT.csv  default: bench/steiner/results/reduce-SET.csv
# env: SD_ROUNDS, SD_SETTLE, SD_ARCS, SD_DEG2 override the test limits (tuning);
#      GN_BUILD_DIR (default build-rel: the Release library it links),
#      GN_DATA_DIR (default ../shared/data).
# Prints the CSV rows, then a TOTAL line (sums of nodes, edges, seconds).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
set_name="${1:?usage: reduce.sh vienna|steinlib [OUT.csv]}"
out="${2:-$here/results/reduce-$set_name.csv}"
build="${GN_BUILD_DIR:-$root/build-rel}"
data="${GN_DATA_DIR:-$root/../shared/data}/steiner"
[[ -f "$data/$set_name.csv" ]] || { echo "reduce.sh: $data/$set_name.csv absent" >&2; exit 77; }
[[ -f "$build/libgovnet.a" ]] || { echo "reduce.sh: $build/libgovnet.a not built" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pkgs="gdal proj sqlite3 readosm expat jansson libmicrohttpd cairo"
# shellcheck disable=SC2046
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$root/include" -I"$root/src" \
  "$here/reduce_stats.c" "$build/libgovnet.a" $(pkg-config --libs $pkgs) \
  -lpthread -lm -o "$tmp/reduce_stats"
files=()
while IFS=, read -r file _rest; do files+=("$data/$file"); done \
  < <(tail -n +2 "$data/$set_name.csv")
"$tmp/reduce_stats" "${files[@]}" | tee "$out"
python3 - "$out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
s = lambda k: sum(float(r[k]) for r in rows)
print('TOTAL n=%d m=%d | degree: n=%d m=%d s=%.3f | full: n=%d m=%d s=%.3f '
      'deleted=%d' % (s('n'), s('m'), s('n_deg'), s('m_deg'), s('s_deg'),
                      s('n_red'), s('m_red'), s('s_red'), s('sd_deleted')))
PY
