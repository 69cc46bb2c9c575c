#!/usr/bin/env bash
# test_build.sh - govnet build end to end: packages cover every trench
# exactly once (the Lomé demo store from the real buildings, and a
# synthetic store with phases), save/list/assign, field reports through
# the step order with supervisor override, replay by client id, blocked
# segments, organisation scope, the frozen cut, and bad input.
set -u
G="${GOVNET:?}"
DATA="${GN_DATA_DIR:-../shared/data}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing: skipping"; exit 77; }
. "${GN_SOURCE_DIR:-.}/tests/cli/build_lib.sh"

# cover DB JSON [PHASE]: every trench (of PHASE) in exactly one package,
# km per package = sum of its trenches' lengths
cover() {
  sqlite3 "$1" "SELECT fid, length_m, COALESCE(phase,'') FROM trenches" >"$T/trenches"
  python3 - "$T/trenches" "$2" "${3-}" <<'PY'
import json, sys
rows = [l.split("|") for l in open(sys.argv[1]).read().split("\n") if l]
phase = sys.argv[3]
want = {int(r[0]): float(r[1]) for r in rows if not phase or r[2] == phase}
pk = json.load(open(sys.argv[2]))
seen = [t for p in pk for t in p["trenches"]]
assert sorted(seen) == sorted(want), "cover: %d trenches in packages, %d wanted, %d distinct" % (len(seen), len(want), len(set(seen)))
for p in pk:
    assert list(p.keys())[:4] == ["id", "trenches", "km", "cost_fcfa"], p.keys()
    km = sum(want[t] for t in p["trenches"]) / 1000
    assert abs(km - p["km"]) < 0.002, (p["id"], km, p["km"])
assert len({p["id"] for p in pk}) == len(pk)
print("%d packages over %d trenches" % (len(pk), len(seen)))
PY
}

# 1. The Lomé demo store (as scripts/demo.sh makes it)
LOME="$DATA/togo/lome_public_buildings.geojson"
if [ -f "$LOME" ]; then
  "$G" plan --sites "$LOME" --pop 1.2278,6.1260 --resilience critical \
    --out "$T/lome_plan.gpkg" >/dev/null 2>"$T/err" || bad "lome plan: $(cat "$T/err")"
  "$G" db init "$T/lome.db" >/dev/null && "$G" db import-plan "$T/lome.db" "$T/lome_plan.gpkg" >/dev/null 2>&1 \
    || bad "lome import"
  for k in 10 0.4; do
    expect_rc 0 "$G" build packages "$T/lome.db" --target-km $k --json \
      && cp "$T/out" "$T/pk.json" && cover "$T/lome.db" "$T/pk.json" >"$T/c" 2>&1 \
      && ok "lome --target-km $k: $(cat "$T/c")" || bad "lome cover $k: $(cat "$T/c")"
  done
  expect_rc 0 "$G" build packages "$T/lome.db" --target-fcfa 500000000 --json \
    && cover "$T/lome.db" "$T/out" >"$T/c" 2>&1 && ok "lome by cost: $(cat "$T/c")" || bad "lome by cost: $(cat "$T/c")"
else
  echo "no $LOME: skipping the Lomé store"
fi

# 2. A synthetic store with two phases
DB="$T/net.db"
"$G" db init "$DB" >/dev/null && "$G" db import-plan "$DB" --synthetic 120 --seed 3 --ring 20 >/dev/null 2>&1 || bad "synthetic import"
sqlite3 "$DB" "UPDATE trenches SET phase = CASE WHEN fid % 3 = 0 THEN '2' ELSE '1' END"
expect_rc 0 "$G" build packages "$DB" --target-km 2 --json && cover "$DB" "$T/out" >"$T/c" 2>&1 \
  && ok "all phases: $(cat "$T/c")" || bad "all phases: $(cat "$T/c")"
python3 -c 'import json,sys; pk=json.load(open(sys.argv[1])); assert all(p["id"].startswith(("WP-1-","WP-2-")) for p in pk), [p["id"] for p in pk]' "$T/out" \
  && ok "ids name the phase" || bad "package ids"
expect_rc 0 "$G" build packages "$DB" --target-km 2 --phase 2 --json --save && cover "$DB" "$T/out" 2 >"$T/c" 2>&1 \
  && ok "phase 2 saved: $(cat "$T/c")" || bad "phase 2: $(cat "$T/c")"
expect_rc 1 "$G" build packages "$DB" --target-km 2 --phase 9 && has "no trench of phase '9'" "$T/err" && ok "unknown phase"
expect_rc 2 "$G" build packages "$DB" --target-km x && ok "bad target"
expect_rc 0 "$G" build list "$DB" --phase 2 && has '"org": ""' "$T/out" && ok list
WP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T/out")
TR=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["trenches"][0])' "$T/out")
TR2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["trenches"][-1])' "$T/out")
expect_rc 0 "$G" build assign "$DB" "$WP" --org SOTRACOM --crew "Equipe 3" --user chef && ok assign
expect_rc 1 "$G" build assign "$DB" WP-NONE --org X && has "not found" "$T/err" && ok "assign unknown"

R() { "$G" build report "$DB" --trench "$1" --step "$2" --client-id "$3" --who "Kofi" "${@:4}"; }
expect_rc 0 R "$TR" surveyed phone1-0001 --metres 120 --gps 1.2301,6.1402 --gps 1.2305,6.1404 \
  --photo IMG_0001.jpg --note "piquetage fait" --org SOTRACOM --at 2026-03-02T08:15:00Z \
  && has '"state": "surveyed"' "$T/out" && ok "surveyed"
expect_rc 1 R "$TR" ducted phone1-0002 --org SOTRACOM && has "'dug' must come before 'ducted'" "$T/err" && ok "skip refused"
expect_rc 1 R "$TR" ducted phone1-0003 --supervisor && has "override needs a reason" "$T/err" && ok "override needs reason"
expect_rc 0 R "$TR" dug phone1-0004 --metres 60 --org SOTRACOM && has '"state": "dug"' "$T/out" && ok dug
expect_rc 0 R "$TR" dug phone1-0005 --metres 60 --org SOTRACOM && ok "dug, second day"
n1=$(sqlite3 "$DB" "SELECT count(*) FROM build_reports")
expect_rc 0 R "$TR" dug phone1-0005 --metres 60 --org SOTRACOM && has '"duplicate": true' "$T/out" && ok "replay"
n2=$(sqlite3 "$DB" "SELECT count(*) FROM build_reports")
[ "$n1" = "$n2" ] && ok "replay wrote nothing ($n2 reports)" || bad "replay wrote: $n1 -> $n2"
expect_rc 1 R "$TR" ducted phone1-0005 --org SOTRACOM && has "already used" "$T/err" && ok "client id reuse refused"
expect_rc 0 R "$TR" spliced sup-000001 --supervisor --override "tube posé par l'ancien marché" \
  && has '"state": "spliced"' "$T/out" && ok "supervisor override"
expect_rc 0 R "$TR2" blocked phone2-0001 --reason flooding --org SOTRACOM --note "eau 40 cm" \
  && has '"blocked": true' "$T/out" && ok blocked
expect_rc 1 R "$TR2" blocked phone2-0002 --reason rain && has "block_reason" "$T/err" && ok "bad reason"
expect_rc 1 R "$TR" dug phone9-0001 --org OTHERCO && has "not in a package of organisation 'OTHERCO'" "$T/err" && ok "other org refused"
expect_rc 1 R 99999999 dug phone1-0099 && has "trench 99999999 not found" "$T/err" && ok "unknown trench"
expect_rc 1 R "$TR" dug short && has "client_id" "$T/err" && ok "bad client id"
expect_rc 1 R "$TR" dug phone1-0100 --gps 200,6 && has "gps\[0\]" "$T/err" && ok "bad gps"
expect_rc 1 R "$TR" dug phone1-0101 --at yesterday && has "at: 'yesterday'" "$T/err" && ok "bad time"
expect_rc 0 "$G" build status "$DB" --package "$WP" && python3 - "$T/out" "$TR" "$TR2" <<'PY' && ok "status" || bad "status: $(head -c 400 "$T/out")"
import json, sys
st = {s["trench"]: s for s in json.load(open(sys.argv[1]))}
a, b = st[int(sys.argv[2])], st[int(sys.argv[3])]
assert a["state"] == "spliced" and a["metres"]["dug"] == 120 and a["metres"]["surveyed"] == 120, a
assert b["blocked"] == "flooding" and b["blocked_since"], b
PY
expect_rc 0 "$G" build status "$DB" --org OTHERCO && [ "$(cat "$T/out")" = "[]" ] && ok "status scoped to an org"
expect_rc 1 "$G" build packages "$DB" --target-km 1 --phase 2 --save && has "frozen" "$T/err" && ok "cut frozen"
expect_rc 0 "$G" build schedule "$DB" "$WP" --start 2026-03-02 --end 2026-04-26 && ok schedule
expect_rc 1 "$G" build schedule "$DB" "$WP" --start 2026-05-02 --end 2026-04-26 && has "start <= end" "$T/err" && ok "bad schedule"
expect_rc 0 "$G" build supervision "$DB" --phase 2 --as-of 2026-04-30 && python3 - "$T/out" "$TR2" <<'PY' && ok "supervision: S-curve, productivity, blocked" || bad "supervision: $(head -c 800 "$T/out")"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["s_curve"]
assert c[0]["week"] == "2026-03-02" and c[-1]["week"] == "2026-04-27", (c[0], c[-1])
assert [x["planned_pct"] for x in c] == sorted(x["planned_pct"] for x in c) and c[-1]["planned_pct"] > 0, c
assert c[0]["actual_pct"] > 0, c[0]        # surveyed on 2026-03-02 counts that week
p = {x["org"]: x for x in d["productivity"]}["SOTRACOM"]
assert p["metres"] == 240 and p["crew"] == "Equipe 3" and p["crew_days"] >= 1, p
b = d["blocked"][0]
assert b["trench"] == int(sys.argv[2]) and b["reason"] == "flooding", b
assert {x["org"] for x in d["by_org"]} >= {"SOTRACOM"} and 0 < d["earned_pct"] < 100, d
PY
expect_rc 1 "$G" build supervision "$DB" --as-of tomorrow && has "as_of" "$T/err" && ok "bad as-of"
expect_rc 0 "$G" build daily "$DB" --out "$T/daily.html" --pdf "$T/daily.pdf" --as-of 2026-04-30 \
  && has "Rapport journalier de chantier" "$T/daily.html" && has "<td>inondation</td>" "$T/daily.html" \
  && has "<polyline" "$T/daily.html" && [ "$(head -c 4 "$T/daily.pdf")" = "%PDF" ] && ok "daily report FR (HTML + PDF)"
expect_rc 0 "$G" build daily "$DB" --out "$T/daily_en.html" --lang en && has "Daily construction report" "$T/daily_en.html" \
  && has "<td>flooding</td>" "$T/daily_en.html" && ok "daily report EN"
expect_rc 1 "$G" build daily "$DB" --out "$T/x.html" --lang de && has "language 'de'" "$T/err" && [ ! -e "$T/x.html" ] && ok "bad language, no file"
sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action LIKE 'build.%'" >"$T/n"
[ "$(cat "$T/n")" -ge 7 ] && ok "audit rows: $(cat "$T/n")" || bad "audit rows $(cat "$T/n")"
exit $fail
