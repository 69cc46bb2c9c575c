# build_lib.sh - sourced by the build/otdr CLI tests: a private temp dir
# $T (removed on exit), ok/bad counters, expect_rc RC CMD... (stdout in
# $T/out, stderr in $T/err), has TEXT FILE.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
expect_rc() { local want=$1; shift
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  [ "$rc" -eq "$want" ] || { bad "$* -> rc $rc (want $want): $(cat "$T/err") $(head -c 300 "$T/out")"; return 1; }
}
has() { grep -q -- "$1" "$2" || { bad "'$1' not in $2: $(head -c 400 "$2")"; return 1; }; }
