#!/usr/bin/env bash
# test_mistakes.sh - The usual mistakes get a clear, actionable message and
# leave no output file: swapped or far POP coordinates (points and street
# mode), a missing or non-vector sites file, `report` on a store, mistyped
# commands and options ("did you mean"), and `db export` to CSV.
# Env: GOVNET, GN_BUILD_DIR, GN_SOURCE_DIR (set by ctest); GN_DATA_DIR.
set -u
: "${GOVNET:?}" "${GN_BUILD_DIR:?}" "${GN_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
check() { local d=$1; shift; if "$@"; then pass=$((pass + 1)); echo "ok - $d"; else failn=$((failn + 1)); echo "FAIL - $d"; cat "$tmp/err"; fi; }
run() { "$GOVNET" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
has() { grep -qF -- "$1" "$tmp/err"; }

# a small site file (Lomé-like coordinates) so the test needs no shared data
sites="$tmp/sites.geojson"
python3 - "$sites" <<'PY'
import json, sys
feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.20 + 0.01 * (i % 7), 6.12 + 0.01 * (i // 7)]},
          "properties": {"id": f"s{i}", "name": f"Site {i}", "category": "education"}} for i in range(30)]
json.dump({"type": "FeatureCollection", "features": feats}, open(sys.argv[1], "w"))
PY

run plan --sites "$sites" --pop 6.13,1.22 --out "$tmp/p.gpkg"
check "swapped --pop is refused (exit $rc)" [ "$rc" = 1 ]
check "the message suggests the swap" has "did you mean --pop 1.22,6.13 (longitude first)?"
check "no plan file is left" [ ! -e "$tmp/p.gpkg" ]
run plan --sites "$sites" --pop 2.5,7.5 --out "$tmp/p.gpkg"
check "a POP 200 km away is refused, naming the sites' extent" eval '[ "$rc" = 1 ] && has "outside the sites'"'"' extent"'
run plan --sites "$sites" --pop 1.23,6.14 --out "$tmp/p.gpkg"
check "a POP among the sites is accepted" [ "$rc" = 0 ]
osm="${GN_DATA_DIR:-}/osm/accra_trotro_routes_2017.osm"
if [ -f "$osm" ]; then
  sed 's/"coordinates": \[1\.2/"coordinates": [-0.2/; s/, 6\.1/, 5.5/' "$sites" >"$tmp/accra.geojson"
  run plan --roads "$osm" --sites "$tmp/accra.geojson" --pop 5.57,-0.17 --out "$tmp/a.gpkg"
  check "street mode: a swapped POP is refused too" eval '[ "$rc" != 0 ] && has "latitude and longitude look swapped"'
fi

run plan --sites "$tmp/nope.geojson" --pop 1.22,6.13 --out "$tmp/p2.gpkg"
check "a missing sites file: 'cannot open F: no such file'" has "cannot open $tmp/nope.geojson: no such file"
run plan --sites "$GN_SOURCE_DIR/README.md" --pop 1.22,6.13 --out "$tmp/p2.gpkg"
check "a README as sites: 'is not a vector dataset'" has "README.md is not a vector dataset (GeoJSON, CSV, GPKG, SHP)"
check "no plan file after a bad input" [ ! -e "$tmp/p2.gpkg" ]

"$GOVNET" db import-plan "$tmp/net.gpkg" "$tmp/p.gpkg" >/dev/null 2>&1
run report "$tmp/net.gpkg" --out "$tmp/r.html"
check "report on a store says it needs a plan" eval '[ "$rc" = 1 ] && has "is a govnet store (system of record), not a plan"'
check "no report is left" [ ! -e "$tmp/r.html" ]

run plna
check "'govnet plna' suggests plan (exit 2)" eval '[ "$rc" = 2 ] && has "did you mean plan?"'
run serve --port 8080 --db "$tmp/net.gpkg"
check "'serve --port' hints --listen" has "did you mean --listen ADDR:PORT"
run plan --sties "$sites"
check "'plan --sties' suggests --sites" has "did you mean --sites?"
run db imprt-plan "$tmp/x.gpkg" "$tmp/p.gpkg"
check "'db imprt-plan' suggests import-plan" has "did you mean import-plan?"
run report --lnag fr "$tmp/p.gpkg"
check "'report --lnag' suggests --lang" has "did you mean --lang?"

run db export "$tmp/net.gpkg" --out "$tmp/sites.csv"
check "db export --out F.csv writes the sites as a table" \
  eval '[ "$rc" = 0 ] && [ "$(head -1 "$tmp/sites.csv" | cut -d, -f1-3)" = "id,name,category" ] && [ "$(wc -l <"$tmp/sites.csv")" = 31 ]'
check "points carry lon,lat" eval 'head -1 "$tmp/sites.csv" | grep -q ",lon,lat$"'
run db export "$tmp/net.gpkg" --out "$tmp/trenches.txt" --format csv --layer trenches
check "--format csv --layer trenches writes WKT lines" eval '[ "$rc" = 0 ] && grep -q "\"LINESTRING (" "$tmp/trenches.txt"'
run db export "$tmp/net.gpkg" --out "$tmp/sites.csv"
check "export never overwrites" eval '[ "$rc" = 1 ] && has "exists"'
echo "$pass passed, $failn failed"
[ "$failn" = 0 ]
