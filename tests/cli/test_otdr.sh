#!/usr/bin/env bash
# test_otdr.sh - govnet otdr read on every real SOR file (checked against
# its independently decoded -dump.json by check_otdr.py, so a new
# instrument's file dropped in the directory is covered), and on bad
# input: missing, empty, not a SOR, truncated heads; each gets exit 1 and
# a message naming the file, never a crash or a hang.
set -u
G="${GOVNET:?}"
D="${GN_DATA_DIR:-../shared/data}/otdr"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

clean_error() { # file: exit 1 within 10 s, stderr names the file
  timeout 10 "$G" otdr read "$1" --json >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne 1 ]; then bad "$1: rc $rc (want 1) $(head -c 200 "$T/err")"; return; fi
  grep -q -- "$1" "$T/err" || bad "$1: message does not name the file: $(cat "$T/err")"
}

"$G" otdr read 2>/dev/null; [ $? -eq 2 ] && ok "usage" || bad "usage rc"
clean_error "$T/missing.sor"
: >"$T/empty.sor"; clean_error "$T/empty.sor"
printf 'this is not an OTDR trace\n' >"$T/text.sor"; clean_error "$T/text.sor"
printf 'Map\0\310\0\377\377\377\177\2\0' >"$T/bigmap.sor"; clean_error "$T/bigmap.sor"
ok "bad files refused"

if [ ! -d "$D" ]; then echo "no $D: skipping the real files"; exit $fail; fi
python3 "${GN_SOURCE_DIR:-.}/tests/cli/check_otdr.py" "$G" "$D" || bad "real files differ from their dumps"

# Heads of each real file: either decoded (only trailing vendor blocks
# lost) or refused cleanly.
for f in "$D"/*.sor; do
  size=$(stat -c %s "$f")
  for cut in 11 200 $((size / 2)) $((size - 3)); do
    [ "$cut" -lt "$size" ] || continue
    head -c "$cut" "$f" >"$T/head.sor"
    timeout 10 "$G" otdr read "$T/head.sor" --json >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -eq 1 ]; then grep -q "head.sor" "$T/err" || bad "$f@$cut: unnamed error"
    elif [ "$rc" -eq 0 ]; then python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" || bad "$f@$cut: bad JSON"
    else bad "$(basename "$f") cut at $cut: rc $rc $(head -c 200 "$T/err")"; fi
  done
done
ok "truncated heads"
exit $fail
