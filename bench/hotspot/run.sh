#!/usr/bin/env bash
# bench/hotspot/run.sh - Access-Requests per second through FreeRADIUS 3.2
# with govnet's two backends against the same FreeRADIUS with its own
# `files` backend (users file + pap), the ceiling:
#   rest:    rlm_rest -> `govnet serve --aaa-listen` (resident, keep-alive
#            pool, the dedicated AAA listener)
#   rest-main: the same through the main API listener (no --aaa-listen)
#   exec:    rlm_exec -> govnet-aaa per request (the fallback)
#   files:   FreeRADIUS alone (the ceiling)
#   nginx:   rlm_rest -> nginx answering a constant Access-Accept: the
#            bound of ANY rlm_rest backend (FreeRADIUS's own rlm_rest cost)
# Same machine, same listeners and thread pool, same users. Workloads:
# vouchers with unlimited uses (after the first login an accept writes
# nothing: the decision runs in a read transaction), the same vouchers
# limited to 100000 uses ("counted": every accept counts the use in a
# write transaction, one fsync at --sync full), and students (Argon2id
# passwords; the per-connection credential cache is warm after the first
# login of each). All run in the same command, alternated, ROUNDS times;
# medians are reported with the load average (the machine may be shared).
#
# Usage: bench/hotspot/run.sh [BUILD_DIR]   (default: build)
# Env: N (users, 200), REQS (radclient requests for rest/files, 3000),
#      REQS_EXEC (for exec, 300: it is ~100x slower), PAR (radclient -p,
#      32), SECONDS (latency run per backend, 5), THREADS (latency
#      clients, 8), ROUNDS (3), SERVE_THREADS (govnet serve --threads, 2),
#      SYNC (govnet serve --sync full|normal, full), STUDENTS (1: also
#      time student logins through rest).
# Throughput: radclient -p PAR -f over the requests (wall time).
# Latency: bench/hotspot/latency.py, THREADS concurrent clients, p50/p99.
# CPU: user + system time of the server processes involved (FreeRADIUS
# with its reaped govnet-aaa children, govnet serve, nginx) per request,
# from /proc/PID/stat over both runs: the figure that does not depend on
# what else the machine runs (wall-time rates do, a lot, when shared).
# Loopback only; every server is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
N=${N:-200} REQS=${REQS:-3000} REQS_EXEC=${REQS_EXEC:-300} PAR=${PAR:-32}
SECONDS_=${SECONDS:-5} THREADS=${THREADS:-8} ROUNDS=${ROUNDS:-3}
SERVE_THREADS=${SERVE_THREADS:-2} SYNC=${SYNC:-full} STUDENTS=${STUDENTS:-1}
G="$BUILD/govnet"
command -v freeradius >/dev/null && command -v radclient >/dev/null \
  || { echo "install freeradius freeradius-utils freeradius-rest (scripts/setup.sh)"; exit 1; }
T=$(mktemp -d)
P1= P2= P3= P4= P5= P6= gn_pid=
. tests/api/serve_lib.sh
trap 'kill $P1 $P2 $P3 $P4 $P5 $P6 2>/dev/null; gn_stop; wait 2>/dev/null; rm -rf "$T"' EXIT
S=benchsecret1
read -r A1 C1 A2 C2 A3 C3 A4 C4 NGX A5 C5 < <(python3 tests/cli/radius_nas.py ports 11)

"$G" hotspot group set "$T/hs.db" --name bench --simultaneous 0
codes() { python3 -c 'import json,sys;[print(v["code"],v["code"]) for v in json.load(sys.stdin)]'; }
"$G" hotspot vouchers "$T/hs.db" --count "$N" --minutes 600 --uses 0 --group bench --json \
  | codes >"$T/users"
"$G" hotspot vouchers "$T/hs.db" --count "$N" --minutes 600 --uses 100000 --group bench --json \
  | codes >"$T/counted"
for i in $(seq 8); do # students: Argon2id passwords
  echo "student-pass-$i" | "$G" hotspot user add "$T/hs.db" --name "etu$i" --group bench >/dev/null
  echo "etu$i student-pass-$i" >>"$T/students"
done
head -c 24 /dev/urandom | base64 | tr -d '=+/' >"$T/aaa.token"
gn_serve "$G" "$T/serve.out" "$T/serve.err" --db "$T/hs.db" --aaa-token-file "$T/aaa.token" \
  --threads "$SERVE_THREADS" --sync "$SYNC" --quiet --aaa-listen 127.0.0.1:0
aport=$(sed -n 's|^govnet: AAA listener http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$T/serve.out")
"$G" hotspot radius-config "$T/hs.db" --out "$T/exec" --auth-port "$A1" --acct-port "$C1" \
  --secret "$S" 2>/dev/null
"$G" hotspot radius-config "$T/hs.db" --out "$T/rest" --auth-port "$A3" --acct-port "$C3" \
  --secret "$S" --backend rest --rest-url "http://127.0.0.1:$aport" \
  --rest-token-file "$T/aaa.token" 2>/dev/null
"$G" hotspot radius-config "$T/hs.db" --out "$T/restmain" --auth-port "$A5" --acct-port "$C5" \
  --secret "$S" --backend rest --rest-url "http://127.0.0.1:$gn_port" \
  --rest-token-file "$T/aaa.token" 2>/dev/null

# the rlm_rest bound: nginx answers every POST with a constant accept
mkdir -p "$T/ngx"
cat >"$T/ngx/nginx.conf" <<CONF
worker_processes 1;
pid $T/ngx/nginx.pid;
error_log $T/ngx/error.log;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $T/ngx/body;
  proxy_temp_path $T/ngx/proxy;
  fastcgi_temp_path $T/ngx/fcgi;
  uwsgi_temp_path $T/ngx/uwsgi;
  scgi_temp_path $T/ngx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGX;
    location / {
      default_type application/json;
      return 200 '{"reply:Session-Timeout":3600,"reply:Acct-Interim-Interval":300}';
    }
  }
}
CONF
nginx -p "$T/ngx" -c "$T/ngx/nginx.conf" -g 'daemon off;' >"$T/ngx/out" 2>&1 & P5=$!
"$G" hotspot radius-config "$T/hs.db" --out "$T/nginx" --auth-port "$A4" --acct-port "$C4" \
  --secret "$S" --backend rest --rest-url "http://127.0.0.1:$NGX" \
  --rest-token-file "$T/aaa.token" 2>/dev/null

# the ceiling: the same listeners and pool, FreeRADIUS's files + pap
mkdir -p "$T/files/run" "$T/files/log"
sed -e "s|$T/exec|$T/files|g" -e "s|port = $A1|port = $A2|" -e "s|port = $C1|port = $C2|" \
  -e '/^modules {/,$d' "$T/exec/radiusd.conf" >"$T/files/radiusd.conf"
cat "$T/users" "$T/counted" "$T/students" | awk '{printf "%s Cleartext-Password := \"%s\"\n    Session-Timeout = 36000,\n    Acct-Interim-Interval = 300\n\n", $1, $2}' \
  >"$T/files/users"
cat >>"$T/files/radiusd.conf" <<CONF
modules {
  files {
    filename = $T/files/users
  }
  pap {
  }
}
server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = $A2
  }
  listen {
    type = acct
    ipaddr = 127.0.0.1
    port = $C2
  }
  authorize {
    files
    pap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
  }
  accounting {
  }
}
CONF
chmod 640 "$T/files/radiusd.conf" "$T/files/users"
freeradius -f -d "$T/exec" >"$T/exec.out" 2>&1 & P1=$!
freeradius -f -d "$T/files" >"$T/files.out" 2>&1 & P2=$!
freeradius -f -d "$T/rest" >"$T/rest.out" 2>&1 & P3=$!
freeradius -f -d "$T/nginx" >"$T/nginx.out" 2>&1 & P4=$!
freeradius -f -d "$T/restmain" >"$T/restmain.out" 2>&1 & P6=$!
for port in $A1 $A2 $A3 $A4 $A5; do
  for _ in $(seq 50); do
    echo 'Message-Authenticator = 0x00' | radclient -r 1 -t 1 "127.0.0.1:$port" status "$S" >/dev/null 2>&1 && break
    sleep 0.2
  done
done

# radclient request files: requests cycling through the users
reqs() { # USERS_FILE COUNT OUT
  awk -v n="$2" '{u[NR]=$1; p[NR]=$2} END {for (i = 0; i < n; i++) {k = i % NR + 1;
    printf "User-Name = \"%s\"\nUser-Password = \"%s\"\nNAS-IP-Address = 127.0.0.1\n\n", u[k], p[k]}}' \
    "$1" >"$3"
}
reqs "$T/users" "$REQS" "$T/reqs"
reqs "$T/users" "$REQS_EXEC" "$T/reqs_exec"
reqs "$T/counted" "$REQS" "$T/reqs_counted"
reqs "$T/students" "$REQS" "$T/reqs_students"
throughput() { # PORT REQFILE COUNT -> "requests/s accepted"
  local t0 t1 okn
  t0=$(date +%s.%N)
  radclient -q -s -p "$PAR" -r 3 -t 10 -f "$2" "127.0.0.1:$1" auth "$S" >"$T/rc.$1" 2>&1 || true
  t1=$(date +%s.%N)
  okn=$(sed -n 's/.*Accepted *: *\([0-9]*\).*/\1/p' "$T/rc.$1" | head -1)
  python3 -c "print('%.0f %s' % ($3 / ($t1 - $t0), '${okn:-?}'))"
}
latency() { # PORT USERS -> one JSON line
  python3 bench/hotspot/latency.py 127.0.0.1 "$1" "$S" "$2" "$THREADS" "$SECONDS_"
}
: >"$T/results"
# first logins (voucher minutes start, students' cache) before timing
for f in reqs reqs_counted reqs_students; do
  radclient -q -s -p "$PAR" -r 3 -t 10 -f <(head -$((5 * (N + 8))) "$T/$f") "127.0.0.1:$A3" auth "$S" >/dev/null 2>&1 || true
done
ticks() { # PIDS... -> utime+stime+cutime+cstime of them and their children
  local t=0 p
  for p in "$@" $(for q in "$@"; do pgrep -P "$q"; done); do
    t=$((t + $(awk '{print $14+$15+$16+$17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
one() { # BACKEND ROUND
  local port f n u=$T/users pids
  case $1 in
    rest) port=$A3 f=$T/reqs n=$REQS pids="$P3 $gn_pid" ;;
    rest-main) port=$A5 f=$T/reqs n=$REQS pids="$P6 $gn_pid" ;;
    rest-counted) port=$A3 f=$T/reqs_counted n=$REQS u=$T/counted pids="$P3 $gn_pid" ;;
    rest-students) port=$A3 f=$T/reqs_students n=$REQS u=$T/students pids="$P3 $gn_pid" ;;
    nginx) port=$A4 f=$T/reqs n=$REQS pids="$P4 $P5" ;;
    files) port=$A2 f=$T/reqs n=$REQS pids=$P2 ;;
    exec) port=$A1 f=$T/reqs_exec n=$REQS_EXEC pids=$P1 ;;
  esac
  local t0 t1
  # shellcheck disable=SC2086
  t0=$(ticks $pids)
  read -r tp okn < <(throughput "$port" "$f" "$n")
  lat=$(latency "$port" "$u")
  # shellcheck disable=SC2086
  t1=$(ticks $pids)
  local us
  us=$(python3 -c "import json;print('%.0f' % ((($t1 - $t0) * 1e6 / $(getconf CLK_TCK)) / ($n + json.loads('$lat')['requests'])))")
  echo "$1 $2 $tp $okn $n $(cut -d' ' -f1 /proc/loadavg) $us $lat" | tee -a "$T/results"
}
for r in $(seq "$ROUNDS"); do
  # alternate the order each round so no backend always runs first
  order="rest files rest-counted nginx rest-main exec"
  [ "$STUDENTS" = 1 ] && order="$order rest-students"
  [ $((r % 2)) = 0 ] && order=$(echo "$order" | tr ' ' '\n' | tac | tr '\n' ' ')
  for b in $order; do one "$b" "$r"; done
done
python3 - "$T/results" "$PAR" "$THREADS" "$SECONDS_" "$SERVE_THREADS" "$SYNC" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    b, r, tp, okn, n, load, us, lat = line.split(" ", 7)
    rows.setdefault(b, []).append((float(tp), okn, int(n), float(load), json.loads(lat), float(us)))
par, threads, secs, sth, sync = sys.argv[2:]
med = lambda xs: statistics.median(xs)
print(f"\nmedians of {len(rows['files'])} alternated rounds; radclient -p {par}; "
      f"latency: {threads} clients x {secs} s; govnet serve --threads {sth} --sync {sync}")
print("| backend | CPU µs/auth | auth/s | accepted (last round) | 8 clients: req/s | p50 ms | p99 ms | load avg |")
print("|---|---|---|---|---|---|---|---|")
names = {"rest": "govnet rest: vouchers, unlimited uses (read-only accept)",
         "rest-main": "govnet rest via the main listener (no --aaa-listen), same vouchers",
         "rest-counted": "govnet rest: vouchers, counted uses (a write + fsync per accept)",
         "rest-students": "govnet rest: students (Argon2id, credential cache warm)",
         "exec": "govnet exec (rlm_exec -> govnet-aaa), unlimited vouchers",
         "nginx": "rlm_rest -> nginx constant accept (bound of any rlm_rest backend)",
         "files": "FreeRADIUS files + pap (ceiling)"}
for b in ("rest", "rest-main", "rest-counted", "rest-students", "exec", "nginx", "files"):
    if b not in rows:
        continue
    v = rows[b]
    lat = [x[4] for x in v]
    print(f"| {names[b]} | {med([x[5] for x in v]):.0f} | {med([x[0] for x in v]):.0f} | {v[-1][1]} of {v[-1][2]} | "
          f"{med([l['per_s'] for l in lat]):.0f} | {med([l['p50_ms'] for l in lat]):.2f} | "
          f"{med([l['p99_ms'] for l in lat]):.2f} | {med([x[3] for x in v]):.1f} |")
for g, c in (("rest", "files"), ("rest-main", "files"), ("rest-counted", "files"), ("rest-students", "files"),
             ("exec", "files"), ("nginx", "files"), ("rest", "nginx")):
    if g in rows and c in rows:
        tp = 100 * med([x[0] for x in rows[g]]) / med([x[0] for x in rows[c]])
        lr = 100 * med([x[4]["per_s"] for x in rows[g]]) / med([x[4]["per_s"] for x in rows[c]])
        cpu = 100 * med([x[5] for x in rows[c]]) / med([x[5] for x in rows[g]])
        print(f"{g} / {c}: {cpu:.1f} % (CPU per auth: {c}'s / {g}'s), {tp:.1f} % (radclient auth/s),"
              f" {lr:.1f} % (8 clients req/s)")
PY
