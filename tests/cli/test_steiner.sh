#!/usr/bin/env bash
# test_steiner.sh - 'govnet steiner' end to end: PACE output on stdout
# only, VALUE = sum of edge weights and a valid tree (checked by the
# independent bench/steiner/check_solution.py), optimum on small SteinLib
# instances, clear errors with non-zero exit on bad input. Skips (77) when
# the shared data is absent.
set -euo pipefail
: "${GOVNET:?}" "${GN_SOURCE_DIR:?}"
data="${GN_DATA_DIR:-$GN_SOURCE_DIR/../shared/data}/steiner"
check="$GN_SOURCE_DIR/bench/steiner/check_solution.py"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Bad input: no stdout, message on stderr naming file and line, exit != 0.
printf 'SECTION Graph\nNodes 2\nE 1 3 5\nEND\n' > "$tmp/bad.stp"
if "$GOVNET" steiner "$tmp/bad.stp" > "$tmp/out" 2> "$tmp/err"; then
  fail "bad.stp accepted"
fi
[[ ! -s "$tmp/out" ]] || fail "stdout not empty on error"
grep -q "bad.stp line 3: node 3 out of range" "$tmp/err" || fail "message: $(cat "$tmp/err")"
printf 'SECTION Graph\nNodes 4\nE 1 2 1\nE 3 4 1\nEND\nSECTION Terminals\nT 1\nT 4\nEND\nEOF\n' > "$tmp/split.stp"
if "$GOVNET" steiner "$tmp/split.stp" > "$tmp/out" 2> "$tmp/err"; then
  fail "disconnected terminals accepted"
fi
grep -q "different components" "$tmp/err" || fail "message: $(cat "$tmp/err")"
if "$GOVNET" steiner "$tmp/split.stp" --quality best 2> "$tmp/err"; then
  fail "bad --quality accepted"
fi
for t in 0 9 two; do
  if "$GOVNET" steiner "$tmp/split.stp" --threads "$t" 2> "$tmp/err"; then
    fail "--threads $t accepted"
  fi
  grep -q "threads needs 1..8" "$tmp/err" || fail "--threads $t: $(cat "$tmp/err")"
done

# A hand-made instance with non-integer weights.
printf 'SECTION Graph\nNodes 4\nEdges 6\nE 1 2 2.5\nE 2 3 2.5\nE 1 3 2.5\nE 4 1 1.25\nE 4 2 1.5\nE 4 3 1.5\nEND\nSECTION Terminals\nTerminals 3\nT 1\nT 2\nT 3\nEND\nEOF\n' > "$tmp/star.stp"
"$GOVNET" steiner "$tmp/star.stp" > "$tmp/sol"
python3 "$check" "$tmp/star.stp" "$tmp/sol" > /dev/null || fail "star: $(python3 "$check" "$tmp/star.stp" "$tmp/sol")"

if [[ ! -d "$data/steinlib" ]]; then
  echo "shared data $data absent: skipping the SteinLib part" >&2
  exit 77
fi
for f in B/b01 B/b05 B/b11 C/c01 C/c06 D/d01; do
  stp="$data/steinlib/$f.stp"
  opt="$(grep "steinlib/$f.stp," "$data/steinlib.csv" | cut -d, -f2)"
  "$GOVNET" steiner "$stp" --time-limit 3 --seed 3 > "$tmp/sol" 2> "$tmp/err" ||
    fail "$f: $(cat "$tmp/err")"
  [[ ! -s "$tmp/err" ]] || fail "$f: unexpected stderr"
  python3 "$check" "$stp" "$tmp/sol" > "$tmp/chk" || fail "$f: $(cat "$tmp/chk")"
  value="$(head -n 1 "$tmp/sol" | cut -d' ' -f2)"
  python3 -c "import sys; v,o=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if v <= o*1.01 else 1)" \
    "$value" "$opt" || fail "$f: VALUE $value more than 1 % above optimum $opt"
  # Same seed, same tree (the fast setting finishes far within its limit).
  "$GOVNET" steiner "$stp" --quality fast --seed 7 > "$tmp/fast1"
  python3 "$check" "$stp" "$tmp/fast1" > "$tmp/chk" || fail "$f fast: $(cat "$tmp/chk")"
  "$GOVNET" steiner "$stp" --quality fast --seed 7 | cmp -s - "$tmp/fast1" ||
    fail "$f: not deterministic for a fixed seed"
  # Two threads: still a checked tree, and the same one every time.
  "$GOVNET" steiner "$stp" --quality fast --seed 7 --threads 2 > "$tmp/t2"
  python3 "$check" "$stp" "$tmp/t2" > "$tmp/chk" || fail "$f threads: $(cat "$tmp/chk")"
  "$GOVNET" steiner "$stp" --quality fast --seed 7 --threads 2 | cmp -s - "$tmp/t2" ||
    fail "$f: --threads 2 not deterministic for a fixed seed"
done
echo "ok"
