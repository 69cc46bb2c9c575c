#!/usr/bin/env bash
# bench/hotspot/run.sh - Access-Requests per second through FreeRADIUS 3.2
# with govnet's backend (the generated configuration: rlm_exec ->
# govnet-aaa -> the store) against the same FreeRADIUS with its own `files`
# backend (users file + pap), the ceiling. Same machine, same thread pool,
# same users (vouchers with unlimited uses, so every request is an accept
# that writes the voucher's use count).
#
# Usage: bench/hotspot/run.sh [BUILD_DIR]   (default: build)
# Env: N (users, default 200), REQS (radclient requests, default 3000),
#      PAR (radclient -p, default 32), SECONDS (latency run, default 8),
#      THREADS (latency clients, default 8).
# Throughput: radclient -p PAR -f over REQS requests (wall time).
# Latency: bench/hotspot/latency.py, THREADS concurrent clients, p50/p99.
# Loopback only; both servers are stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
N=${N:-200} REQS=${REQS:-3000} PAR=${PAR:-32} SECONDS_=${SECONDS:-8} THREADS=${THREADS:-8}
G="$BUILD/govnet"
command -v freeradius >/dev/null && command -v radclient >/dev/null \
  || { echo "install freeradius freeradius-utils (scripts/setup.sh)"; exit 1; }
T=$(mktemp -d)
P1= P2=
trap 'kill $P1 $P2 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
S=benchsecret1
read -r A1 C1 A2 C2 < <(python3 tests/cli/radius_nas.py ports 4)

"$G" hotspot group set "$T/hs.db" --name bench --simultaneous 0
"$G" hotspot vouchers "$T/hs.db" --count "$N" --minutes 600 --uses 0 --group bench --json \
  | python3 -c 'import json,sys;[print(v["code"],v["code"]) for v in json.load(sys.stdin)]' >"$T/users"
"$G" hotspot radius-config "$T/hs.db" --out "$T/gov" --auth-port "$A1" --acct-port "$C1" --secret "$S" 2>/dev/null

# the ceiling: the same listeners and pool, FreeRADIUS's files + pap
mkdir -p "$T/files/run" "$T/files/log"
sed -e "s|$T/gov|$T/files|g" -e "s|port = $A1|port = $A2|" -e "s|port = $C1|port = $C2|" \
  -e '/^modules {/,$d' "$T/gov/radiusd.conf" >"$T/files/radiusd.conf"
awk '{printf "%s Cleartext-Password := \"%s\"\n    Session-Timeout = 36000,\n    Acct-Interim-Interval = 300\n\n", $1, $2}' \
  "$T/users" >"$T/files/users"
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
freeradius -f -d "$T/gov" >"$T/gov.out" 2>&1 & P1=$!
freeradius -f -d "$T/files" >"$T/files.out" 2>&1 & P2=$!
for port in $A1 $A2; do
  for _ in $(seq 50); do
    echo 'Message-Authenticator = 0x00' | radclient -r 1 -t 1 "127.0.0.1:$port" status "$S" >/dev/null 2>&1 && break
    sleep 0.2
  done
done

# radclient request file: REQS requests cycling through the users
awk -v n="$REQS" '{u[NR]=$1} END {for (i = 0; i < n; i++) {c = u[i % NR + 1];
  printf "User-Name = \"%s\"\nUser-Password = \"%s\"\nNAS-IP-Address = 127.0.0.1\n\n", c, c}}' \
  "$T/users" >"$T/reqs"
throughput() { # port -> requests/s
  local t0 t1
  t0=$(date +%s.%N)
  radclient -q -s -p "$PAR" -r 3 -t 10 -f "$T/reqs" "127.0.0.1:$1" auth "$S" >"$T/rc.$1" 2>&1 || true
  t1=$(date +%s.%N)
  local okn
  okn=$(sed -n 's/.*Accepted *: *\([0-9]*\).*/\1/p' "$T/rc.$1" | head -1)
  python3 -c "import sys;print('%.0f %s' % ($REQS / ($t1 - $t0), '${okn:-?}'))"
}
read -r gov_tp gov_ok < <(throughput "$A1")
read -r files_tp files_ok < <(throughput "$A2")
gov_lat=$(python3 bench/hotspot/latency.py 127.0.0.1 "$A1" "$S" "$T/users" "$THREADS" "$SECONDS_")
files_lat=$(python3 bench/hotspot/latency.py 127.0.0.1 "$A2" "$S" "$T/users" "$THREADS" "$SECONDS_")
echo "radclient -p $PAR, $REQS Access-Requests, $N vouchers:"
echo "  govnet (rlm_exec + govnet-aaa): $gov_tp auth/s ($gov_ok accepted)"
echo "  FreeRADIUS files + pap:         $files_tp auth/s ($files_ok accepted)"
python3 -c "print('  ratio: %.1f %%' % (100.0 * $gov_tp / $files_tp))"
echo "latency, $THREADS concurrent clients for ${SECONDS_} s:"
echo "  govnet: $gov_lat"
echo "  files:  $files_lat"
