# serve_lib.sh - sourced by tests/api, tests/web and bench/http: start
# `govnet serve` on a free loopback port and wait for its banner.
# gn_serve GOVNET OUT ERR ARGS... -> sets gn_pid and gn_port (exit 1 on failure)
gn_serve() {
  local bin=$1 out=$2 err=$3
  shift 3
  "$bin" serve --listen 127.0.0.1:0 "$@" >"$out" 2>"$err" &
  gn_pid=$!
  gn_port=""
  for _ in $(seq 150); do
    gn_port=$(sed -n 's|^govnet: serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$out")
    [ -n "$gn_port" ] && return 0
    kill -0 "$gn_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "FAIL: govnet serve did not start:"
  cat "$err"
  exit 1
}

# gn_stop: SIGTERM the server started by gn_serve and wait for it.
gn_stop() {
  if [ -n "${gn_pid:-}" ] && kill -0 "$gn_pid" 2>/dev/null; then
    kill -TERM "$gn_pid"
    wait "$gn_pid"
  fi
  gn_pid=""
}

# gn_check DESCRIPTION COMMAND...: run the check, print "ok - ..." or
# "FAIL - ..." and count; gn_checks_done prints "N passed, N failed" and
# fails if any check failed.
gn_pass=0
gn_failn=0
gn_check() {
  local d=$1
  shift
  if "$@"; then gn_pass=$((gn_pass + 1)); echo "ok - $d"; else gn_failn=$((gn_failn + 1)); echo "FAIL - $d"; fi
}
gn_checks_done() {
  echo "$gn_pass passed, $gn_failn failed"
  [ "$gn_failn" = 0 ]
}
