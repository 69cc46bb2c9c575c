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
  # --bound: the same kind of PACE output, one stderr line, a bound that
  # is at most the optimum and a gap computed from it; deterministic.
  "$GOVNET" steiner "$stp" --quality fast --seed 7 --bound > "$tmp/b1" 2> "$tmp/berr"
  python3 "$check" "$stp" "$tmp/b1" > "$tmp/chk" || fail "$f bound: $(cat "$tmp/chk")"
  [[ "$(wc -l < "$tmp/berr")" == 1 ]] || fail "$f: --bound stderr: $(cat "$tmp/berr")"
  grep -Eq '^lower bound [0-9.e+]+, certified gap [0-9.]+ %$' "$tmp/berr" ||
    fail "$f: --bound line: $(cat "$tmp/berr")"
  python3 - "$tmp/berr" "$tmp/b1" "$opt" <<'PY' || fail "$f: bound check: $(cat "$tmp/berr")"
import re, sys
m = re.match(r'lower bound (\S+), certified gap (\S+) %', open(sys.argv[1]).read())
lb, gap = float(m.group(1)), float(m.group(2))
value = float(open(sys.argv[2]).readline().split()[1])
opt = float(sys.argv[3])
assert 0 < lb <= opt * (1 + 1e-9), (lb, opt)
assert abs(gap - 100 * (value - lb) / lb) < 1e-3, (gap, value, lb)
PY
  "$GOVNET" steiner "$stp" --quality fast --seed 7 --bound 2> /dev/null |
    cmp -s - "$tmp/b1" || fail "$f: --bound not deterministic for a fixed seed"
done

# govnet plan --dump-stp writes the instance it solves; solving it again
# gives the plan's own steiner_cost, and the summary states the bound.
osm="$data/../osm/monaco_2016.osm.pbf"
if [[ -f "$osm" ]]; then
  python3 "$GN_SOURCE_DIR/scripts/gen_sites.py" "$osm" 40 1 "$tmp/sites.geojson" > /dev/null
  "$GOVNET" plan --roads "$osm" --sites "$tmp/sites.geojson" --out "$tmp/p.gpkg" \
    --summary "$tmp/s.json" --dump-stp "$tmp/plan.stp" > "$tmp/plan.out" ||
    fail "plan --dump-stp"
  grep -q "within .* % of the cheapest possible trench network" "$tmp/plan.out" ||
    fail "plan output states no bound"
  "$GOVNET" steiner "$tmp/plan.stp" --bound > "$tmp/ps" 2> /dev/null
  python3 "$check" "$tmp/plan.stp" "$tmp/ps" > "$tmp/chk" || fail "dump: $(cat "$tmp/chk")"
  python3 - "$tmp/s.json" "$tmp/ps" <<'PY' || fail "summary bound: $(grep -E 'steiner|certified' "$tmp/s.json")"
import json, sys
s = json.load(open(sys.argv[1]))
lb, gap = s["steiner_lower_bound"], s["certified_gap_pct"]
cost = float(s["meta"]["steiner_cost"])
value = float(open(sys.argv[2]).readline().split()[1])
assert 0 < lb <= cost and gap >= 100 * (cost - lb) / lb - 1e-3, (lb, gap, cost)
assert abs(value - cost) <= 1e-6 * cost, (value, cost)  # same instance
PY
fi
echo "ok"
