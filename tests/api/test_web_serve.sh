#!/usr/bin/env bash
# test_web_serve.sh - What a weak link needs from `govnet serve`, on the real
# server over the fixture store: gzip for static files and API answers
# (decompressing to the same bytes), content-hashed asset URLs cached for a
# year, ETag/304 for API reads, whole-layer views rebuilt after a commit
# (API write, and with the per-thread cache off), /api/places from a GeoJSON
# of OSM points, /api/basemap and /tiles/ without a basemap.
# Env: GOVNET, GN_BUILD_DIR, GN_SOURCE_DIR (set by ctest).
set -u
: "${GOVNET:?}" "${GN_BUILD_DIR:?}" "${GN_SOURCE_DIR:?}"
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 77; }
. "$GN_SOURCE_DIR/tests/api/serve_lib.sh"
tmp=$(mktemp -d)
cleanup() { gn_stop; rm -rf "$tmp"; }
trap cleanup EXIT
check() { gn_check "$@"; }
hdr() { grep -i "^$1:" "$tmp/h" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
get() { # get PATH [curl args]: headers in $tmp/h, body in $tmp/b, code in $code
  local p=$1; shift
  rm -f "$tmp/b"
  code=$(curl -s -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' "$@" "$base$p")
}

"$GN_BUILD_DIR/test_server" --make-fixture "$tmp/net.gpkg" >/dev/null || { echo "FAIL: fixture"; exit 1; }
printf 'web-serve-token-%s\n' "$$" >"$tmp/token"
cat >"$tmp/places.geojson" <<'GJ'
{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[1.2255,6.1319]},"properties":{"name":"Bè","tag":"place","value":"suburb"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[1.2190,6.1380]},"properties":{"name":"Amoutivé","place":"quarter"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[1.20,6.14]},"properties":{"name":"Lomé","tag":"place","value":"city"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[1.21,6.15]},"properties":{"name":"Pharmacie","tag":"amenity","value":"pharmacy"}}]}
GJ

for mode in cache nocache; do
  extra=()
  [ "$mode" = nocache ] && extra=(--cache-mb 0)
  gn_serve "$GOVNET" "$tmp/out-$mode" "$tmp/err-$mode" --db "$tmp/net.gpkg" --web-dir "$GN_SOURCE_DIR/web" \
    --token-file "$tmp/token" --places "$tmp/places.geojson" --quiet "${extra[@]}"
  base="http://127.0.0.1:$gn_port"
  get /api/sites
  plain=$(cat "$tmp/b")
  etag=$(hdr ETag)
  check "$mode: /api/sites has an ETag ($etag) and is revalidated (no-cache)" \
    eval '[ -n "$etag" ] && [ "$(hdr Cache-Control)" = no-cache ]'
  get /api/sites -H 'Accept-Encoding: gzip'
  check "$mode: /api/sites comes gzip-compressed" [ "$(hdr Content-Encoding)" = gzip ]
  check "$mode: the gzip body is the same JSON" [ "$(gzip -dc "$tmp/b")" = "$plain" ]
  check "$mode: gzip is smaller ($(stat -c %s "$tmp/b") < ${#plain})" [ "$(stat -c %s "$tmp/b")" -lt "${#plain}" ]
  get /api/sites -H "If-None-Match: $etag"
  check "$mode: If-None-Match with the ETag gives 304 and no body" eval '[ "$code" = 304 ] && [ ! -s "$tmp/b" ]'
  get "/api/sites/osm:101" -H "If-None-Match: $etag"
  check "$mode: another answer with that ETag is 200" [ "$code" = 200 ]
  n0=$(grep -o '"total":[0-9]*' <<<"$plain")
  id="web-$mode"
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $(cat "$tmp/token")" \
    -d '{"type":"Feature","geometry":{"type":"Point","coordinates":[1.22,6.13]},"properties":{"id":"'"$id"'","category":"health"}}' \
    "$base/api/sites")
  check "$mode: a site is added" [ "$code" = 201 ]
  get /api/sites -H "If-None-Match: $etag" -H 'Accept-Encoding: gzip'
  check "$mode: after the commit the view is rebuilt (200, new ETag, new site)" \
    eval '[ "$code" = 200 ] && [ "$(hdr ETag)" != "$etag" ] && gzip -dc "$tmp/b" | grep -q "\"$id\""'
  check "$mode: the total moved ($n0 -> $(gzip -dc "$tmp/b" | grep -o '"total":[0-9]*'))" \
    [ "$(gzip -dc "$tmp/b" | grep -o '"total":[0-9]*')" != "$n0" ]
  gn_stop
done

# static files: content-hashed URLs, gzip, long-lived cache headers
gn_serve "$GOVNET" "$tmp/out" "$tmp/err" --db "$tmp/net.gpkg" --web-dir "$GN_SOURCE_DIR/web" \
  --places "$tmp/places.geojson" --quiet
base="http://127.0.0.1:$gn_port"
get / -H 'Accept-Encoding: gzip'
check "/ is gzip-compressed and no-cache" eval '[ "$(hdr Content-Encoding)" = gzip ] && [ "$(hdr Cache-Control)" = no-cache ]'
gzip -dc "$tmp/b" >"$tmp/index.html"
app=$(grep -o '/s/[0-9a-f]*/app.js' "$tmp/index.html" | head -1)
check "index.html names its assets by content hash ($app)" [ -n "$app" ]
check "no unversioned asset URL is left in index.html" eval '! grep -q "/s/@/" "$tmp/index.html"'
get "$app" -H 'Accept-Encoding: gzip'
check "a hashed asset is immutable for a year, gzip'd" \
  eval '[ "$code" = 200 ] && [ "$(hdr Cache-Control)" = "public, max-age=31536000, immutable" ] && [ "$(hdr Content-Encoding)" = gzip ]'
check "the asset is the file" [ "$(gzip -dc "$tmp/b")" = "$(cat "$GN_SOURCE_DIR/web/app.js")" ]
get "${app/\/s\/[0-9a-f]*\//\/s\/000000000000\/}"
check "an old version's URL still answers, but no-cache" eval '[ "$code" = 200 ] && [ "$(hdr Cache-Control)" = no-cache ]'
lf=$(grep -o '/s/[0-9a-f]*/vendor/leaflet/leaflet.js' "$tmp/index.html")
get "$lf" -H 'Accept-Encoding: gzip'
check "Leaflet comes gzip'd under the hashed URL ($(stat -c %s "$tmp/b") bytes)" \
  eval '[ "$code" = 200 ] && [ "$(hdr Content-Encoding)" = gzip ]'
get "$lf" -H "If-None-Match: $(hdr ETag)"
check "a static file revalidates with 304" [ "$code" = 304 ]
get /api/places
check "/api/places keeps the suburb and the quarter, not the city or the pharmacy" \
  eval "[ \"\$(grep -o '\"name\":\"[^\"]*\"' \"\$tmp/b\" | sort | tr '\n' ' ')\" = '\"name\":\"Amoutivé\" \"name\":\"Bè\" ' ]"
get /api/basemap
check "/api/basemap without --basemap is {\"tiles\":null}" [ "$(cat "$tmp/b")" = '{"tiles":null}' ]
get /tiles/0/0/0.pbf
check "/tiles/ without a basemap is 404 naming --basemap" eval '[ "$code" = 404 ] && grep -q basemap "$tmp/b"'
gn_stop
code=0
"$GOVNET" serve --db "$tmp/net.gpkg" --places "$tmp/nope.geojson" --listen 127.0.0.1:0 >/dev/null 2>"$tmp/e" || code=$?
check "a missing --places file is refused naming it" eval '[ "$code" != 0 ] && grep -q nope.geojson "$tmp/e"'
gn_checks_done
