#!/usr/bin/env bash
# test_hotspot_aps.sh - access points as network records: `govnet hotspot
# plan` places APs at a campus site by the documented rule, each riding the
# site's working circuit; `govnet impact` lists the hotspots a cut takes
# down (and not those whose site keeps a protect path); the AP layer opens
# in GDAL; bad input is refused without writing.
set -u
G="${GOVNET:?}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
DB="$T/n.gpkg"
"$G" db init "$DB" >/dev/null && "$G" db import-plan "$DB" --synthetic 60 --seed 3 --ring 30 >/dev/null 2>&1 \
  || { bad "store set-up"; exit 1; }
# a campus with one circuit (down on a cut) and one with a protect path
read -r one two < <(sqlite3 "$DB" "SELECT (SELECT s.site_id FROM sites s WHERE (SELECT count(*) FROM circuits c WHERE c.site=s.fid)=1 ORDER BY s.fid LIMIT 1), (SELECT s.site_id FROM sites s WHERE (SELECT count(*) FROM circuits c WHERE c.site=s.fid)=2 ORDER BY s.fid LIMIT 1)" | tr '|' ' ')
"$G" hotspot plan "$DB" --site "$one" --students 500 >"$T/out" && grep -q "^13 access points" "$T/out" \
  && ok "500 students / 40 per AP = 13 APs" || bad "plan: $(cat "$T/out")"
"$G" hotspot plan "$DB" --site "$two" --area-m2 6000 --m2-per-ap 1000 >"$T/out" && grep -q "^6 access points" "$T/out" \
  && ok "6000 m2 / 1000 m2 per AP = 6 APs" || bad "plan area: $(cat "$T/out")"
"$G" hotspot plan "$DB" --site "$two" --area-m2 6000 --m2-per-ap 1000 >/dev/null   # re-plan replaces
n=$(sqlite3 "$DB" "SELECT count(*) FROM hs_aps") ; [ "$n" = 19 ] && ok "re-planning replaces a site's APs" || bad "AP count $n"
"$G" hotspot plan "$DB" --site nosuch --students 10 2>"$T/err"; [ $? = 1 ] && grep -q "nosuch" "$T/err" && ok "unknown site refused"
"$G" hotspot plan "$DB" --site "$one" --students -3 2>/dev/null; [ $? = 2 ] && ok "negative students refused"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM hs_aps")" = 19 ] || bad "a refused plan changed the store"
# APs lie within the campus disc (radius sqrt(area/pi)) around the site
sqlite3 "$DB" "SELECT max(abs(a.lat-s.lat)*111320) < sqrt(6000/3.1416)+1 FROM hs_aps a JOIN sites s ON s.site_id=a.site WHERE a.site='$two'" \
  | grep -q 1 && ok "APs inside the campus disc" || bad "AP placement"
ogrinfo -ro -so "$DB" hs_aps 2>/dev/null | grep -q "Feature Count: 19" && ok "AP layer opens in GDAL" || bad "ogrinfo hs_aps"
"$G" hotspot aps "$DB" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["features"])==19 and all(f["properties"]["circuit"] for f in d["features"])' \
  && ok "AP GeoJSON with backhaul circuits" || bad "aps geojson"
# cut the first trench of the single-circuit campus's working circuit
tr=$(sqlite3 "$DB" "SELECT ct.trench FROM circuit_trenches ct JOIN circuits c ON c.fid=ct.circuit JOIN sites s ON s.fid=c.site WHERE s.site_id='$one' ORDER BY ct.trench LIMIT 1")
"$G" impact "$DB" --trench "$tr" --json >"$T/imp.json" || bad "impact"
python3 - "$T/imp.json" "$one" "$two" <<'PY' && ok "impact lists the 13 hotspots the cut takes down" || bad "impact hotspots: $(head -c 600 "$T/imp.json")"
import json, sys
d = json.load(open(sys.argv[1]))
names = [h["name"] for h in d["hotspots"]]
assert len([n for n in names if n.startswith(sys.argv[2] + "-ap-")]) == 13, names
assert not any(n.startswith(sys.argv[3] + "-ap-") for n in names), names
PY
"$G" impact "$DB" --trench "$tr" | grep -q "WiFi hotspots down" && ok "impact text names hotspots"
# a protect path keeps the second campus's hotspots up whatever single trench is cut
for t in $(sqlite3 "$DB" "SELECT DISTINCT ct.trench FROM circuit_trenches ct JOIN circuits c ON c.fid=ct.circuit JOIN sites s ON s.fid=c.site WHERE s.site_id='$two'"); do
  "$G" impact "$DB" --trench "$t" --json | grep -q "\"$two-ap-" && bad "protected campus $two listed down for trench $t"
done
ok "protected campus never listed down"

# the printable voucher sheet: 25 cards = 3 A4 pages (10 per page)
"$G" hotspot vouchers "$DB" --count 25 --minutes 90 --pdf "$T/v.pdf" --network UL-Etudiants --json >"$T/v.json" \
  && python3 - "$T/v.pdf" "$T/v.json" <<'PY' && ok "voucher sheet PDF, 3 A4 pages" || bad "voucher PDF"
import json, re, sys
d = open(sys.argv[1], "rb").read()
assert d.startswith(b"%PDF-"), d[:10]
assert len(re.findall(rb"/Type /Page\b", d)) == 3
assert b"/MediaBox [ 0 0 595.28 841.89 ]" in d  # A4 portrait
assert len(json.load(open(sys.argv[2]))) == 25
PY
"$G" hotspot vouchers "$DB" --count 2 --minutes 90 --pdf "$T/nodir/v.pdf" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "nodir" "$T/err" && [ ! -e "$T/nodir/v.pdf" ] && ok "unwritable PDF path reported" || bad "pdf error rc=$rc $(cat "$T/err")"
exit $fail
