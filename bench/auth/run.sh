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

# 2. GET throughput, anonymous vs bearer token; also the server's CPU
# time per request (utime+stime of the server process over the run /
# requests), which a loaded machine disturbs much less than req/s
ticks=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() { # run PID URL [header] -> "rps cpu_us_per_request"
  local pid=$1 url=$2 t0 t1
  t0=$(cpu_of "$pid")
  if [ $# -gt 2 ]; then wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -H "$3" "$url" >"$tmp/wrk.txt" 2>&1
  else wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$url" >"$tmp/wrk.txt" 2>&1; fi
  t1=$(cpu_of "$pid")
  if grep -q "Non-2xx\|Socket errors" "$tmp/wrk.txt"; then grep "Non-2xx\|Socket errors" "$tmp/wrk.txt" >&2; fi
  local n rps
  n=$(awk '/requests in/ {print $1}' "$tmp/wrk.txt")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk.txt")
  echo "$rps $(awk "BEGIN{print ($t1 - $t0) * 1e6 / $ticks / $n}")"
}
declare -A RPS CPU
for _ in $(seq "$ROUNDS"); do
  for spec in "c_anon $cpid http://127.0.0.1:$cport$OBJECT" "c_tok $cpid http://127.0.0.1:$cport$OBJECT tok" \
              "u_anon $upid http://127.0.0.1:$uport$OBJECT" "u_tok $upid http://127.0.0.1:$uport$OBJECT tok"; do
    set -- $spec
    if [ $# -gt 3 ]; then read -r rps cpu < <(run "$2" "$3" "Authorization: Bearer $TOKEN")
    else read -r rps cpu < <(run "$2" "$3"); fi
    RPS[$1]="${RPS[$1]:-} $rps"
    CPU[$1]="${CPU[$1]:-} $cpu"
  done
done
for k in c_anon c_tok u_anon u_tok; do
  echo "rounds $k: req/s${RPS[$k]}; server cpu us/request${CPU[$k]}"
  printf -v "$k" '%s' "$(tr ' ' '\n' <<<"${RPS[$k]}" | grep . | median)"
  printf -v "${k}_cpu" '%s' "$(tr ' ' '\n' <<<"${CPU[$k]}" | grep . | median)"
done
echo "$(nproc) cores; wrk -t$THREADS -c$CONNS, $ROUNDS rounds of ${DURATION}s; server threads $THREADS"
printf 'login (Argon2id interactive + session), median of %d: %.1f ms; wrong password %.1f ms; unknown user %.1f ms\n' \
  "$LOGINS" "$login_ms" "$wrong_ms" "$unknown_ms"
printf '%-22s %10s %10s %7s %14s %14s %7s\n' "GET $OBJECT" anon_rps token_rps ratio \
  anon_cpu_us token_cpu_us extra
line() { printf '%-22s %10.0f %10.0f %6.1f%% %14.1f %14.1f %6.1f%%\n' "$1" "$2" "$3" \
  "$(awk "BEGIN{print 100*$3/$2}")" "$4" "$5" "$(awk "BEGIN{print 100*($5-$4)/$4}")"; }
line "answer cache on" "$c_anon" "$c_tok" "$c_anon_cpu" "$c_tok_cpu"
line "answer cache off" "$u_anon" "$u_tok" "$u_anon_cpu" "$u_tok_cpu"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
ok=$(awk "BEGIN{print ($c_tok_cpu <= 1.1*$c_anon_cpu && $u_tok_cpu <= 1.1*$u_anon_cpu) ? 1 : 0}")
echo "target (token check < 10% of the server's CPU per request): $([ "$ok" = 1 ] && echo MET || echo NOT MET)"
