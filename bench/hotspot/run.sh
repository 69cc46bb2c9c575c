#!/usr/bin/env bash
# bench/hotspot/run.sh - Access-Requests per second through FreeRADIUS 3.2
# with govnet's two backends against the same FreeRADIUS with its own
# `files` backend (users file + pap), the ceiling:
#   rest:  rlm_rest -> `govnet serve` (resident, keep-alive pool)
#   exec:  rlm_exec -> govnet-aaa per request (the fallback)
#   files: FreeRADIUS alone
# Same machine, same listeners and thread pool, same users (vouchers with
# unlimited uses, so every govnet request is an accept that writes the
# voucher's use count in one transaction). The three run in the same
# command, alternated, ROUNDS times; medians are reported with the load
# average (the machine may be shared).
#
# Usage: bench/hotspot/run.sh [BUILD_DIR]   (default: build)
# Env: N (users, 200), REQS (radclient requests for rest/files, 3000),
#      REQS_EXEC (for exec, 300: it is ~100x slower), PAR (radclient -p,
#      32), SECONDS (latency run per backend, 5), THREADS (latency
#      clients, 8), ROUNDS (3), SERVE_THREADS (govnet serve --threads, 2),
#      SYNC (govnet serve --sync full|normal, full), STUDENTS (1: also
#      time student logins (Argon2id) through rest, with the credential
#      cache warm).
# Throughput: radclient -p PAR -f over the requests (wall time).
# Latency: bench/hotspot/latency.py, THREADS concurrent clients, p50/p99.
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
P1= P2= P3= gn_pid=
. tests/api/serve_lib.sh
trap 'kill $P1 $P2 $P3 2>/dev/null; gn_stop; wait 2>/dev/null; rm -rf "$T"' EXIT
S=benchsecret1
read -r A1 C1 A2 C2 A3 C3 < <(python3 tests/cli/radius_nas.py ports 6)

"$G" hotspot group set "$T/hs.db" --name bench --simultaneous 0
"$G" hotspot vouchers "$T/hs.db" --count "$N" --minutes 600 --uses 0 --group bench --json \
  | python3 -c 'import json,sys;[print(v["code"],v["code"]) for v in json.load(sys.stdin)]' >"$T/users"
for i in $(seq 8); do # students: Argon2id passwords
  echo "student-pass-$i" | "$G" hotspot user add "$T/hs.db" --name "etu$i" --group bench >/dev/null
  echo "etu$i student-pass-$i" >>"$T/students"
done
head -c 24 /dev/urandom | base64 | tr -d '=+/' >"$T/aaa.token"
gn_serve "$G" "$T/serve.out" "$T/serve.err" --db "$T/hs.db" --aaa-token-file "$T/aaa.token" \
  --threads "$SERVE_THREADS" --sync "$SYNC" --quiet
"$G" hotspot radius-config "$T/hs.db" --out "$T/exec" --auth-port "$A1" --acct-port "$C1" \
  --secret "$S" 2>/dev/null
"$G" hotspot radius-config "$T/hs.db" --out "$T/rest" --auth-port "$A3" --acct-port "$C3" \
  --secret "$S" --backend rest --rest-url "http://127.0.0.1:$gn_port" \
  --rest-token-file "$T/aaa.token" 2>/dev/null

# the ceiling: the same listeners and pool, FreeRADIUS's files + pap
mkdir -p "$T/files/run" "$T/files/log"
sed -e "s|$T/exec|$T/files|g" -e "s|port = $A1|port = $A2|" -e "s|port = $C1|port = $C2|" \
  -e '/^modules {/,$d' "$T/exec/radiusd.conf" >"$T/files/radiusd.conf"
cat "$T/users" "$T/students" | awk '{printf "%s Cleartext-Password := \"%s\"\n    Session-Timeout = 36000,\n    Acct-Interim-Interval = 300\n\n", $1, $2}' \
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
for port in $A1 $A2 $A3; do
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
for r in $(seq "$ROUNDS"); do
  # alternate the order each round so no backend always runs first
  order="rest files exec"
  [ $((r % 2)) = 0 ] && order="exec files rest"
  for b in $order; do
    case $b in
      rest) port=$A3 f=$T/reqs n=$REQS ;;
      files) port=$A2 f=$T/reqs n=$REQS ;;
      exec) port=$A1 f=$T/reqs_exec n=$REQS_EXEC ;;
    esac
    read -r tp okn < <(throughput "$port" "$f" "$n")
    lat=$(latency "$port" "$T/users")
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "$b $r $tp $okn $n $load $lat" | tee -a "$T/results"
  done
  if [ "$STUDENTS" = 1 ]; then
    read -r tp okn < <(throughput "$A3" "$T/reqs_students" "$REQS")
    lat=$(latency "$A3" "$T/students")
    echo "rest-students $r $tp $okn $REQS $(cut -d' ' -f1 /proc/loadavg) $lat" | tee -a "$T/results"
    read -r tp okn < <(throughput "$A2" "$T/reqs_students" "$REQS")
    lat=$(latency "$A2" "$T/students")
    echo "files-students $r $tp $okn $REQS $(cut -d' ' -f1 /proc/loadavg) $lat" | tee -a "$T/results"
  fi
done
python3 - "$T/results" "$PAR" "$THREADS" "$SECONDS_" "$SERVE_THREADS" "$SYNC" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    b, r, tp, okn, n, load, lat = line.split(" ", 6)
    rows.setdefault(b, []).append((float(tp), okn, int(n), float(load), json.loads(lat)))
par, threads, secs, sth, sync = sys.argv[2:]
med = lambda xs: statistics.median(xs)
print(f"\nmedians of {len(rows['files'])} alternated rounds; radclient -p {par}; "
      f"latency: {threads} clients x {secs} s; govnet serve --threads {sth} --sync {sync}")
print("| backend | auth/s | accepted (last round) | 8 clients: req/s | p50 ms | p99 ms | load avg |")
print("|---|---|---|---|---|---|---|")
names = {"rest": "govnet rest (rlm_rest -> govnet serve)", "exec": "govnet exec (rlm_exec -> govnet-aaa)",
         "files": "FreeRADIUS files + pap (ceiling)", "rest-students": "govnet rest, students (Argon2id, cache warm)",
         "files-students": "files + pap, the same students"}
for b in ("rest", "exec", "files", "rest-students", "files-students"):
    if b not in rows:
        continue
    v = rows[b]
    lat = [x[4] for x in v]
    print(f"| {names[b]} | {med([x[0] for x in v]):.0f} | {v[-1][1]} of {v[-1][2]} | "
          f"{med([l['per_s'] for l in lat]):.0f} | {med([l['p50_ms'] for l in lat]):.2f} | "
          f"{med([l['p99_ms'] for l in lat]):.2f} | {med([x[3] for x in v]):.1f} |")
for g, c in (("rest", "files"), ("exec", "files"), ("rest-students", "files-students")):
    if g in rows and c in rows:
        print(f"{g} / {c}: {100 * med([x[0] for x in rows[g]]) / med([x[0] for x in rows[c]]):.1f} % of the ceiling"
              f" (auth/s, medians)")
PY
