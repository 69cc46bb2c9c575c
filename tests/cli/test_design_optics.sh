#!/usr/bin/env bash
# test_design_optics.sh - issue 13's "done when", on the real Lomé data:
# plan the demo's Lomé network (points mode, --resilience critical, WACS
# landing POP), import it into a store, then trace EVERY building's
# working circuit from its CPE port with `govnet trace DB --port P
# --json`: each <= 10 km and within the summary's optics_budget_db at
# 1310 nm, median splices <= 8; every protect circuit within the protect
# class (er40: 40 km, 15 dB at 1550 nm); circuits_over_budget = 0; the
# plan's summary and `govnet db summary` carry the same bom object. Also:
# a bad --optics is a usage error. Skips (77) when the data is absent.
set -euo pipefail
: "${GOVNET:?}" "${GN_SOURCE_DIR:?}"
export LSAN_OPTIONS="suppressions=$GN_SOURCE_DIR/tests/lsan.supp:print_suppressions=0"
data="${GN_DATA_DIR:-$GN_SOURCE_DIR/../shared/data}/togo/lome_public_buildings.geojson"
[ -f "$data" ] || { echo "skip: $data not found"; exit 77; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

rc=0
"$GOVNET" plan --sites "$data" --pop 1.2278,6.1260 --resilience critical \
  --optics lr10,xr99 --out "$tmp/x.gpkg" 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] && grep -q "unknown class 'xr99'" "$tmp/err" && [ ! -e "$tmp/x.gpkg" ] \
  || fail "bad --optics: rc $rc, $(cat "$tmp/err")"

"$GOVNET" plan --sites "$data" --pop 1.2278,6.1260 --resilience critical \
  --out "$tmp/lome.gpkg" --summary "$tmp/lome.json" >"$tmp/plan.out" 2>&1 \
  || fail "plan: $(tail -3 "$tmp/plan.out")"
"$GOVNET" db init "$tmp/lome.db" >/dev/null
"$GOVNET" db import-plan "$tmp/lome.db" "$tmp/lome.gpkg" >/dev/null 2>&1 || fail import
"$GOVNET" db check "$tmp/lome.db" >/dev/null || fail "db check"
"$GOVNET" db summary "$tmp/lome.db" >"$tmp/db.json" || fail "db summary"

python3 - "$GOVNET" "$tmp/lome.db" "$tmp/lome.json" "$tmp/db.json" <<'PY'
import json, sqlite3, statistics, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
govnet, db, plan_json, db_json = sys.argv[1:5]
s = json.load(open(plan_json))
d = json.load(open(db_json))
budget = s["optics_budget_db"]
prot = s["optics"]["classes"][s["optics"]["protect"]]
assert s["optics"]["access"] == "lr10" and budget == 7.5, s["optics"]
assert s["circuits_over_budget"] == 0, s["circuits_over_budget_list"][:5]
assert s["hubs"] >= 3, s["hubs"]
for k in ("closures", "splices", "odf_ports", "cable_m", "cable_m_by_size",
          "optics_by_class", "hubs"):
    assert s["bom"][k] == d["bom"][k], (k, s["bom"][k], d["bom"][k])
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
rows = con.execute(
    "SELECT c.fid, c.role, s.site_id, cs.cpe_port FROM circuits c JOIN sites s"
    " ON s.fid=c.site JOIN circuit_strands cs ON cs.circuit=c.fid AND"
    " cs.strand=0").fetchall()
# every building: a working circuit, or it hosts its hub (the hub's POP)
sites = {r[0] for r in con.execute("SELECT site_id FROM sites")}
hubs = {r[0][4:] for r in con.execute(
    "SELECT pop_id FROM pops WHERE pop_id LIKE 'hub-%'")}
working = {r[2] for r in rows if r[1] == "working"}
assert sites == working | hubs and not (working & hubs), \
    (len(sites), len(working), len(hubs))
assert len(rows) == s["circuits_total"], (len(rows), s["circuits_total"])

def trace(r):
    p = subprocess.run([govnet, "trace", db, "--port", str(r[3]), "--json"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    t = json.loads(p.stdout)
    assert t["circuit"] == r[0] and not t["broken"], (r, t["circuit"])
    return r, t

# every working circuit is traced; protect circuits: every 5th by trace
# (each trace is a process start), all of them from the rows below
sample = [r for r in rows if r[1] == "working"] + \
    [r for r in rows if r[1] == "protect"][::5]
with ThreadPoolExecutor(4) as ex:
    res = list(ex.map(trace, sample))
# protect circuits from the rows: lit spans + drop, splices per strand
for cid, site, length, nsp in con.execute(
        "SELECT c.fid, s.site_id, s.drop_m + (SELECT sum(coalesce(f.span_m,"
        " k.length_m)) FROM circuit_fibers x JOIN fibers f ON f.fid=x.fiber"
        " JOIN cables k ON k.fid=f.cable WHERE x.circuit=c.fid AND"
        " x.strand=0), (SELECT count(*) - 1 FROM circuit_fibers x WHERE"
        " x.circuit=c.fid AND x.strand=0) FROM circuits c JOIN sites s ON"
        " s.fid=c.site WHERE c.role='protect'"):
    loss = length / 1000 * 0.25 + nsp * 0.1 + 3 * 0.5
    assert length <= prot["reach_km"] * 1000, (site, length)
    assert loss + s["optics"]["margin_db"] <= prot["budget_db"], (site, loss)
w = [(r, t) for r, t in res if r[1] == "working"]
p = [(r, t) for r, t in res if r[1] == "protect"]
for r, t in w:
    assert t["length_m"] <= 10000, (r[2], t["length_m"])
    assert t["loss_db"]["1310"] <= budget, (r[2], t["loss_db"])
for r, t in p:
    assert t["length_m"] <= prot["reach_km"] * 1000, (r[2], t["length_m"])
    assert t["loss_db"]["1550"] + s["optics"]["margin_db"] <= prot["budget_db"], \
        (r[2], t["loss_db"])
med = statistics.median(t["splices"] for r, t in w)
assert med <= 8, med
assert med == s["working_splices_median"], (med, s["working_splices_median"])
km = max(t["length_m"] for r, t in w) / 1000
assert abs(km - s["working_km_max"]) < 0.01, (km, s["working_km_max"])
print("ok: %d working (max %.2f km, median %g splices, max %.2f dB at 1310 nm),"
      " %d protect traced (max %.2f km), %d hubs, bom agrees"
      % (len(w), km, med, max(t["loss_db"]["1310"] for r, t in w), len(p),
         max(t["length_m"] for r, t in p) / 1000, s["hubs"]))
PY
