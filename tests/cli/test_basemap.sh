#!/usr/bin/env bash
# test_basemap.sh - `govnet basemap` builds vector tiles from the real Accra
# OSM extract (XML, so through osmium, then tilemaker), and `govnet serve
# --basemap` serves them at /tiles/{z}/{x}/{y}.pbf straight from the
# MBTiles file: a tile over central Accra is a gzip'd Mapbox vector tile
# holding the streets layer, a tile without data is 204 (empty), /api/basemap describes
# it; the web map draws it (chromium); bad inputs are refused naming the file. Skips (77) without tilemaker,
# osmium or the shared data.
# Env: GOVNET, GN_BUILD_DIR, GN_SOURCE_DIR (set by ctest); GN_DATA_DIR.
set -u
: "${GOVNET:?}" "${GN_BUILD_DIR:?}" "${GN_SOURCE_DIR:?}"
osm="${GN_DATA_DIR:-}/osm/accra_trotro_routes_2017.osm"
for t in tilemaker osmium curl python3; do
  command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
[ -f "$osm" ] || { echo "SKIP: $osm absent"; exit 77; }
. "$GN_SOURCE_DIR/tests/api/serve_lib.sh"
tmp=$(mktemp -d)
cleanup() { gn_stop; rm -rf "$tmp"; }
trap cleanup EXIT
check() { gn_check "$@"; }

TMPDIR="$tmp" "$GOVNET" basemap --osm "$osm" --out "$tmp/accra.mbtiles" >"$tmp/out" 2>"$tmp/err"
check "basemap builds from the Accra extract ($(cat "$tmp/out" "$tmp/err"))" [ -s "$tmp/accra.mbtiles" ]
check "no temporary files are left" [ -z "$(ls -A "$tmp" | grep -v '^accra.mbtiles$\|^out$\|^err$')" ]
"$GOVNET" basemap --osm "$tmp/nope.osm" --out "$tmp/x.mbtiles" 2>"$tmp/err"
check "a missing extract: 'cannot open F: no such file'" grep -q "cannot open $tmp/nope.osm: no such file" "$tmp/err"
"$GOVNET" basemap --osm "$GN_SOURCE_DIR/README.md" --out "$tmp/x.mbtiles" 2>"$tmp/err"
check "a README as extract is refused, no output left" eval '[ -s "$tmp/err" ] && [ ! -e "$tmp/x.mbtiles" ]'

"$GN_BUILD_DIR/test_server" --make-fixture "$tmp/net.gpkg" >/dev/null
gn_serve "$GOVNET" "$tmp/sout" "$tmp/serr" --db "$tmp/net.gpkg" --basemap "$tmp/accra.mbtiles" --quiet
base="http://127.0.0.1:$gn_port"
info=$(curl -s "$base/api/basemap")
check "/api/basemap describes the tiles ($info)" eval 'grep -q "\"tiles\":\"/tiles/{z}/{x}/{y}.pbf\"" <<<"$info" && grep -q "\"maxzoom\":14" <<<"$info"'
# the zoom-14 tile over Accra's centre (Makola, -0.2068, 5.5497)
read -r x y < <(python3 -c "
import math
lon, lat, z = -0.2068, 5.5497, 14
n = 2 ** z
x = int((lon + 180) / 360 * n)
y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
print(x, y)")
code=$(curl -s -D "$tmp/h" -o "$tmp/tile.gz" -w '%{http_code}' -H 'Accept-Encoding: gzip' "$base/tiles/14/$x/$y.pbf")
check "tile 14/$x/$y answers 200" [ "$code" = 200 ]
check "it is a gzip'd vector tile" eval 'grep -qi "^content-encoding: gzip" "$tmp/h" && grep -qi "^content-type: application/vnd.mapbox-vector-tile" "$tmp/h"'
gzip -dc "$tmp/tile.gz" >"$tmp/tile.pbf"
check "it holds the streets layer with names ($(stat -c %s "$tmp/tile.pbf") bytes)" \
  eval 'grep -aq streets "$tmp/tile.pbf" && grep -aq name "$tmp/tile.pbf"'
code=$(curl -s -o "$tmp/plain" -w '%{http_code}' "$base/tiles/14/$x/$y.pbf")
check "a client without gzip gets the same tile inflated" eval '[ "$code" = 200 ] && cmp -s "$tmp/plain" "$tmp/tile.pbf"'
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/tiles/14/0/0.pbf")
check "a tile outside the extract is empty (204)" [ "$code" = 204 ]
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/tiles/3/99/1.pbf")
check "an impossible tile is 404" [ "$code" = 404 ]
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/tiles/14/x/1.pbf")
check "a malformed tile URL is 404" [ "$code" = 404 ]
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && command -v node >/dev/null &&
   [ -d "$GN_SOURCE_DIR/web/node_modules/leaflet.vectorgrid" ]; then
  timeout 120 node "$GN_SOURCE_DIR/tests/web/basemap.mjs" "$base/" "$GN_BUILD_DIR/web_basemap.png"
  check "the web map draws the basemap under the network (chromium)" [ $? = 0 ]
fi
gn_stop
"$GOVNET" serve --db "$tmp/net.gpkg" --basemap "$GN_SOURCE_DIR/README.md" --listen 127.0.0.1:0 >/dev/null 2>"$tmp/err"
check "serve refuses a basemap that is not MBTiles" grep -q "README.md" "$tmp/err"
gn_checks_done
