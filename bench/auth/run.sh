#!/usr/bin/env bash
# bench/auth/run.sh - What accounts cost: one login (Argon2id verify +
# session insert, over HTTP), and GET /api/sites/ID throughput with a
# user's bearer token next to the same GET without credentials, with the
# answer cache on (default) and off. Alternating rounds, medians.
#
# Usage: bench/auth/run.sh [BUILD_DIR]   (default build-rel; any build with
#        govnet and test_server)
# Env: DURATION (s per wrk run, default 5), ROUNDS (default 3), CONNS
#      (default 64), THREADS (wrk and server threads, default 2),
#      LOGINS (default 20), OBJECT (default /api/sites/osm:101).
# Loopback only; every process it starts is stopped.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build-rel}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
LOGINS=${LOGINS:-20}
OBJECT=${OBJECT:-/api/sites/osm:101}
for t in wrk curl; do command -v "$t" >/dev/null || { echo "missing $t"; exit 1; }; done
. tests/api/serve_lib.sh
tmp=$(mktemp -d)
upid=""
cleanup() {
  gn_stop
  [ -n "$upid" ] && kill -TERM "$upid" 2>/dev/null && wait "$upid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

DB="$tmp/net.gpkg"
"$BUILD/test_server" --make-fixture "$DB"
PW="bench-password-$$"
printf '%s\n' "$PW" | "$BUILD/govnet" user add "$DB" --name bench --role planner >/dev/null
TOKEN=$("$BUILD/govnet" user token "$DB" --name bench --days 1)

gn_serve "$BUILD/govnet" "$tmp/out" "$tmp/err" --db "$DB" --threads "$THREADS" --quiet \
  --max-connections 1024
cport=$gn_port
cpid=$gn_pid
gn_serve "$BUILD/govnet" "$tmp/uout" "$tmp/uerr" --db "$DB" --threads "$THREADS" --quiet \
  --max-connections 1024 --cache-mb 0
uport=$gn_port
upid=$gn_pid
gn_pid=$cpid

# 1. one login, sequential, over HTTP (the Argon2id verify dominates)
for _ in $(seq "$LOGINS"); do
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST \
    -d "{\"name\":\"bench\",\"password\":\"$PW\"}" "http://127.0.0.1:$cport/api/login"
done >"$tmp/logins"
grep -qv '^200 ' "$tmp/logins" && { echo "a login failed:"; sort "$tmp/logins" | uniq -c; exit 1; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
login_ms=$(awk '{print $2 * 1000}' "$tmp/logins" | median)
# the same request with a wrong password and an unknown user (same cost)
for n in bench nobody; do
  for _ in 1 2 3; do
    curl -s -o /dev/null -w '%{time_total}\n' -X POST \
      -d "{\"name\":\"$n\",\"password\":\"wrong-password\"}" "http://127.0.0.1:$uport/api/login"
  done >"$tmp/fail_$n"
done
wrong_ms=$(awk '{print $1 * 1000}' "$tmp/fail_bench" | median)
unknown_ms=$(awk '{print $1 * 1000}' "$tmp/fail_nobody" | median)

# 2. GET throughput, anonymous vs bearer token
run() { # run URL [header] -> rps
  if [ $# -gt 1 ]; then wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -H "$2" "$1" >"$tmp/wrk.txt" 2>&1
  else wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$1" >"$tmp/wrk.txt" 2>&1; fi
  if grep -q "Non-2xx\|Socket errors" "$tmp/wrk.txt"; then grep "Non-2xx\|Socket errors" "$tmp/wrk.txt" >&2; fi
  awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk.txt"
}
declare -A RPS
for _ in $(seq "$ROUNDS"); do
  RPS[c_anon]="${RPS[c_anon]:-} $(run "http://127.0.0.1:$cport$OBJECT")"
  RPS[c_tok]="${RPS[c_tok]:-} $(run "http://127.0.0.1:$cport$OBJECT" "Authorization: Bearer $TOKEN")"
  RPS[u_anon]="${RPS[u_anon]:-} $(run "http://127.0.0.1:$uport$OBJECT")"
  RPS[u_tok]="${RPS[u_tok]:-} $(run "http://127.0.0.1:$uport$OBJECT" "Authorization: Bearer $TOKEN")"
done
for k in c_anon c_tok u_anon u_tok; do
  echo "rounds $k: req/s${RPS[$k]}"
  printf -v "$k" '%s' "$(tr ' ' '\n' <<<"${RPS[$k]}" | grep . | median)"
done
echo "$(nproc) cores; wrk -t$THREADS -c$CONNS, $ROUNDS rounds of ${DURATION}s; server threads $THREADS"
printf 'login (Argon2id interactive + session), median of %d: %.1f ms; wrong password %.1f ms; unknown user %.1f ms\n' \
  "$LOGINS" "$login_ms" "$wrong_ms" "$unknown_ms"
printf '%-26s %12s %12s %8s\n' "GET $OBJECT" anonymous_rps token_rps ratio
printf '%-26s %12.0f %12.0f %7.1f%%\n' "answer cache on" "$c_anon" "$c_tok" "$(awk "BEGIN{print 100*$c_tok/$c_anon}")"
printf '%-26s %12.0f %12.0f %7.1f%%\n' "answer cache off" "$u_anon" "$u_tok" "$(awk "BEGIN{print 100*$u_tok/$u_anon}")"
ok=$(awk "BEGIN{print ($c_tok >= 0.9*$c_anon && $u_tok >= 0.9*$u_anon) ? 1 : 0}")
echo "target (token check costs < 10% of throughput): $([ "$ok" = 1 ] && echo MET || echo NOT MET)"
