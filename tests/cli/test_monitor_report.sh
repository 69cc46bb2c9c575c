#!/usr/bin/env bash
# test_monitor_report.sh - the stability report on real data: the Lomé
# demo store (plan + db init + db import-plan, as scripts/demo.sh), real
# Alertmanager webhook bodies through `govnet monitor ingest` (a trench
# cut whose down set comes from `govnet impact --json`, then a device
# fault; firing then resolved), then `govnet monitor report` in HTML and
# PDF, French and English. The figures in both must be those of
# `govnet monitor sla` and `govnet monitor incidents` (availability,
# incidents, the cut trench, the worst sites, MTTR); the HTML must be
# self-contained; the PDF valid (pdfinfo) with the same text
# (pdftotext). Bad arguments name the option; no partial file is left.
set -u
G="${GOVNET:?}"
DATA="${GN_DATA_DIR:-../shared/data}"
SITES="$DATA/togo/lome_public_buildings.geojson"
HERE="$(cd "$(dirname "$0")" && pwd)"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
[ -f "$SITES" ] || { echo "$SITES absent: skipping"; exit 77; }
command -v pdftotext >/dev/null || { echo "FAIL: pdftotext missing (poppler-utils, scripts/setup.sh)"; exit 1; }
. "$HERE/build_lib.sh"

"$G" plan --sites "$SITES" --pop 1.2278,6.1260 --resilience critical \
  --out "$T/lome_plan.gpkg" >"$T/log" 2>&1 || { cat "$T/log"; exit 1; }
"$G" db init "$T/lome.db" >/dev/null && \
  "$G" db import-plan "$T/lome.db" "$T/lome_plan.gpkg" >"$T/log" 2>&1 \
  || { cat "$T/log"; exit 1; }
python3 "$HERE/monitor_scenario.py" "$G" "$T/lome.db" "$T" >"$T/log" 2>&1 \
  || { cat "$T/log"; exit 1; }
ok "Lomé store, $(cat "$T/log")"
# an operator's lease to the first cut site, active since October
site=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["down"][0])' "$T/scenario.json")
for p in $(sqlite3 "$T/lome.db" "SELECT pop_id FROM pops ORDER BY pop_id"); do
  "$G" lease reserve "$T/lome.db" --from "pop:$p" --to "site:$site" --fibers 1 \
    --operator MTN --json >"$T/lease.json" 2>/dev/null && break
done
lease=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$T/lease.json") \
  && "$G" lease activate "$T/lome.db" "$lease" >/dev/null \
  && sqlite3 "$T/lome.db" "UPDATE lease_leases SET start_date='2026-10-01' WHERE id=$lease" \
  && ok "lease $lease to site $site" || bad "no lease to site $site"
for b in cut_firing cut_resolved dev_firing dev_resolved; do
  expect_rc 0 "$G" monitor ingest "$T/lome.db" "$T/$b.json" || break
done
ok "webhook bodies ingested"

P=(--from 2026-11-01 --to 2026-11-30)
expect_rc 0 "$G" monitor sla "$T/lome.db" "${P[@]}" && cp "$T/out" "$T/sla.json"
expect_rc 0 "$G" monitor incidents "$T/lome.db" && cp "$T/out" "$T/inc.json"
for l in fr en; do
  for e in html pdf; do
    expect_rc 0 "$G" monitor report "$T/lome.db" "${P[@]}" --lang "$l" \
      --out "$T/r_$l.$e" && has "written to" "$T/out"
  done
done
for l in fr en; do
  pdfinfo "$T/r_$l.pdf" >"$T/info_$l" 2>&1 && grep -q "^Pages: *[1-9]" "$T/info_$l" \
    && grep -q "stabilit" "$T/info_$l" && ok "$l PDF is valid ($(grep Pages "$T/info_$l" | tr -s ' '))" \
    || bad "$l PDF: $(cat "$T/info_$l")"
  pdftotext -layout "$T/r_$l.pdf" "$T/r_$l.txt" || bad "pdftotext $l"
done

if python3 - "$T" "$G" "${lease:-0}" <<'PY'
import base64, json, re, subprocess, sys
t, g = sys.argv[1], sys.argv[2]
sla = json.load(open(f"{t}/sla.json"))
inc = json.load(open(f"{t}/inc.json"))["incidents"]
sc = json.load(open(f"{t}/scenario.json"))
down = sc["down"]

# the library figures the report must show
assert len(inc) == 2 and all(i["state"] == "resolved" for i in inc), inc
cut = next(i for i in inc if i["kind"] == "cut")
kind, tid = cut["key"].split(":")
assert kind == "trench" and sorted(cut["sites"]) == down, cut
imp = json.loads(subprocess.run([g, "impact", f"{t}/lome.db", "--trench", tid,
                                 "--json"], capture_output=True, text=True,
                                check=True).stdout)
assert sorted(s["id"] for s in imp["sites"] if not s["protected"]) == down
assert cut["ttr_s"] == 6 * 3600 + 1800, cut  # resolved at the alerts' endsAt
dev = next(i for i in inc if i["kind"] == "device")
assert dev["sites"] == [sc["device"]] and dev["ttr_s"] == 2 * 3600 + 2700, dev
o = sla["overall"]
assert o["down_s"] == len(down) * 23400 + 9900, o
assert len(sla["days"]) == 30
nov3 = next(d for d in sla["days"] if d["day"] == "2026-11-03")
assert nov3["down_s"] == len(down) * 23400, nov3
assert all(d["down_s"] == 0 for d in sla["days"]
           if d["day"] not in ("2026-11-03", "2026-11-10", "2026-11-11"))
# the lease: the cut incident lists it; down for the cut, penalty due
lid = int(sys.argv[3])
assert [x["lease"] for x in cut["leases"]] == [lid], cut["leases"]
lease = next(x for x in sla["leases"] if x["lease"] == lid)
assert lease["down_s"] == 23400 and lease["active_s"] == sla["period_s"], lease
a = 1 - 23400 / sla["period_s"]
assert abs(lease["availability"] - a) < 1e-9 and not lease["met"], lease
steps = -(-round((lease["sla_pct"] - 100 * a) * 1e6) // 100000)  # ceil
assert lease["penalty_fcfa"] == round(lease["price_fcfa_month"] *
                                      min(1, steps * 0.10)), (lease, steps)
worst = sla["worst"]
assert worst and set(worst) <= set(down), worst

def pct(a, fr):
    s = f"{100 * a:.3f} %"
    return s.replace(".", ",") if fr else s

def dur(v):
    m = (int(v) + 30) // 60
    return f"{m // 60} h {m % 60:02d} min" if m >= 60 else f"{m} min"

mttr = dur((cut["ttr_s"] + dev["ttr_s"]) / 2)
crit = [s for s in sla["sites"] if s["critical"]]
acrit = 1 - sum(s["down_s"] for s in crit) / (len(crit) * sla["period_s"])
for lang, fr in (("fr", True), ("en", False)):
    h = open(f"{t}/r_{lang}.html", encoding="utf-8").read()
    txt = re.sub(r"\s+", " ", open(f"{t}/r_{lang}.txt", encoding="utf-8").read())
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", h))
    pen = f"{lease['penalty_fcfa']:,.0f}".replace(",", "\u202f" if fr else ",")
    want_lease = [pen, pct(lease["availability"], fr)]
    word = "tranchée" if fr else "trench"
    want = [pct(o["availability"], fr), pct(acrit, fr), mttr,
            f"{word} {tid}", dur(23400), dur(9900),
            f"{sum(s['met'] for s in sla['sites'])} / {o['sites']}",
            "2026-11-03 08:00", "2026-11-03 14:30"] + want_lease
    for w in want:
        w = re.sub(r"\s+", " ", w)  # the narrow no-break space of French numbers
        assert w in plain, (lang, "html", w)
        assert w in txt, (lang, "pdf", w)
    # the incident count as a figure, the worst sites in their table
    assert re.search(r"<b>2</b>(Incidents)", h), lang
    for s in worst[:3]:
        assert f"<td>{s}</td>" in h, (lang, s)
        assert re.search(rf"(^| ){re.escape(s)} ", txt), (lang, s)
    # self-contained: no outside reference, charts as SVG data
    assert not re.search(r'(src|href)="(?!data:)', h), lang
    assert "name=\"viewport\"" in h and f'lang="{lang}"' in h
    svgs = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', h)
    assert len(svgs) >= 4, len(svgs)  # daily, causes, MTTR, worst sites
    for s in svgs:
        assert base64.b64decode(s).lstrip().startswith(b"<?xml"), lang
    title = ("rapport de stabilité" if fr else "stability report")
    assert title in h and title in txt, lang
print(f"trench {tid}, {len(down)} sites, availability {pct(o['availability'], False)}, MTTR {mttr}")
PY
then ok "report figures match monitor sla and incidents (HTML and PDF, fr and en)"
else bad "report figures"; fi

# an OTDR distance from the POP pinned on the map (monitor locate): the
# point lies on the circuit's traced path, agrees with `impact --otdr`,
# and the slack model holds (10 m end slack, cable = trench x 1.02)
if python3 - "$G" "$T/lome.db" "$site" <<'PY'
import json, math, subprocess, sys
g, db, site = sys.argv[1:4]
def run(*a):
    return json.loads(subprocess.run([g, *a], capture_output=True, text=True,
                                     check=True).stdout)
def loc(d):
    return run("monitor", "locate", db, "--site", site, "--distance", str(d), "--json")
def metres(p, q):
    k = math.cos(math.radians(p[1])) * 111320.0
    return math.hypot((p[0] - q[0]) * k, (p[1] - q[1]) * 110574.0)
def seg_dist(p, a, b):
    k = math.cos(math.radians(a[1])) * 111320.0
    ux, uy = (b[0] - a[0]) * k, (b[1] - a[1]) * 110574.0
    px, py = (p[0] - a[0]) * k, (p[1] - a[1]) * 110574.0
    t = max(0, min(1, (px * ux + py * uy) / (ux * ux + uy * uy or 1)))
    return math.hypot(px - t * ux, py - t * uy)
x0 = loc(10)
tr = run("trace", db, "--port", str(x0["port"]), "--json")
lines = tr["geometry"]["coordinates"]
for d in (10, 250, 900, 2000, tr["length_m"] * 0.8):
    x = loc(d)
    p = x["point"]["coordinates"]
    off = min(seg_dist(p, l[i], l[i + 1]) for l in lines for i in range(len(l) - 1))
    assert off < 1.0, (d, off)
    imp = run("impact", db, "--otdr", str(x["port"]), str(d), "--json")
    assert metres(imp["point"], p) < 0.01 and imp["trenches"] == [x["trench"]], (d, imp["point"], p)
    assert site in x["down"] or site in x["protected"], x
x1 = loc(10 + 20 * 1.02)  # 20 m of trench (its stored, detoured metres)
assert x1["trench"] == x0["trench"] and abs(abs(x1["along_m"] - x0["along_m"]) - 20) < 0.01, (x0, x1)
ends = [l[0] for l in lines] + [l[-1] for l in lines]
assert min(metres(x0["point"]["coordinates"], e) for e in ends) < 1.0, x0
print(f"port {x0['port']}, {tr['length_m']:.0f} m of path")
PY
then ok "monitor locate: on the path, as impact --otdr, slack model"
else bad "monitor locate"; fi
expect_rc 1 "$G" monitor locate "$T/lome.db" --site "$site" --distance 900000 \
  && has "beyond the fiber's end" "$T/err" && ok "locate beyond the end"
expect_rc 1 "$G" monitor locate "$T/lome.db" --site nope --distance 10 \
  && has "site 'nope' not found" "$T/err" && ok "locate: unknown site"
expect_rc 2 "$G" monitor locate "$T/lome.db" --site "$site" --distance -3 \
  && has "\-\-distance" "$T/err" && ok "locate: bad --distance"
expect_rc 2 "$G" monitor locate "$T/lome.db" --site "$site" --circuit 3 --distance 5 \
  && has "one of \-\-site" "$T/err" && ok "locate: one start only"

# a period without incident
expect_rc 0 "$G" monitor report "$T/lome.db" --from 2026-10-01 --to 2026-10-31 \
  --out "$T/oct.html" --lang en && has "No incident in the period" "$T/oct.html" \
  && has "100.000 %" "$T/oct.html" && ok "empty period"

# bad arguments name the option; no file is left behind
expect_rc 1 "$G" monitor report "$T/lome.db" --from 2026-13-45 --to 2026-11-30 --out "$T/b.html" \
  && has "\-\-from" "$T/err" && has "2026-13-45" "$T/err" && ok "bad --from"
expect_rc 1 "$G" monitor report "$T/lome.db" --from 2026-11-01 --to yesterday --out "$T/b.html" \
  && has "\-\-to" "$T/err" && ok "bad --to"
expect_rc 1 "$G" monitor report "$T/lome.db" --from 2026-11-30 --to 2026-11-01 --out "$T/b.html" \
  && has "\-\-to 2026-11-01 is not after \-\-from 2026-11-30" "$T/err" && ok "--from after --to"
expect_rc 2 "$G" monitor report "$T/lome.db" "${P[@]}" --out "$T/b.docx" \
  && has "\-\-out" "$T/err" && has ".html or .pdf" "$T/err" && ok "unknown extension"
expect_rc 2 "$G" monitor report "$T/lome.db" "${P[@]}" --out "$T/b.html" --lang de \
  && has "\-\-lang 'de'" "$T/err" && ok "unknown language"
expect_rc 2 "$G" monitor report "$T/lome.db" "${P[@]}" --out "$T/b.pdf" --target 1.5 \
  && has "\-\-target '1.5'" "$T/err" && ok "bad target"
expect_rc 2 "$G" monitor report "$T/lome.db" --from 2026-11-01 --out "$T/b.pdf" \
  && has "\-\-to" "$T/err" && ok "missing --to"
expect_rc 1 "$G" monitor report "$T/lome.db" "${P[@]}" --out "$T/no/such/dir/r.pdf" \
  && ok "unwritable --out fails"
ls "$T"/b.* "$T"/no 2>/dev/null && bad "a partial file was left" || ok "no partial file"
# availability from Prometheus's API (tests/cli/prom_answers.py answers
# it from a script, to the second; the real one: api/test_monitor_e2e)
prom() {  # MODE -> $pport, $ppid
  coproc PROM { exec python3 "$HERE/prom_answers.py" "$1" "${pa[@]}"; }
  ppid=$PROM_PID; read -r pport <&"${PROM[0]}"
}
mapfile -t pa < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["device"]); print(d["down"][0]); print(d["down"][1])' "$T/scenario.json")
prom ok
D=(--from 2026-11-01 --to 2026-11-01 --prometheus "http://127.0.0.1:$pport" --step 15)
if "$G" monitor sla "$T/lome.db" "${D[@]}" >"$T/psla.json" 2>"$T/err" && python3 - "$T/psla.json" "${pa[@]}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
a, b, c = (next(x for x in d["sites"] if x["id"] == s) for s in sys.argv[2:5])
assert d["source"] == "prometheus" and d["step_s"] == 15, d["source"]
assert a["down_s"] == 7200 and a["nodata_s"] == 0, a
assert abs(a["availability"] - (1 - 7200 / 86400)) < 1e-9, a
assert b["down_s"] == 0 and b["nodata_s"] == 43200 and b["availability"] == 1, b
assert c["down_s"] == 0 and c["nodata_s"] == 0 and c["availability"] == 1, c
others = [x for x in d["sites"] if x["id"] not in sys.argv[2:5]]
assert others and all(x["availability"] is None and x["nodata_s"] == 86400
                      for x in others), others[0]
o = d["overall"]
assert o["down_s"] == 7200 and abs(o["availability"] - (1 - 7200 / (3 * 86400 - 43200))) < 1e-9, o
assert d["days"][0]["down_s"] == 7200 and d["worst"] == [sys.argv[2]], d["worst"]
PY
then ok "sla --prometheus: down 0 samples, no data apart, exact to the second"
else bad "sla --prometheus: $(cat "$T/err") $(head -c 300 "$T/psla.json")"; fi
expect_rc 0 "$G" monitor report "$T/lome.db" "${D[@]}" --lang en --out "$T/p.html" \
  && has "Prometheus probe_success" "$T/p.html" && has "No data (all sites)" "$T/p.html" \
  && has "2 h 00 min" "$T/p.html" && ok "report --prometheus"
kill "$ppid"; wait "$ppid" 2>/dev/null
for m in vector:"data.resultType: want" error:"Prometheus: 1:12: parse error" \
         badgateway:"HTTP 502"; do
  prom "${m%%:*}"
  expect_rc 1 "$G" monitor sla "$T/lome.db" --from 2026-11-01 --to 2026-11-01 \
    --prometheus "http://127.0.0.1:$pport" && has "${m#*:}" "$T/err" \
    && ok "Prometheus ${m%%:*} answer: $(cat "$T/err")"
  kill "$ppid"; wait "$ppid" 2>/dev/null
done
D=(--from 2026-11-01 --to 2026-11-01)
expect_rc 1 "$G" monitor sla "$T/lome.db" "${D[@]}" --prometheus http://127.0.0.1:1 \
  && has "Prometheus http://127.0.0.1:1: " "$T/err" && ok "Prometheus unreachable: $(cat "$T/err")"
expect_rc 1 "$G" monitor sla "$T/lome.db" "${D[@]}" --prometheus ftp://127.0.0.1 \
  && has "want http:// or https://" "$T/err" && ok "not an HTTP URL"
expect_rc 2 "$G" monitor sla "$T/lome.db" "${D[@]}" --step 15 \
  && has "\-\-step goes with \-\-prometheus" "$T/err" && ok "--step alone"
exit $fail
