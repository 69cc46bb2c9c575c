#!/usr/bin/env bash
# test_design.sh - 'govnet plan' in points mode with resilience, sizing,
# price book and phases, and 'govnet report', end to end: bad inputs give
# a one-line error, a non-zero exit and no output file; a small fixture
# and the real Lomé buildings are planned and checked independently
# (tests/cli/check_design.py: trench ends, every critical site survives
# any single trench cut); HTML and PDF reports are produced in French
# and English. The real-data part skips (77) when the data is absent.
set -euo pipefail
: "${GOVNET:?}" "${GN_SOURCE_DIR:?}"
export LSAN_OPTIONS="suppressions=$GN_SOURCE_DIR/tests/lsan.supp:print_suppressions=0"
data="${GN_DATA_DIR:-$GN_SOURCE_DIR/../shared/data}/togo"
check="$GN_SOURCE_DIR/tests/cli/check_design.py"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A small city: 12 sites around a POP (4 health, 3 admin: 7 critical).
cat > "$tmp/sites.csv" <<'CSV'
id,name,category,lon,lat
h1,Hopital A,health,1.210,6.130
h2,Clinique B,health,1.230,6.150
h3,CMS C,health,1.250,6.135
h4,CMS D,health,1.195,6.160
a1,Ministere E,admin,1.220,6.125
a2,Mairie F,admin,1.240,6.165
a3,Prefecture G,admin,1.260,6.150
e1,Ecole H,education,1.205,6.140
e2,Lycee I,education,1.215,6.170
e3,College J,education,1.245,6.120
e4,Ecole K,education,1.235,6.140
e5,Universite L,education,1.255,6.170
CSV
pop=1.2278,6.1260

# expect_fail CODE NEEDLE ARGS...: exit code, message, no output left.
expect_fail() {
  local code="$1" needle="$2"
  shift 2
  rm -f "$tmp/o.gpkg" "$tmp/o.json"
  set +e
  "$GOVNET" "$@" > "$tmp/out" 2> "$tmp/err"
  local rc=$?
  set -e
  [[ $rc -eq $code ]] || fail "$* -> exit $rc, want $code: $(cat "$tmp/err")"
  grep -q -- "$needle" "$tmp/err" || fail "$*: message '$(cat "$tmp/err")' lacks '$needle'"
  [[ $(wc -l < "$tmp/err") -le 2 ]] || fail "$*: long error output"
  [[ ! -e "$tmp/o.gpkg" && ! -e "$tmp/o.json" ]] || fail "$*: output left behind"
}
base=(plan --sites "$tmp/sites.csv" --pop "$pop" --out "$tmp/o.gpkg" --summary "$tmp/o.json")
expect_fail 2 "detour factor must be a number > 1" "${base[@]}" --detour 1
expect_fail 2 "detour" "${base[@]}" --detour 0.9
expect_fail 2 "expected none, critical or all" "${base[@]}" --resilience some
expect_fail 2 "unknown category 'hospital'" "${base[@]}" --critical health,hospital
expect_fail 2 "unknown category" "${base[@]}" --fibers-per-site hospital=4
expect_fail 2 "near: needs --towns" "${base[@]}" --phase "2=near:Kara"
expect_fail 2 "unknown selector" "${base[@]}" --phase "2=region:Kara"
printf 'base = defaults\ncable.24 = -5\n' > "$tmp/neg.ini"
expect_fail 1 "neg.ini line 2: 'cable.24' = -5" "${base[@]}" --price-book "$tmp/neg.ini"
printf 'base = defaults\nfibers.hospital = 2\n' > "$tmp/cat.ini"
expect_fail 1 "cat.ini line 2: unknown category 'hospital'" "${base[@]}" --price-book "$tmp/cat.ini"
printf 'base = defaults\ndetour = 1\n' > "$tmp/det.ini"
expect_fail 1 "det.ini line 2: 'detour' = 1: the detour factor must be > 1" "${base[@]}" --price-book "$tmp/det.ini"
printf 'cpe.each = 1\n' > "$tmp/part.ini"
expect_fail 1 "part.ini: missing price" "${base[@]}" --price-book "$tmp/part.ini"
printf 'base = defaults\nclosure.each =\n' > "$tmp/empty.ini"
expect_fail 1 "'closure.each' has no value" "${base[@]}" --price-book "$tmp/empty.ini"

# The small city, resilience critical: independent check of every cut.
"$GOVNET" "${base[@]}" --resilience critical --geojson "$tmp/o.geojson" > "$tmp/out"
python3 "$check" "$tmp/o.geojson" "$tmp/o.json" --all-critical > "$tmp/chk" || fail "check: $(cat "$tmp/chk")"
grep -q "7/7 critical" "$tmp/chk" || fail "small: $(cat "$tmp/chk")"
grep -q "comparison with the real phase 1" "$tmp/out" || fail "no comparison printed"
python3 - "$tmp/o.json" <<'PY' || fail "summary values"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["mode"] == "points" and s["resilience"] == "critical", s["mode"]
assert s["cost_fcfa"] > 0 and s["resilience_extra_m"] > 0
assert s["critical_surviving_share"] == 1
assert len(s["phases"]) == 1 and s["phases"][0]["buildings"] == 12
assert abs(sum(l["total_fcfa"] for l in s["bom_lines"]) - s["cost_fcfa"]) < 1
PY
# Without resilience: fewer trenches, cheaper, critical sites exposed.
"$GOVNET" "${base[@]}" --resilience none > /dev/null
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); assert s['resilience_extra_m'] == 0 and s['critical_surviving_single_cut'] < 7" "$tmp/o.json" || fail "resilience none"
# A price book read back from a full file changes the cost.
printf 'base = defaults\ntrench.straight_line = 44000\n' > "$tmp/pb.ini"
c1=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['cost_fcfa'])" "$tmp/o.json")
"$GOVNET" "${base[@]}" --resilience none --price-book "$tmp/pb.ini" > /dev/null
c2=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['cost_fcfa'])" "$tmp/o.json")
python3 -c "import sys; assert float(sys.argv[2]) > float(sys.argv[1])" "$c1" "$c2" || fail "price book ignored"

# Reports: HTML with an embedded map, PDF, French by default.
"$GOVNET" report "$tmp/o.gpkg" --out "$tmp/r.html" --pdf "$tmp/r.pdf" > /dev/null
grep -q 'data:image/png;base64,' "$tmp/r.html" || fail "no map in the HTML"
grep -q "Devis quantitatif" "$tmp/r.html" || fail "HTML not in French"
grep -q "Analyse de coupure unique" "$tmp/r.html" || fail "no single-cut section"
[[ "$(head -c 4 "$tmp/r.pdf")" == "%PDF" ]] || fail "not a PDF"
"$GOVNET" report "$tmp/o.gpkg" --out "$tmp/en.html" --lang en > /dev/null
grep -q "Bill of materials" "$tmp/en.html" || fail "HTML not in English"
set +e
"$GOVNET" report "$tmp/o.gpkg" --out "$tmp/x.html" --lang de 2> "$tmp/err"; rc=$?
"$GOVNET" report "$tmp/missing.gpkg" --out "$tmp/y.html" 2>> "$tmp/err"; rc2=$?
set -e
[[ $rc -eq 2 && $rc2 -eq 1 ]] || fail "report bad input exits $rc $rc2"
[[ ! -e "$tmp/x.html" && ! -e "$tmp/y.html" ]] || fail "report left a file"
grep -q "missing.gpkg" "$tmp/err" || fail "report: $(cat "$tmp/err")"

# Phases on the fixture: by property, then by box; dig once.
"$GOVNET" "${base[@]}" --phase "h=prop:category=health" --phase "rest=bbox:1,6,2,7" > "$tmp/out"
grep -q "phase h: 4 sites (prop:category=health)" "$tmp/out" || fail "prop phase: $(cat "$tmp/out")"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); p=[x['phase'] for x in s['phases']]; assert p == ['h','rest'], p; assert s['phases'][1]['buildings'] == 8" "$tmp/o.json" || fail "phases in summary"
expect_fail 1 "no field 'nosuch'" "${base[@]}" --phase "1=prop:nosuch=1"

if [[ ! -f "$data/lome_public_buildings.geojson" ]]; then
  echo "shared data $data absent: skipping the Lomé part" >&2
  exit 77
fi
# Lomé, points mode, resilience critical: every critical site survives.
"$GOVNET" plan --sites "$data/lome_public_buildings.geojson" --pop 1.2278,6.1260 \
  --resilience critical --out "$tmp/lome.gpkg" --geojson "$tmp/lome.geojson" \
  --summary "$tmp/lome.json" > "$tmp/lome.out"
python3 "$check" "$tmp/lome.geojson" "$tmp/lome.json" --all-critical > "$tmp/chk" || fail "Lomé check: $(cat "$tmp/chk")"
grep -q "171/171 critical" "$tmp/chk" || fail "Lomé: $(cat "$tmp/chk")"
"$GOVNET" report "$tmp/lome.gpkg" --out "$tmp/lome.html" --pdf "$tmp/lome.pdf" > /dev/null
[[ -s "$tmp/lome.pdf" ]] || fail "Lomé PDF"
# National phase 2 (dig once) from the whole country's buildings.
"$GOVNET" plan --sites "$data/togo_public_buildings.geojson" --pop 1.2278,6.1260 \
  --phase "1=prop:in_lome_bbox=true" --phase "2=near:Atakpamé,Sokodé,Kara,Dapaong@5" \
  --towns "$data/togo_towns_geonames.json" --out "$tmp/togo.gpkg" \
  --summary "$tmp/togo.json" > "$tmp/togo.out"
python3 - "$tmp/togo.json" <<'PY' || fail "phase 2: $(cat "$tmp/togo.out")"
import json, sys
s = json.load(open(sys.argv[1]))
ph = {p["phase"]: p for p in s["phases"]}
assert set(ph) == {"1", "2"}, ph.keys()
assert ph["1"]["buildings"] == 453 and ph["2"]["buildings"] > 100
# the backbone Lomé - Atakpamé - Sokodé - Kara - Dapaong is > 450 km straight
assert ph["2"]["trench_m"] > 600e3, ph["2"]["trench_m"]
PY
echo "ok"
