#!/usr/bin/env bash
# test_hostile_io.sh - The file inputs of issue 11's hostile run: each
# reproducer gives a clear error naming the file (and line/key) or the
# right answer, never a crash, and nothing is written or stored.
#  1 a 74-byte CSV with repeated column names (crashed GDAL: rc 139)
#  5 Latin-1 text: refused with file:line, converted with --encoding
#    latin1; a plan file holding invalid UTF-8 is refused by import-plan
# 11 price book: drum.m = 0, 1e308, duplicate keys, hex numbers
# 12 STP: weights of 1e308, "Nodes 100000000" in a small file
# 13 GeoJSON with 100,000 properties (took 112 s in GDAL)
set -u
G="${GOVNET:?}"
SRC="${GN_SOURCE_DIR:?}"
T=$(mktemp -d /tmp/gn_hostile_io.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok - $*"; }
bad() { echo "FAIL - $*"; fail=1; }
# expect RC PATTERN DESC CMD...: exit code RC, PATTERN on stderr, <= 20 s
expect() {
  local want=$1 pat=$2 desc=$3
  shift 3
  timeout 20 "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    bad "$desc: rc $rc (want $want): $(head -c 300 "$T/err")"
  elif [ -n "$pat" ] && ! grep -q -- "$pat" "$T/err"; then
    bad "$desc: '$pat' not in: $(head -c 300 "$T/err")"
  else
    ok "$desc"
  fi
}
P=("$G" plan --pop 1.2,6.1 --out "$T/o.gpkg")

# ---- 1: CSV headers ----
echo aWQsbmFtZSxjYXRlZ29yeSxsb24sbGF0bmFtZSxjYXRlZ29yeSxsb24sbGF0Cm0xLGluMiwxLikyMixhZG1pbjIsMS4pMjIsNi4= \
  | base64 -d >"$T/c.csv"
expect 1 "c.csv: line 1: column name 'category' appears twice" "repeated CSV column: clear error, no crash" \
  "${P[@]}" --sites "$T/c.csv"
[ ! -e "$T/o.gpkg" ] && ok "no output after the refused CSV" || bad "output written"
printf 'id,LON,lat,lon\na,1.2,6.1,1.3\n' >"$T/case.csv"
expect 1 "appears twice" "column names repeated in another case refused" "${P[@]}" --sites "$T/case.csv"
printf 'id,lon,lat\na,0x1p0,6.1\n' >"$T/hex.csv"
expect 1 "c.csv\|hex.csv: line 2: column lon: '0x1p0' is not a decimal" "hex coordinate refused" \
  "${P[@]}" --sites "$T/hex.csv"
printf 'id,lon,lat\na, 1.2,6.1\n' >"$T/space.csv"
expect 1 "is not a decimal" "coordinate with a leading space refused" "${P[@]}" --sites "$T/space.csv"
printf 'id,lon,lat\na/b,1.2,6.1\n' >"$T/slash.csv"
expect 1 "not a valid site id" "site id with '/' refused at import" "${P[@]}" --sites "$T/slash.csv"
printf 'id;nom;longitude;latitude\r\ns1;Lycée;1.21;6.13\r\ns2;CHU;1.22;6.14\r\n' >"$T/semi.csv"
expect 0 "" "semicolon CSV with CRLF and longitude/latitude is read" "${P[@]}" --sites "$T/semi.csv"

# ---- 5: text encoding ----
printf 'id,name,lon,lat\ns1,H\xf4pital de B\xe8,1.21,6.13\ns2,Mairie,1.22,6.14\n' >"$T/latin1.csv"
expect 1 "latin1.csv: line 2: name is not UTF-8" "Latin-1 name refused with file:line" \
  "${P[@]}" --sites "$T/latin1.csv"
expect 0 "" "--encoding latin1 converts" "${P[@]}" --sites "$T/latin1.csv" --encoding latin1 \
  --geojson "$T/o.geojson"
python3 - "$T/o.geojson" <<'PY' && ok "converted name is UTF-8 'Hôpital de Bè'" || bad "converted name wrong"
import json, sys
names = [f["properties"].get("name") for f in json.load(open(sys.argv[1], encoding="utf-8"))["features"]
         if f["properties"].get("layer") == "site"]
assert "Hôpital de Bè" in names, names
PY
expect 2 "expected utf-8 or latin1" "unknown --encoding is a usage error" "${P[@]}" --sites "$T/latin1.csv" --encoding klingon
printf 'id,name,lon,lat\ns1,bell\x07,1.21,6.13\n' >"$T/ctrl.csv"
expect 1 "is not UTF-8 text" "control character in a name refused" "${P[@]}" --sites "$T/ctrl.csv"
# a plan file holding invalid UTF-8 (made by another tool) never reaches the store
rm -f "$T/o.gpkg"
expect 0 "" "plan of the converted file" "${P[@]}" --sites "$T/latin1.csv" --encoding latin1
# (GDAL's own SQL: the GeoPackage triggers need its ST_ functions)
ogrinfo "$T/o.gpkg" -sql "UPDATE sites SET name = CAST(X'48F470697461' AS TEXT) WHERE id = 's1'" \
  >/dev/null 2>&1 || bad "cannot corrupt the plan file"
expect 0 "" "db init" "$G" db init "$T/net.gpkg"
expect 1 "name must be UTF-8" "import-plan refuses a non-UTF-8 name" "$G" db import-plan "$T/net.gpkg" "$T/o.gpkg"
expect 0 '"sites":0' "nothing stored by the refused import" sh -c "'$G' db summary '$T/net.gpkg' >&2"

# ---- 11: price book ----
pb() { printf 'base = defaults\n%s\n' "$1" >"$T/pb.txt"; }
pb 'drum.m = 0'
expect 1 "pb.txt line 2: 'drum.m' = 0: the drum length must be in 100..100000 m" "drum.m = 0 refused" \
  "${P[@]}" --sites "$T/semi.csv" --price-book "$T/pb.txt"
pb 'cable.48 = 1e308'
expect 1 "line 2: 'cable.48' = 1e+308: a price must be in 0..1e9" "1e308 refused with its range" \
  "${P[@]}" --sites "$T/semi.csv" --price-book "$T/pb.txt"
pb $'cable.48 = 900\ncable.48 = 950'
expect 1 "line 3: 'cable.48' given twice (first on line 2)" "duplicate key refused" \
  "${P[@]}" --sites "$T/semi.csv" --price-book "$T/pb.txt"
pb 'base = defaults'
expect 1 "given twice" "duplicate 'base' refused" "${P[@]}" --sites "$T/semi.csv" --price-book "$T/pb.txt"
pb 'closure.each = 0x10'
expect 1 "is not a number (plain decimal)" "hex price refused" "${P[@]}" --sites "$T/semi.csv" --price-book "$T/pb.txt"
pb 'detour = 11'
expect 1 "detour factor" "detour above 10 refused" "${P[@]}" --sites "$T/semi.csv" --price-book "$T/pb.txt"
pb 'engineering.share = 1.5'
expect 1 "a share must be in 0..1" "share above 1 refused" "${P[@]}" --sites "$T/semi.csv" --price-book "$T/pb.txt"
pb 'drum.m = 2000'
expect 0 "" "a valid price book is accepted" "${P[@]}" --sites "$T/semi.csv" --price-book "$T/pb.txt"

# ---- 12: STP ----
printf 'SECTION Graph\nNodes 3\nEdges 2\nE 1 2 1e308\nE 2 3 1e308\nEND\nSECTION Terminals\nT 1\nT 3\nEND\nEOF\n' >"$T/w.stp"
expect 1 "w.stp line 4: edge weight must be finite and >= 0 and at most 1e12" "weight 1e308 refused" "$G" steiner "$T/w.stp"
printf '33D32945 STP File\nSECTION Graph\nNodes 100000000\nEdges 1\nE 1 2 1\nEND\nSECTION Terminals\nT 1\nT 2\nEND\nEOF\n' >"$T/big.stp"
t0=$(date +%s)
expect 1 "big.stp line 3: 'Nodes' larger than the file" "Nodes 100000000 in a small file refused" \
  "$G" steiner "$T/big.stp"
[ $(( $(date +%s) - t0 )) -le 2 ] && ok "refused at once" || bad "Nodes check took too long"
printf 'SECTION Graph\nNodes 3\nEdges 2\nE 1 2 0x1p3\nE 2 3 1\nEND\nSECTION Terminals\nT 1\nT 3\nEND\n' >"$T/hex.stp"
expect 1 "bad edge weight" "hex weight refused" "$G" steiner "$T/hex.stp"
printf 'SECTION Graph\nNodes 3\nEdges 2\nE 1 2 1e12\nE 2 3 1e12\nEND\nSECTION Terminals\nT 1\nT 3\nEND\n' >"$T/max.stp"
expect 0 "" "weights at the bound solve" "$G" steiner "$T/max.stp"

# ---- 13: GeoJSON limits ----
python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
pt = {"type": "Point", "coordinates": [1.2, 6.1]}
json.dump({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": pt,
           "properties": {"p%d" % i: i for i in range(100000)}}]}, open(t + "/wide.geojson", "w"))
fs = [{"type": "Feature", "geometry": pt, "properties": {"id": "s%d" % i, "k%d" % i: 1}} for i in range(1100)]
json.dump({"type": "FeatureCollection", "features": fs}, open(t + "/many_keys.geojson", "w"))
json.dump({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": pt,
           "properties": {"id": "deep", "x": json.loads("[" * 70 + "]" * 70)}}]}, open(t + "/deep.geojson", "w"))
PY
t0=$(date +%s)
expect 1 "wide.geojson: more than 1000 distinct property names (feature 1)" \
  "100,000 properties refused" "${P[@]}" --sites "$T/wide.geojson"
[ $(( $(date +%s) - t0 )) -le 3 ] && ok "refused in seconds, not minutes" || bad "GeoJSON guard too slow"
expect 1 "more than 1000 distinct property names (feature 100" "distinct names counted over features" \
  "${P[@]}" --sites "$T/many_keys.geojson"
expect 1 "levels of nesting" "nesting beyond 64 refused" "${P[@]}" --sites "$T/deep.geojson"
expect 1 "more than 1000 distinct" "the guard covers street networks too" \
  "$G" plan --roads "$T/wide.geojson" --import-only

[ "$fail" = 0 ] && echo "all hostile-input checks passed"
exit "$fail"
