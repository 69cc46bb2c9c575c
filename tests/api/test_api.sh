#!/usr/bin/env bash
# test_api.sh - Start the real `govnet serve` on a free loopback port with a
# temporary store and drive it over HTTP with curl: every documented route
# answers and every route is documented, filters and paging, site edits,
# bad requests (malformed JSON, unknown routes, oversize bodies, missing or
# wrong token, bad bbox, unknown parameters, path traversal, long URLs),
# slow clients, and a graceful SIGTERM shutdown that loses no write.
# Env: GOVNET, GN_BUILD_DIR, GN_SOURCE_DIR (set by ctest).
set -u
: "${GOVNET:?}" "${GN_BUILD_DIR:?}" "${GN_SOURCE_DIR:?}"
for tool in curl node; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
FIXTURE="$GN_BUILD_DIR/test_server"
[ -x "$FIXTURE" ] || { echo "FAIL: $FIXTURE (fixture maker) not built"; exit 1; }

. "$GN_SOURCE_DIR/tests/api/serve_lib.sh"
tmp=$(mktemp -d)
cleanup() {
  gn_stop
  [ "${failn:-0}" = 0 ] || { echo "--- server log (tail):"; tail -n 15 "$tmp/err"; }
  rm -rf "$tmp"
}
trap cleanup EXIT

pass=0
failn=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { failn=$((failn + 1)); echo "FAIL - $* (code ${code:-})"; }
check() { # check DESCRIPTION COND...
  local d=$1; shift
  if "$@"; then ok "$d"; else bad "$d"; fi
}

TOKEN="api-test-token-$$"
printf '%s\n' "$TOKEN" >"$tmp/token"
"$FIXTURE" --make-fixture "$tmp/net.gpkg" || { echo "FAIL: cannot make the fixture store"; exit 1; }
cat >"$tmp/regions.geojson" <<'EOF'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"shapeName":"Maritime"},
"geometry":{"type":"Polygon","coordinates":[[[1.1,6.1],[1.4,6.1],[1.4,6.3],[1.1,6.3],[1.1,6.1]]]}}]}
EOF

start_server() { # start_server EXTRA_ARGS...
  gn_serve "$GOVNET" "$tmp/out" "$tmp/err" --db "$tmp/net.gpkg" --token-file "$tmp/token" \
    --boundaries "$tmp/regions.geojson" --web-dir "$GN_SOURCE_DIR/web" --threads 2 \
    --max-body 65536 --max-page 50 --timeout 2 "$@"
  port=$gn_port
  base="http://127.0.0.1:$port"
}

# req METHOD PATH [curl args...]: sets $code, body in $tmp/body
req() {
  local m=$1 p=$2; shift 2
  code=$(curl -s -o "$tmp/body" -w '%{http_code}' -X "$m" "$@" "$base$p")
}
auth=(-H "Authorization: Bearer $TOKEN")
js() { node -e "const d=JSON.parse(require('fs').readFileSync('$tmp/body','utf8'));console.log(($1))"; }
is_error() { # is_error NAME: body is {"error":NAME,"message":non-empty}
  [ "$(js "d.error + '|' + (typeof d.message === 'string' && d.message.length > 0)")" = "$1|true" ]
}

start_server

# ---- the OpenAPI document and the route list ----
req GET /api/openapi.json
check "openapi.json answers 200" [ "$code" = 200 ]
ops=$(js "Object.entries(d.paths).flatMap(([p,o])=>Object.keys(o).map(m=>m.toUpperCase()+' '+p)).sort().join('\n')")
expected=$(sort <<'EOF'
GET /api/health
GET /api/openapi.json
GET /api/boundaries
GET /api/places
GET /api/basemap
GET /api/sites
GET /api/pops
GET /api/trenches
GET /api/cables
GET /api/circuits
GET /api/sites/{id}
GET /api/pops/{id}
GET /api/trenches/{id}
GET /api/cables/{id}
GET /api/circuits/{id}
GET /api/trace
GET /api/impact
GET /api/summary
GET /api/bom
POST /api/sites
PATCH /api/sites/{id}
DELETE /api/sites/{id}
POST /api/login
POST /api/logout
GET /api/me
GET /api/users
GET /api/users/{id}
POST /api/users
PATCH /api/users/{id}
GET /api/orgs
POST /api/orgs
GET /api/audit
GET /api/build/packages
POST /api/build/packages
PATCH /api/build/packages/{id}
POST /api/build/reports
GET /api/build/status
GET /api/build/supervision
GET /api/ofds
GET /api/occupancy
POST /api/quotes
POST /api/leases
GET /api/leases
GET /api/leases/{id}
POST /api/leases/{id}/activate
POST /api/leases/{id}/terminate
POST /api/alerts
GET /api/incidents
GET /api/locate
PATCH /api/incidents/{id}
POST /api/hotspot/login
POST /api/hotspot/aaa
EOF
)
check "openapi documents exactly the served routes" [ "$ops" = "$expected" ]
[ "$ops" = "$expected" ] || diff <(echo "$expected") <(echo "$ops")
check "write routes (but sign-in) declare bearer security" \
  [ "$(js "['post','patch','delete'].every(m=>Object.entries(d.paths).every(([p,o])=>!o[m]||o[m].security||/login|logout/.test(p)))")" = true ]

# ids from the layers for the {id} routes
req GET "/api/cables?limit=1"
cable=$(js "d.features[0].id")
req GET "/api/trenches?limit=1"
trench=$(js "d.features[0].id")
req GET /api/summary
check "summary answers 200" [ "$code" = 200 ]

# every documented route answers (2xx) with valid parameters
declare -A sample=(
  ["/api/sites/{id}"]="/api/sites/osm:101" ["/api/pops/{id}"]="/api/pops/POP-LOME"
  ["/api/trenches/{id}"]="/api/trenches/$trench" ["/api/cables/{id}"]="/api/cables/$cable"
  ["/api/circuits/{id}"]="/api/circuits/1" ["/api/trace"]="/api/trace?fiber=1"
  ["/api/impact"]="/api/impact?trench=$trench"
  ["/api/locate"]="/api/locate?site=osm:101&distance=40"
)
while read -r m p; do
  [ "$m" = GET ] || continue
  [ "$p" = "/api/users/{id}" ] && continue # no user in this store (tests/api/test_auth.sh)
  case $p in /api/leases*) continue ;; esac # tenant data: tests/cli/test_lease.sh
  u=${sample[$p]:-$p}
  req GET "$u" "${auth[@]}"
  check "documented route GET $p answers ($u -> $code)" [ "${code:0:1}" = 2 ]
done <<<"$ops"
site='{"type":"Feature","geometry":{"type":"Point","coordinates":[1.2450,6.1450]},
  "properties":{"id":"api:1","name":"Mairie de Lomé","category":"admin","priority":50}}'
req POST /api/sites "${auth[@]}" -H 'Content-Type: application/geo+json' -d "$site"
check "POST /api/sites creates (201)" [ "$code" = 201 ]
check "created site echoes its name" [ "$(js "d.properties.name")" = "Mairie de Lomé" ]
loc=$(curl -s -D - -o /dev/null -X POST "${auth[@]}" "$base/api/sites" -d "${site/api:1/api:2}" | tr -d '\r' | sed -n 's/^Location: //Ip')
check "POST answers Location /api/sites/api:2" [ "$loc" = /api/sites/api:2 ]
req POST /api/sites "${auth[@]}" -d "$site"
check "POST of an existing id is a conflict (409 ECONFLICT)" eval '[ "$code" = 409 ] && is_error ECONFLICT'
req GET /api/sites/api:1   # now in the answer cache
req PATCH /api/sites/api:1 "${auth[@]}" -d '{"type":"Feature","properties":{"name":"Hôtel de ville"}}'
check "PATCH /api/sites/{id} answers 200" [ "$code" = 200 ]
req GET /api/sites/api:1
check "GET after PATCH sees the change (cache dropped)" [ "$(js "d.properties.name")" = "Hôtel de ville" ]
check "PATCH changed the name and kept the category" \
  [ "$(js "d.properties.name + '/' + d.properties.category")" = "Hôtel de ville/admin" ]
req PATCH /api/sites/api:1 "${auth[@]}" -d '{"type":"Feature","properties":{"category":"castle"}}'
check "PATCH with a bad category is 400" eval '[ "$code" = 400 ] && is_error EINVAL'
req PATCH /api/sites/api:1 "${auth[@]}" -d '{"type":"Feature","properties":{"id":"other"}}'
check "PATCH cannot change the id (400)" [ "$code" = 400 ]
req DELETE /api/sites/api:1 "${auth[@]}"
check "DELETE /api/sites/{id} answers 204" [ "$code" = 204 ]
req GET /api/sites/api:1
check "deleted site is gone (404 ENOTFOUND)" eval '[ "$code" = 404 ] && is_error ENOTFOUND'
req DELETE /api/sites/osm:101 "${auth[@]}"
check "deleting a site that circuits serve is refused (409)" [ "$code" = 409 ]

# ---- layers: filters and paging ----
req GET "/api/sites?limit=2&offset=1"
check "limit/offset page holds 2 features" [ "$(js "d.features.length")" = 2 ]
check "page reports total and offset" [ "$(js "d.total >= 6 && d.offset === 1 && d.limit === 2")" = true ]
req GET "/api/sites?category=health"
check "category filter keeps only health sites" \
  [ "$(js "d.features.length === 2 && d.features.every(f=>f.properties.category==='health')")" = true ]
req GET "/api/sites?bbox=1.2240,6.1290,1.2320,6.1340"
check "bbox filter keeps the sites inside it" [ "$(js "d.features.map(f=>f.properties.id).sort().join()")" = "osm:101,osm:105" ]
req GET "/api/sites?bbox=10,10,11,11"
check "bbox far away gives an empty collection" [ "$(js "d.type + d.features.length")" = FeatureCollection0 ]
req GET "/api/trenches"
check "trenches are LineStrings with their plan ids" \
  [ "$(js "d.features.every(f=>f.geometry.type==='LineString') && d.features.some(f=>String(f.id)==='16')")" = true ]
req GET "/api/circuits?site=osm:102"
check "circuits?site= keeps the site's circuits" \
  [ "$(js "d.features.length >= 1 && d.features.every(f=>f.properties.site==='osm:102')")" = true ]
check "a circuit's geometry follows its trenches" [ "$(js "d.features[0].geometry.type")" = MultiLineString ]
req GET "/api/circuits?site=nope:1"
check "circuits of an unknown site is 404" [ "$code" = 404 ]
req GET "/api/sites/osm:102"
site_circuits=$(js "d.properties.circuits")
site_circuit=$(js "d.properties.circuit")
cpe=$(js "d.properties.cpe_port")
check "a site names its working circuit and CPE port" \
  [ "$(js "Number.isInteger(d.properties.circuit) && Number.isInteger(d.properties.cpe_port)")" = true ]
req GET "/api/trace?port=$cpe"
check "trace from the site's CPE port is its working circuit" [ "$code|$(js "d.circuit")" = "200|$site_circuit" ]
check "that trace has a loss budget at 1310 and 1550 nm" \
  [ "$(js "d.loss_db['1310'] > d.loss_db['1550'] && d.loss_db['1550'] > 0 && d.length_m > 0")" = true ]
req GET "/api/circuits?site=osm:102&limit=1"
check "circuits?site= total is the site's circuit count, paged" \
  [ "$(js "d.total + '|' + d.features.length")" = "$site_circuits|1" ]
req GET "/api/circuits?site=osm:102&bbox=10,10,11,11"
check "circuits?site= combines with bbox" [ "$code|$(js "d.total")" = "200|0" ]
req GET "/api/sites?site=osm:102"
check "site= is not a parameter of the sites layer (400)" [ "$code" = 400 ]
req GET "/api/impact?trench=11"
check "cutting the POP trench takes down every site" [ "$(js "d.sites.length")" = 6 ]
check "impact ranks health first" [ "$(js "d.sites[0].category")" = health ]
req GET "/api/impact?trench=12&trench=13"
check "repeated trench= cuts several trenches" [ "$code" = 200 ]
req GET "/api/boundaries"
check "boundaries serve the --boundaries file" [ "$(js "d.features[0].properties.shapeName")" = Maritime ]
req GET "/api/bom"
check "bom is an object" [ "$(js "typeof d === 'object' && !Array.isArray(d)")" = true ]
check "bom carries the plan cost (6 trenches x 13.75 M FCFA)" \
  [ "$(js "d.cost_fcfa + '|' + d.cost_source")" = "82500000|trenches" ]

# a commit by another process (the CLI) is seen at once
req GET "/api/trace?fiber=1"
check "trace of fiber 1: not broken" [ "$(js "d.broken")" = false ]
"$GOVNET" db fiber break "$tmp/net.gpkg" 1 --note "api test" --user test >/dev/null 2>&1
req GET "/api/trace?fiber=1"
check "CLI 'db fiber break' while serving is visible in the next trace" [ "$(js "d.broken")" = true ]
"$GOVNET" db fiber repair "$tmp/net.gpkg" 1 --user test >/dev/null 2>&1

# ---- bad requests ----
req GET /api/nope
check "unknown route is 404 JSON ENOTFOUND" eval '[ "$code" = 404 ] && is_error ENOTFOUND'
req GET /api/sites/osm:999
check "unknown site is 404 JSON" eval '[ "$code" = 404 ] && is_error ENOTFOUND'
req GET "/api/trenches/999999"
check "unknown trench is 404" [ "$code" = 404 ]
for b in "1,2,3" "1,2,3,4,5" "3,6,1,7" "-200,0,0,1" "a,b,c,d" "1,2,3,4x"; do
  req GET "/api/sites?bbox=$b"
  check "bad bbox '$b' is 400 EINVAL" eval '[ "$code" = 400 ] && is_error EINVAL'
done
req GET "/api/sites?limit=51"
check "limit above the max page size is 400" [ "$code" = 400 ]
req GET "/api/sites?limit=0"
check "limit 0 is 400" [ "$code" = 400 ]
req GET "/api/sites?category=castle"
check "unknown category is 400" [ "$code" = 400 ]
req GET "/api/sites?colour=red"
check "undeclared query parameter is 400" eval '[ "$code" = 400 ] && is_error EINVAL'
req GET "/api/sites?limit=1&limit=2"
check "repeated single parameter is 400" [ "$code" = 400 ]
req GET "/api/trace?fiber=1&port=1"
check "trace with fiber and port is 400" [ "$code" = 400 ]
req GET "/api/trace?fiber=abc"
check "trace with a non-numeric id is 400" [ "$code" = 400 ]
req GET "/api/impact"
check "impact without a cut is 400" [ "$code" = 400 ]
req GET "/api/impact?trench=987654"
check "impact on an unknown trench is 404" [ "$code" = 404 ]
# an OTDR distance pinned on the map: the API answers what the CLI does
req GET "/api/locate?site=osm:101&distance=40" "${auth[@]}"
cli=$("$GOVNET" monitor locate "$tmp/net.gpkg" --site osm:101 --distance 40 --json 2>&1)
check "locate: a trench, a point, the same as the CLI" eval \
  '[ "$code" = 200 ] && [ "$(js "d.trench>0 && d.point.coordinates.length==2 && d.down.includes(\"osm:101\")")" = true ] && [ "$(tr -d "\n" <"$tmp/body")" = "$cli" ]'
req GET "/api/locate?site=osm:101" "${auth[@]}"
check "locate without distance is 400 naming it" eval '[ "$code" = 400 ] && grep -q distance "$tmp/body"'
req GET "/api/locate?site=nope&distance=40" "${auth[@]}"
check "locate on an unknown site is 404" [ "$code" = 404 ]
req GET "/api/locate?site=osm:101&distance=1e9" "${auth[@]}"
check "locate beyond any fiber is 400" [ "$code" = 400 ]
req PUT /api/sites
check "wrong method on a route is 405 EMETHOD" eval '[ "$code" = 405 ] && is_error EMETHOD'
req DELETE /index.html
check "wrong method on a static file is 405" eval '[ "$code" = 405 ] && is_error EMETHOD'
req POST /api/sites -d "$site"
check "POST without token is 401 EAUTH" eval '[ "$code" = 401 ] && is_error EAUTH'
req PATCH /api/sites/osm:102 -d '{"type":"Feature","properties":{}}'
check "PATCH without token is 401" [ "$code" = 401 ]
req DELETE /api/sites/osm:102
check "DELETE without token is 401" [ "$code" = 401 ]
req DELETE /api/sites/osm:102 -H "Authorization: Bearer wrong-token-000"
check "DELETE with a wrong token is 401" [ "$code" = 401 ]
req GET /api/sites/osm:102
check "refused writes changed nothing" [ "$code" = 200 ]
req POST /api/sites "${auth[@]}" -d '{"type":"Feature",'
check "malformed JSON is 400 EINVAL naming line/column" \
  eval '[ "$code" = 400 ] && is_error EINVAL && grep -q "line 1" "$tmp/body"'
req POST /api/sites "${auth[@]}" -d '[1,2]'
check "JSON that is not a Feature is 400" [ "$code" = 400 ]
req POST /api/sites "${auth[@]}" -d '{"type":"Feature","geometry":{"type":"Point","coordinates":[500,6]},"properties":{"id":"x:1"}}'
check "out-of-range coordinates are 422 EGEOM" eval '[ "$code" = 422 ] && is_error EGEOM'
req POST /api/sites "${auth[@]}" -d '{"type":"Feature","geometry":{"type":"Point","coordinates":[1.2,6.1]},"properties":{"name":"no id"}}'
check "a site without id is 400" [ "$code" = 400 ]
head -c 200000 /dev/zero | tr '\0' ' ' >"$tmp/big"
req POST /api/sites "${auth[@]}" --data-binary @"$tmp/big"
check "oversize body is 413 ELIMIT" eval '[ "$code" = 413 ] && is_error ELIMIT'
req POST /api/sites "${auth[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/big"
check "oversize chunked body is cut off (no 2xx)" [ "${code:0:1}" != 2 ]
long=$(head -c 20000 /dev/zero | tr '\0' 'a')
req GET "/api/sites?x=$long"
check "overlong URL is refused (414/431/413: $code)" eval '[ "$code" = 414 ] || [ "$code" = 431 ] || [ "$code" = 413 ]'
req GET "/../../etc/passwd" --path-as-is
check "path traversal is 404" [ "$code" = 404 ]
req GET "/node_modules/leaflet/package.json"
check "node_modules is not served directly" [ "$code" = 404 ]

# ---- static UI ----
req GET /
check "/ serves the map page" eval '[ "$code" = 200 ] && grep -q "app.js" "$tmp/body"'
if [ -f "$GN_SOURCE_DIR/web/node_modules/leaflet/dist/leaflet.css" ]; then
  req GET /vendor/leaflet/leaflet.css
  check "Leaflet is served under /vendor/leaflet/" [ "$code" = 200 ]
fi
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$base/i18n.js")
check "ES modules are text/javascript" [ "${ctype%%;*}" = text/javascript ]

# ---- keep-alive and slow clients ----
n=$(curl -sv "$base/api/health" "$base/api/sites/osm:102" "$base/api/nope" 2>&1 | grep -c 'Re-using')
check "keep-alive: one connection serves 3 requests" [ "$n" = 2 ]
t0=$(date +%s)
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /api/health HTTP/1.1\r\nHost: x\r\n' >&3   # never finishes the headers
timeout 10 cat <&3 >/dev/null
exec 3<&-
dt=$(( $(date +%s) - t0 ))
check "slow client is dropped by the timeout (${dt}s, --timeout 2)" [ "$dt" -le 5 ]
req GET /api/health
check "server still answers after the slow client" [ "$code" = 200 ]

# ---- graceful shutdown: the last write survives ----
req POST /api/sites "${auth[@]}" -d "${site/api:1/api:last}"
check "write before shutdown accepted" [ "$code" = 201 ]
kill -TERM "$gn_pid"
wait "$gn_pid"
rc=$?
gn_pid=""
check "SIGTERM: exit code 0" [ "$rc" = 0 ]
check "SIGTERM: stopped cleanly" grep -q "stopped cleanly" "$tmp/err"
check "access log names requests" grep -q "^GET /api/health 200" "$tmp/err"
start_server
req GET /api/sites/api:last
check "write acknowledged before SIGTERM is there after restart" [ "$code" = 200 ]
req GET "/api/health"
check "restarted server is healthy" [ "$(js "d.status")" = ok ]

# a server without a token refuses every write
gn_stop
# (and, started with --max-connections 2, refuses a third connection)
gn_serve "$GOVNET" "$tmp/out" "$tmp/err" --db "$tmp/net.gpkg" --max-connections 2 --timeout 5
base="http://127.0.0.1:$gn_port"
req POST /api/sites -H "Authorization: Bearer $TOKEN" -d "$site"
check "no --token-file: writes are 401" [ "$code" = 401 ]
exec 4<>"/dev/tcp/127.0.0.1/$gn_port" 5<>"/dev/tcp/127.0.0.1/$gn_port"
sleep 0.3
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$base/api/health")
check "connection limit: a third connection is refused ($code)" [ "$code" = 000 ]
exec 4<&- 5<&-
sleep 0.3
req GET /api/health
check "connection limit: served again once the others close" [ "$code" = 200 ]
"$GOVNET" serve --db "$tmp/missing.gpkg" --listen 127.0.0.1:0 >/dev/null 2>"$tmp/err2"
rc=$?
check "a missing store is a clear startup error" eval '[ $rc -ne 0 ] && grep -q "missing.gpkg" "$tmp/err2"'
"$GOVNET" serve --db "$tmp/net.gpkg" --listen nowhere >/dev/null 2>"$tmp/err2"
rc=$?
check "a bad --listen is a usage error (exit 2)" [ $rc = 2 ]

echo "$pass passed, $failn failed"
[ "$failn" = 0 ]
