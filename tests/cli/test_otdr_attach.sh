#!/usr/bin/env bash
# test_otdr_attach.sh - govnet otdr attach on a synthetic store: a trace
# made to match a fiber's route (closures at their designed distances plus
# 3 % slack) passes; the same trace with one 0.41 dB splice fails naming
# its closure ("closure SC-...: 0.41 dB, over 0.15 dB"); a trace 30 %
# too long fails on length; thresholds are configurable; every
# measurement is kept with its result; bad input is refused cleanly.
set -u
G="${GOVNET:?}"
S="${GN_SOURCE_DIR:-.}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing: skipping"; exit 77; }
. "${GN_SOURCE_DIR:-.}/tests/cli/build_lib.sh"

DB="$T/net.db"
"$G" db init "$DB" >/dev/null && "$G" db import-plan "$DB" --synthetic 120 --seed 3 >/dev/null 2>&1 || bad import
# the first circuit with at least two splices (express fibers pass most
# closures uncut): its fiber at the ODF port, to a building
F=$(python3 - "$G" "$DB" <<'PY'
import json, subprocess, sys
for port in range(1, 400):
    r = subprocess.run([sys.argv[1], "trace", sys.argv[2], "--port", str(port), "--json"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        continue
    d = json.loads(r.stdout)
    if sum(h["kind"] == "splice" for h in d["hops"]) >= 2:
        print([h["id"] for h in d["hops"] if h["kind"] == "fiber"][0])
        break
PY
)
[ -n "$F" ] || bad "no circuit with two splices in the synthetic store"
"$G" trace "$DB" --fiber "$F" --json >"$T/trace.json"
# events: launch connector, every closure at designed distance x 1.03, end
python3 - "$T/trace.json" "$DB" >"$T/events" <<'PY'
import json, sqlite3, sys
t = json.load(open(sys.argv[1]))
names = dict(sqlite3.connect(sys.argv[2]).execute("SELECT fid, name FROM closures"))
hops = t["hops"]
if not (hops[0]["kind"] == "port" and hops[0]["name"][:3] in ("ODF", "OLT")):
    hops = hops[::-1]
d, ev = 0.0, ["0:0.30:1F9999LS"]
for h in hops:
    if h["kind"] in ("fiber", "drop"): d += h["length_m"]
    if h["kind"] == "splice": ev.append("%.4f:0.05:0F9999LS:%s" % (d * 1.03 / 1000, names[h["closure"]]))
print(" ".join(ev + ["%.4f:0.00:1E9999LS" % (t["length_m"] * 1.03 / 1000)]))
PY
read -r -a EV <"$T/events"
[ "${#EV[@]}" -ge 4 ] || bad "fiber $F has too few closures: ${EV[*]}"
plain=(); for e in "${EV[@]}"; do plain+=("${e%:SC*}"); done
python3 "$S/tests/cli/make_sor.py" "$T/good.sor" 1310 1.2 "${plain[@]}"
expect_rc 0 "$G" otdr attach "$DB" --fiber "$F" "$T/good.sor" && has PASS "$T/out" && ok "matching trace passes"
expect_rc 0 "$G" otdr attach "$DB" --fiber "$F" "$T/good.sor" --json \
  && python3 - "$T/out" <<'PY' && ok "events mapped onto closures" || bad "mapping: $(head -c 600 "$T/out")"
import json, sys
r = json.load(open(sys.argv[1]))
at = [e["at"] for e in r["events"]]
assert at[0] == "launch" and at[-1] == "end", at
assert all(a and a.startswith("SC-") for a in at[1:-1]), at
assert r["pass"] and r["length"]["ok"] and r["loss"]["ok"] and r["closures"] == len(at) - 2, r
PY
# one bad splice at the second closure
BADC=$(echo "${EV[2]}" | cut -d: -f4)
bad_ev=("${plain[@]}"); bad_ev[2]=$(echo "${plain[2]}" | sed 's/:0.05:/:0.41:/')
python3 "$S/tests/cli/make_sor.py" "$T/bad.sor" 1310 1.6 "${bad_ev[@]}"
expect_rc 3 "$G" otdr attach "$DB" --fiber "$F" "$T/bad.sor" && has "$BADC: 0.41 dB, over 0.15 dB" "$T/out" \
  && has FAIL "$T/out" && ok "bad splice named: $(head -1 "$T/out")"
expect_rc 0 "$G" otdr attach "$DB" --fiber "$F" "$T/bad.sor" --splice-db 0.5 && ok "threshold configurable"
# 30 % too long
long=("${plain[@]}"); last=$(( ${#long[@]} - 1 ))
km=$(echo "${long[$last]}" | cut -d: -f1); long[$last]="$(python3 -c "print('%.4f' % ($km * 1.3))"):0.00:1E9999LS"
python3 "$S/tests/cli/make_sor.py" "$T/long.sor" 1550 1.0 "${long[@]}"
expect_rc 3 "$G" otdr attach "$DB" --fiber "$F" "$T/long.sor" && has "length: .* over 5 %" "$T/out" && ok "length checked"
# kept with results
[ "$(sqlite3 "$DB" "SELECT count(*), sum(pass) FROM build_otdr WHERE fiber=$F")" = "5|3" ] \
  && ok "measurements kept" || bad "kept: $(sqlite3 "$DB" "SELECT count(*), sum(pass) FROM build_otdr")"
expect_rc 1 "$G" otdr attach "$DB" --fiber 99999999 "$T/good.sor" && has "not found" "$T/err" && ok "unknown fiber"
printf 'junk' >"$T/junk.sor"
expect_rc 1 "$G" otdr attach "$DB" --fiber "$F" "$T/junk.sor" && has "junk.sor" "$T/err" && ok "bad SOR named"
expect_rc 2 "$G" otdr attach "$DB" --fiber "$F" "$T/good.sor" --splice-db -1 && ok "bad threshold"
exit $fail
