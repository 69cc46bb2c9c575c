#!/usr/bin/env bash
# test_browser.sh - The map UI in headless Debian chromium (playwright-core):
# loads the page from a real `govnet serve` over the Lomé network, checks the
# map shows the sites and trenches, clicks a trench, "Couper ici", sees the
# impact list, switches FR -> EN, searches a site, saves a screenshot as
# $GN_BUILD_DIR/web_screenshot.png (English, end state) and
# web_screenshot_fr.png (French, impact list); then tests/web/layout.mjs:
# phone (390x844), laptop (1366x768), weak-link budget; tests/web/lease.mjs:
# an operator quotes and reserves fiber from the map. Skips (77) only without
# chromium/node.
set -u
: "${GOVNET:?}" "${GN_BUILD_DIR:?}" "${GN_SOURCE_DIR:?}"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM not installed"; exit 77; }
command -v node >/dev/null || { echo "SKIP: node not installed"; exit 77; }
if [ ! -d "$GN_SOURCE_DIR/web/node_modules/playwright-core" ] ||
   [ ! -d "$GN_SOURCE_DIR/web/node_modules/leaflet" ]; then
  echo "FAIL: web/node_modules missing: run 'npm ci' in web/ (scripts/setup.sh does)"
  exit 1
fi
. "$GN_SOURCE_DIR/tests/api/serve_lib.sh"
tmp=$(mktemp -d)
cleanup() {
  gn_stop
  rm -rf "$tmp"
}
trap cleanup EXIT
# Lomé: its 453 public buildings planned in points mode (shared data), or,
# without the shared data, 450 sites from the synthetic plan generator
lome="${GN_DATA_DIR:-}/togo/lome_public_buildings.geojson"
if [ -f "$lome" ]; then
  "$GOVNET" plan --sites "$lome" --pop 1.2278,6.1260 --resilience critical \
    --out "$tmp/plan.gpkg" >/dev/null && "$GOVNET" db import-plan "$tmp/net.gpkg" "$tmp/plan.gpkg" >/dev/null ||
    { echo "FAIL: cannot plan and import Lomé"; exit 1; }
  nsites=453
  expect_cost=1 # the planner's BOM total reaches the dashboard
else
  echo "note: $lome absent, using a synthetic 450-site network"
  "$GOVNET" db import-plan "$tmp/net.gpkg" --synthetic 450 --seed 1 --ring 30 >/dev/null ||
    { echo "FAIL: cannot build the synthetic store"; exit 1; }
  nsites=450
fi
regions="${GN_DATA_DIR:-}/togo/togo_prefectures.geojson"
if [ ! -f "$regions" ]; then
  echo "note: $regions absent, using a one-polygon base map"
  regions="$tmp/regions.geojson"
  cat >"$regions" <<'GJ'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"shapeName":"Golfe"},
"geometry":{"type":"Polygon","coordinates":[[[1.10,6.10],[1.40,6.10],[1.40,6.30],[1.10,6.30],[1.10,6.10]]]}}]}
GJ
fi
AUDITOR_PW="aud-pw-$RANDOM-long"
PLANNER_PW="plan-pw-$RANDOM-long"
printf '%s\n' "$AUDITOR_PW" | "$GOVNET" user add "$tmp/net.gpkg" --name aud --role auditor >/dev/null &&
  printf '%s\n' "$PLANNER_PW" | "$GOVNET" user add "$tmp/net.gpkg" --name plan --role planner >/dev/null ||
  { echo "FAIL: cannot add users"; exit 1; }
# an operator of organisation Moov (the lease panel) and a NOC token to
# check the server's side
OPERATOR_PW="opr-pw-$RANDOM-long"
"$GOVNET" org add "$tmp/net.gpkg" --name Moov --kind operator >/dev/null &&
  printf '%s\n' "$OPERATOR_PW" | "$GOVNET" user add "$tmp/net.gpkg" --name opr --role operator --org Moov >/dev/null &&
  printf '%s\n' "noc-pw-$RANDOM-long" | "$GOVNET" user add "$tmp/net.gpkg" --name noc --role noc >/dev/null ||
  { echo "FAIL: cannot add the operator"; exit 1; }
NOC_TOKEN=$("$GOVNET" user token "$tmp/net.gpkg" --name noc --days 1 2>/dev/null | tail -n 1)
places=()
pts="${GN_DATA_DIR:-}/togo/togo_osm_points_2019.geojson"
[ -f "$pts" ] && places=(--places "$pts")
gn_serve "$GOVNET" "$tmp/out" "$tmp/err" --db "$tmp/net.gpkg" --web-dir "$GN_SOURCE_DIR/web" \
  --boundaries "$regions" "${places[@]}" --quiet
port=$gn_port
shot="$GN_BUILD_DIR/web_screenshot.png"
rm -f "$shot"
AUDITOR_PW=$AUDITOR_PW PLANNER_PW=$PLANNER_PW \
EXPECT_SITES=$nsites EXPECT_IMPACT=1 EXPECT_COST=${expect_cost:-} CHROMIUM="$CHROMIUM" \
  timeout 300 node "$GN_SOURCE_DIR/tests/web/browser.mjs" "http://127.0.0.1:$port/" "$shot" "$tmp/profile"
rc=$?
[ "$rc" = 0 ] && [ -s "$shot" ] && echo "screenshot: $shot"
# phone 390x844, laptop 1366x768, weak link 1.5 Mbit/s + 300 ms RTT
EXPECT_LOME=${expect_cost:-} CHROMIUM="$CHROMIUM" timeout 300 node "$GN_SOURCE_DIR/tests/web/layout.mjs" "http://127.0.0.1:$port/" \
  "${shot%.png}" "$tmp/profile2" || rc=1
# Louer / Lease: an operator quotes and reserves from the map
CHROMIUM="$CHROMIUM" timeout 300 node "$GN_SOURCE_DIR/tests/web/lease.mjs" "http://127.0.0.1:$port/" \
  "$NOC_TOKEN" "$OPERATOR_PW" "$tmp/profile3" || rc=1
exit "$rc"
