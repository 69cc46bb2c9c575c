#!/usr/bin/env bash
# bench/build/run.sh - field progress under load: 50 crews post at once to
# the real server; each walks its own trenches through the seven steps and
# replays every 10th request. Checks afterwards in the store that every
# report is there exactly once (none lost, none duplicated) and prints the
# sustained rate, for one report per request and for batches of 20 (a
# phone's outbox after a dead zone). Target: >= 200 reports/s.
# Usage: bench/build/run.sh [BUILD_DIR]   Env: POSTERS (50), SITES (4000),
# THREADS (server threads, 2). Loopback only; the server is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
POSTERS=${POSTERS:-50}
SITES=${SITES:-4000}
THREADS=${THREADS:-2}
G="$BUILD/govnet"
[ -x "$G" ] || { echo "no $G: build first"; exit 1; }
. tests/api/serve_lib.sh
tmp=$(mktemp -d)
trap 'gn_stop; rm -rf "$tmp"' EXIT
echo "bench-token-$$" >"$tmp/token"
for mode in 1 20; do
  DB="$tmp/net$mode.db"
  "$G" db init "$DB" >/dev/null
  "$G" db import-plan "$DB" --synthetic "$SITES" --seed 7 >/dev/null 2>&1
  "$G" build packages "$DB" --target-km 5 --save >/dev/null
  sqlite3 "$DB" "SELECT trench FROM build_package_trenches ORDER BY trench" >"$tmp/trenches"
  gn_serve "$G" "$tmp/out" "$tmp/err" --db "$DB" --token-file "$tmp/token" --threads "$THREADS"
  res=$(python3 bench/build/post.py "http://127.0.0.1:$gn_port" "$(cat "$tmp/token")" \
        "$tmp/trenches" "$POSTERS" "$mode")
  gn_stop
  rows=$(sqlite3 "$DB" "SELECT count(*), count(DISTINCT client_id) FROM build_reports")
  accepted=$(sqlite3 "$DB" "SELECT count(*) FROM build_segments WHERE state=7")
  echo "batch $mode: $res"
  echo "  store: reports,distinct ids = $rows; trenches accepted = $accepted of $(wc -l <"$tmp/trenches")"
  python3 - "$res" "$rows" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); n, d = map(int, sys.argv[2].split("|"))
assert r["refused"] == 0, "refused reports"
assert n == d == r["unique_ids"] == r["stored"], "lost or duplicated: %s vs %d rows" % (r, n)
print("  none lost, none duplicated; %.0f reports/s %s" % (r["reports_per_s"],
      "(>= 200: ok)" if r["reports_per_s"] >= 200 else "(BELOW 200)"))
PY
done
