#!/usr/bin/env bash
# test_asbuilt.sh - govnet build asbuilt: GPX tracks (read through GDAL)
# of three trenches - one named, two found by geometry - and one track far
# from everything; a 25 m detour is flagged, a 2 m GPS jitter is not;
# lengths (trench, cable, trace) follow the as-built line; the designed
# geometry and length are kept (synthetic plans are points mode: the
# designed length is the straight line x detour, so the as-built length
# differs even for a track on the line); GeoJSON works too; the as-built layer
# opens in ogrinfo; a bad file changes nothing.
set -u
G="${GOVNET:?}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
for t in sqlite3 python3; do command -v $t >/dev/null || { echo "$t missing: skipping"; exit 77; }; done
. "${GN_SOURCE_DIR:-.}/tests/cli/build_lib.sh"

DB="$T/net.db"
"$G" db init "$DB" >/dev/null && "$G" db import-plan "$DB" --synthetic 120 --seed 3 >/dev/null 2>&1 || bad import
for id in 1 2 3; do "$G" db get "$DB" trenches $id >"$T/t$id.json"; done
L1=$(sqlite3 "$DB" "SELECT length_m FROM trenches WHERE fid=1")
C1=$(sqlite3 "$DB" "SELECT c.length_m FROM cables c JOIN cable_trenches t ON t.cable=c.fid WHERE t.trench=1 ORDER BY c.fid LIMIT 1")
python3 - "$T" <<'PY'
import json, math, sys
d = sys.argv[1]
def line(i): return json.load(open("%s/t%d.json" % (d, i)))["geometry"]["coordinates"]
def off(p, q, m):  # midpoint of p-q pushed m metres sideways
    mx, my = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
    dx, dy = (q[0] - p[0]) * math.cos(math.radians(my)), q[1] - p[1]
    n = math.hypot(dx, dy)
    return [mx - dy / n * m / 111320 / math.cos(math.radians(my)), my + dx / n * m / 111320]
def densify(c, k):
    out = []
    for p, q in zip(c, c[1:]):
        out += [[p[0] + (q[0] - p[0]) * t / k, p[1] + (q[1] - p[1]) * t / k] for t in range(k)]
    return out + [c[-1]]
t1 = line(1); t1 = [t1[0], off(t1[0], t1[-1], 25), t1[-1]]               # 25 m detour
t2 = [[x + 1.5e-5 * (-1) ** i, y] for i, (x, y) in enumerate(densify(line(2), 6))]  # ~1.7 m jitter
t3 = line(3)
far = [[2.5, 7.5], [2.501, 7.501]]
def trk(name, pts):
    return ("<trk><name>%s</name><trkseg>" % name + "".join(
        '<trkpt lat="%.8f" lon="%.8f"/>' % (y, x) for x, y in pts) + "</trkseg></trk>")
open(d + "/asbuilt.gpx", "w").write('<?xml version="1.0"?><gpx version="1.1" creator="test" '
    'xmlns="http://www.topografix.com/GPX/1/1">' + trk("releve A", t1) + trk("releve B", t2)
    + trk("trench 3", t3) + trk("loin", far) + "</gpx>")
fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"trench": 2},
      "geometry": {"type": "LineString", "coordinates": line(2)}}]}
json.dump(fc, open(d + "/asbuilt.geojson", "w"))
PY
expect_rc 0 "$G" build asbuilt "$DB" "$T/asbuilt.gpx" --threshold-m 10 && python3 - "$T/out" <<'PY' && ok "tracks matched, deviation per segment" || bad "asbuilt: $(cat "$T/out")"
import json, sys
r = json.load(open(sys.argv[1]))
seg = {s["trench"]: s for s in r["segments"]}
assert r["tracks"] == 4 and r["matched"] == 3 and sorted(seg) == [1, 2, 3], r
assert 23 <= seg[1]["deviation_m"] <= 27 and seg[1]["flagged"], seg[1]
assert seg[2]["deviation_m"] < 3 and not seg[2]["flagged"], seg[2]
assert seg[3]["deviation_m"] < 0.5 and not seg[3]["flagged"], seg[3]
assert seg[1]["asbuilt_m"] > 0 and seg[1]["asbuilt_m"] != seg[1]["design_m"], seg[1]
assert r["unmatched"][0]["name"] == "loin", r["unmatched"]
PY
L1b=$(sqlite3 "$DB" "SELECT length_m FROM trenches WHERE fid=1")
A1=$(sqlite3 "$DB" "SELECT length_m FROM build_asbuilt WHERE trench=1")
D1=$(sqlite3 "$DB" "SELECT design_length_m FROM build_asbuilt WHERE trench=1")
C1b=$(sqlite3 "$DB" "SELECT c.length_m FROM cables c JOIN cable_trenches t ON t.cable=c.fid WHERE t.trench=1 ORDER BY c.fid LIMIT 1")
# a cable runs on through several trenches: it changes by the as-built
# change of every trench it runs through
DC=$(sqlite3 "$DB" "SELECT sum(a.length_m - a.design_length_m) FROM build_asbuilt a WHERE a.trench IN (SELECT trench FROM cable_trenches WHERE cable=(SELECT c.fid FROM cables c JOIN cable_trenches t ON t.cable=c.fid WHERE t.trench=1 ORDER BY c.fid LIMIT 1))")
python3 -c "import sys; l1,l1b,a1,d1,c1,c1b,dc=map(float,sys.argv[1:]); assert abs(l1b-a1)<1e-6 and abs(d1-l1)<1e-6 and abs((c1b-c1)-dc)<1e-6 and a1!=l1" \
  "$L1" "$L1b" "$A1" "$D1" "$C1" "$C1b" "$DC" && ok "lengths follow the as-built line ($L1 -> $L1b m), design kept" || bad "lengths: $L1 $L1b $A1 $D1 $C1 $C1b"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM trenches WHERE fid=1 AND geom IS NOT NULL")" = 1 ] && ok "designed geometry kept"
ogrinfo -ro -so "$DB" build_asbuilt >"$T/ogr" 2>&1 && has "Feature Count: 3" "$T/ogr" && ok "as-built layer in the GeoPackage"
expect_rc 0 "$G" build asbuilt "$DB" "$T/asbuilt.geojson" && has '"trench": 2' "$T/out" && has '"matched": 1' "$T/out" && ok "GeoJSON, trench named by a field"
n=$(sqlite3 "$DB" "SELECT count(*) FROM build_asbuilt")
printf '<gpx><trk><trkseg><trkpt lat="6.1" lon="1.2"/></trkseg></trk></gpx>' >"$T/one.gpx"
expect_rc 1 "$G" build asbuilt "$DB" "$T/one.gpx" && has "one.gpx" "$T/err" && ok "one-point track refused: $(cat "$T/err")"
printf 'not xml' >"$T/junk.gpx"
expect_rc 1 "$G" build asbuilt "$DB" "$T/junk.gpx" && has "junk.gpx" "$T/err" && ok "junk refused"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM build_asbuilt")" = "$n" ] && ok "nothing changed by bad files"
exit $fail
