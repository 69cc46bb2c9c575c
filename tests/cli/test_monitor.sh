#!/usr/bin/env bash
# test_monitor.sh - govnet monitor on the Lomé demo store (scripts/demo.sh's
# plan + db init + db import-plan): every single-trench cut and random
# double cuts through the library (tests/unit/test_monitor with
# GN_MONITOR_DB), then the CLI form the checks use on sampled trenches:
# the down set from `govnet impact DB --trench T --json` given to
# `govnet monitor diagnose DB --down ... --json` must put first a candidate
# whose cut gives exactly that down set. Bad input: unknown site, a site
# both down and up, no --down.
set -u
G="${GOVNET:?}"
B="${GN_BUILD_DIR:?}"
DATA="${GN_DATA_DIR:-../shared/data}"
SITES="$DATA/togo/lome_public_buildings.geojson"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
[ -f "$SITES" ] || { echo "$SITES absent: skipping"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

"$G" plan --sites "$SITES" --pop 1.2278,6.1260 --resilience critical \
  --out "$T/lome_plan.gpkg" >"$T/log" 2>&1 || { cat "$T/log"; exit 1; }
"$G" db init "$T/lome.db" >/dev/null && \
  "$G" db import-plan "$T/lome.db" "$T/lome_plan.gpkg" >"$T/log" 2>&1 \
  || { cat "$T/log"; exit 1; }
ok "Lomé store built"

if GN_MONITOR_DB="$T/lome.db" "$B/test_monitor" >"$T/unit" 2>&1; then
  ok "library: $(grep -o '[0-9]* trenches.*' "$T/unit")"
else
  cat "$T/unit"; bad "library check over every trench"
fi

# The CLI form, on 20 sampled trenches (seeded) and 4 double cuts.
if python3 - "$G" "$T/lome.db" <<'PY'
import json, random, subprocess, sys
g, db = sys.argv[1], sys.argv[2]
def run(*a):
    return json.loads(subprocess.run([g, *a], check=True, capture_output=True,
                                     text=True).stdout)
def down(trenches):
    a = ["impact", db, "--json"]
    for t in trenches: a += ["--trench", str(t)]
    return sorted(s["id"] for s in run(*a)["sites"] if not s["protected"])
rng = random.Random(7)
ids = list(range(1, 705))
cases = [[t] for t in rng.sample(ids, 20)] + [rng.sample(ids, 2) for _ in range(4)]
done = 0
for cut in cases:
    d = down(cut)
    if not d: continue
    out = run("monitor", "diagnose", db, "--down", ",".join(d), "--json")
    c = out["candidates"][0]
    assert set(c) >= {"kind", "trenches", "cables", "closures", "explains"}, c
    if len(cut) > 1 and c["kind"] == "device" and len(c["devices"]) < len(cut):
        continue  # a lone site on both of its paths: a device is smaller
    assert c["kind"] == "cut" and c["trenches"] and not c["cables"] \
        and not c["closures"], (cut, c)
    got = down(c["trenches"])
    assert got == d, (cut, c["trenches"], got, d)
    assert c["explains"] == len(d), c
    done += 1
assert done >= 8, done
print("checked", done, "cuts")
PY
then ok "CLI diagnose puts an exact cut first"; else bad "CLI diagnose"; fi

"$G" monitor diagnose "$T/lome.db" --down nope --json >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && grep -q "site 'nope' not found" "$T/err" && ok "unknown site" \
  || bad "unknown site: $(cat "$T/err")"
"$G" monitor diagnose "$T/lome.db" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && ok "no DB/--down is a usage error" || bad "usage"
"$G" monitor diagnose "$T/lome.db" --json >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -q -- "--down" "$T/err" && ok "missing --down" || bad "missing --down"
"$G" monitor diagnose "$T/lome.db" --down "" --json >"$T/out" 2>"$T/err" \
  && grep -q '"candidates":\[\]' "$T/out" && ok "nothing down, no candidate" \
  || bad "empty down set: $(cat "$T/out" "$T/err")"
s=$(sqlite3 "$T/lome.db" "SELECT site_id FROM sites LIMIT 1")
if [ -n "$s" ]; then
  "$G" monitor diagnose "$T/lome.db" --down "$s" --up "$s" >"$T/out" 2>"$T/err"
  [ $? -eq 1 ] && grep -q "both down and up" "$T/err" && ok "down and up" \
    || bad "down and up: $(cat "$T/err")"
fi
exit $fail
