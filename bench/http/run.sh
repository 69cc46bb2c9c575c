#!/usr/bin/env bash
# bench/http/run.sh - govnet serve vs nginx serving the same bytes, with wrk.
#
# Usage: bench/http/run.sh [BUILD_DIR] [DB]
#   BUILD_DIR  a Release build (default build-rel) holding govnet + test_server
#   DB         a store to serve (default: the 6-site fixture made by
#              `test_server --make-fixture`); LAYER/OBJECT env pick the URLs
# Env: DURATION (s per run, default 5), ROUNDS (alternating rounds, default 3;
#      medians are reported), CONNS (default 32), THREADS (wrk and server
#      threads, default 2), LAYER (default /api/trenches),
#      OBJECT (default /api/sites/osm:101).
# Loopback only; bounded duration; every process it starts is stopped.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build-rel}
DB=${2:-}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
# 32: govnet serve allows 32 connections per client address (its slowloris
# guard); from one address 64 would be half refused, and wrk counts the
# refusals as read errors while nginx serves all 64
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
LAYER=${LAYER:-/api/trenches}
OBJECT=${OBJECT:-/api/sites/osm:101}
for t in wrk nginx curl; do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || { echo "missing $t (apt-get install wrk nginx-light curl)"; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
. tests/api/serve_lib.sh
tmp=$(mktemp -d)
npid=""
upid=""
cleanup() {
  gn_stop
  [ -n "$upid" ] && kill -TERM "$upid" 2>/dev/null && wait "$upid" 2>/dev/null
  [ -n "$npid" ] && kill -TERM "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -z "$DB" ]; then
  DB="$tmp/net.gpkg"
  "$BUILD/test_server" --make-fixture "$DB"
fi
gn_serve "$BUILD/govnet" "$tmp/gout" "$tmp/gerr" --db "$DB" --threads "$THREADS" --quiet \
  --max-connections 1024
gport=$gn_port
gn_pid_cached=$gn_pid
# a second server without the answer cache: every request goes to the store
gn_serve "$BUILD/govnet" "$tmp/uout" "$tmp/uerr" --db "$DB" --threads "$THREADS" --quiet \
  --max-connections 1024 --cache-mb 0
uport=$gn_port
upid=$gn_pid
gn_pid=$gn_pid_cached

# nginx serves byte-identical copies of the two answers as static files.
mkdir -p "$tmp/www"
curl -sf "http://127.0.0.1:$gport$LAYER" -o "$tmp/www/layer.json"
curl -sf "http://127.0.0.1:$gport$OBJECT" -o "$tmp/www/object.json"
chmod 755 "$tmp" "$tmp/www"; chmod 644 "$tmp"/www/*.json
nport=$(( (gport % 20000) + 30000 ))
cat >"$tmp/nginx.conf" <<NG
worker_processes $THREADS;
pid $tmp/nginx.pid;
error_log $tmp/nginx.err warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  client_body_temp_path $tmp/cb; proxy_temp_path $tmp/px; fastcgi_temp_path $tmp/fc;
  uwsgi_temp_path $tmp/uw; scgi_temp_path $tmp/sc;
  server { listen 127.0.0.1:$nport; root $tmp/www; }
}
NG
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp" 2>"$tmp/nginx.start" &
npid=$!
sleep 0.5
curl -sf "http://127.0.0.1:$nport/object.json" -o /dev/null || { cat "$tmp/nginx.start" "$tmp/nginx.err"; exit 1; }

run() { # run URL -> "rps p99_ms"
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$1" >"$tmp/wrk.txt" 2>&1
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' "$tmp/wrk.txt")
  if grep -q "Non-2xx\|Socket errors" "$tmp/wrk.txt"; then grep "Non-2xx\|Socket errors" "$tmp/wrk.txt" >&2; fi
  echo "$rps $p99"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
lsize=$(stat -c %s "$tmp/www/layer.json")
osize=$(stat -c %s "$tmp/www/object.json")
echo "wrk -t$THREADS -c$CONNS, $ROUNDS rounds of ${DURATION}s alternating govnet/nginx (medians);" \
  "server threads $THREADS; nginx workers $THREADS; $(nproc) cores"

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
# bench NAME URL: alternating rounds are run by the caller; collect here
declare -A RPS P99
for r in $(seq "$ROUNDS"); do
  for spec in "g_l http://127.0.0.1:$gport$LAYER" "n_l http://127.0.0.1:$nport/layer.json" \
              "g_o http://127.0.0.1:$gport$OBJECT" "n_o http://127.0.0.1:$nport/object.json" \
              "u_l http://127.0.0.1:$uport$LAYER" "u_o http://127.0.0.1:$uport$OBJECT"; do
    set -- $spec
    read -r rps p99 < <(run "$2")
    RPS[$1]="${RPS[$1]:-} $rps"
    P99[$1]="${P99[$1]:-} $p99"
  done
done
for k in g_l n_l g_o n_o u_l u_o; do
  echo "rounds $k: req/s${RPS[$k]}; p99 ms${P99[$k]}"
  printf -v "$k" '%s' "$(tr ' ' '\n' <<<"${RPS[$k]}" | grep . | median)"
  printf -v "${k}99" '%s' "$(tr ' ' '\n' <<<"${P99[$k]}" | grep . | median)"
done
row() { # row LABEL BYTES RPS P99 NGINX_RPS
  printf '%-28s %10s %12.0f %8.2f ms %12.0f %7.0f%%\n' "$1" "$2" "$3" "$4" "$5" "$(awk "BEGIN{print 100*$3/$5}")"
}
printf '%-28s %10s %12s %11s %12s %8s\n' endpoint bytes govnet_rps govnet_p99 nginx_rps ratio
row "layer $LAYER" "$lsize" "$g_l" "$g_l99" "$n_l"
row "object $OBJECT" "$osize" "$g_o" "$g_o99" "$n_o"
row "layer, cache off" "$lsize" "$u_l" "$u_l99" "$n_l"
row "object, cache off" "$osize" "$u_o" "$u_o99" "$n_o"
printf 'nginx p99: layer %.2f ms, object %.2f ms; load average before: %s, after: %s\n' \
  "$n_l99" "$n_o99" "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)"
ok=$(awk "BEGIN{print ($g_o >= 0.5*$n_o && $g_o99 < 5) ? 1 : 0}")
echo "target (object >= 50% of nginx, p99 < 5 ms): $([ "$ok" = 1 ] && echo MET || echo NOT MET)"
# issue 19: whole-layer reads without the answer cache (the shared layer view)
ok=$(awk "BEGIN{print ($u_l >= 0.5*$n_l && $u_l99 <= 1.2*$n_l99) ? 1 : 0}")
printf 'target (layer, cache off >= 50%% of nginx, p99 <= 1.2x nginx): %.0f%%, p99 %.2fx: %s\n' \
  "$(awk "BEGIN{print 100*$u_l/$n_l}")" "$(awk "BEGIN{print $u_l99/$n_l99}")" \
  "$([ "$ok" = 1 ] && echo MET || echo NOT MET)"
