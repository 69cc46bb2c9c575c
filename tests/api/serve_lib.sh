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
