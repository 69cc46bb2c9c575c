#!/usr/bin/env bash
# test_build_api.sh - The build routes on the real server: cut and save
# packages (every trench once), assign, one report (201), its replay (200,
# nothing written), a skipped step (409 naming the missing step), a batch
# from a phone's outbox answered item by item, status, the token required,
# bad bodies; and the routes in the OpenAPI document.
set -u
: "${GOVNET:?}" "${GN_SOURCE_DIR:?}"
for tool in curl python3 sqlite3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
. "$GN_SOURCE_DIR/tests/api/serve_lib.sh"
tmp=$(mktemp -d)
cleanup() { gn_stop; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
ok() { echo "ok - $*"; }
bad() { echo "FAIL - $*"; fail=1; }

TOKEN="build-api-token-$$"
printf '%s\n' "$TOKEN" >"$tmp/token"
DB="$tmp/net.db"
"$GOVNET" db init "$DB" >/dev/null && "$GOVNET" db import-plan "$DB" --synthetic 80 --seed 5 >/dev/null 2>&1 \
  || { echo "FAIL: cannot make the store"; exit 1; }
gn_serve "$GOVNET" "$tmp/out" "$tmp/err" --db "$DB" --token-file "$tmp/token"
U="http://127.0.0.1:$gn_port"
# req METHOD PATH [BODY] -> $code, body in $tmp/b
req() {
  code=$(curl -s -o "$tmp/b" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${3:+--data-binary "$3"} "$U$2")
}
jq_() { python3 -c "import json,sys; d=json.load(open('$tmp/b')); print($1)"; }

code=$(curl -s -o /dev/null -w '%{http_code}' "$U/api/build/status")
[ "$code" = 401 ] && ok "token required" || bad "no token: $code"
req POST /api/build/packages '{"target_km": 1.5, "save": true}'
[ "$code" = 200 ] && ok "cut and save" || bad "cut: $code $(cat "$tmp/b")"
n_tr=$(sqlite3 "$DB" "SELECT count(*) FROM trenches")
[ "$(jq_ 'len(sorted(t for p in d for t in p["trenches"]))')" = "$n_tr" ] && \
[ "$(jq_ 'len(set(t for p in d for t in p["trenches"]))')" = "$n_tr" ] && ok "every trench once ($n_tr)" || bad "cover"
WP=$(jq_ 'd[0]["id"]'); TR=$(jq_ 'd[0]["trenches"][0]')
req PATCH "/api/build/packages/$WP" '{"org": "SOTRACOM", "crew": "Équipe 1"}'
[ "$code" = 200 ] && [ "$(jq_ 'd[0]["crew"]')" = "Équipe 1" ] && ok assign || bad "assign: $code $(cat "$tmp/b")"
req PATCH "/api/build/packages/WP-NOPE" '{"org": "X"}'
[ "$code" = 404 ] && ok "assign unknown" || bad "assign unknown: $code"
req GET "/api/build/packages"
[ "$code" = 200 ] && [ "$(jq_ 'sum(1 for p in d if p["org"] == "SOTRACOM")')" = 1 ] && ok list || bad "list: $code"

R1='{"client_id":"tel-a-000001","trench":'$TR',"step":"surveyed","who":"Ama","metres":80,"gps":[[1.23,6.14]],"photos":["p1.jpg"],"at":"2026-03-02T08:00:00Z"}'
req POST /api/build/reports "$R1"
[ "$code" = 201 ] && [ "$(jq_ 'd["state"]')" = surveyed ] && ok "report stored" || bad "report: $code $(cat "$tmp/b")"
req POST /api/build/reports "$R1"
[ "$code" = 200 ] && [ "$(jq_ 'd["duplicate"]')" = True ] && ok "replay answered 200" || bad "replay: $code $(cat "$tmp/b")"
req POST /api/build/reports '{"client_id":"tel-a-000002","trench":'$TR',"step":"pulled","who":"Ama"}'
[ "$code" = 409 ] && grep -q "'dug' must come before 'pulled'" "$tmp/b" && ok "skip refused (409)" || bad "skip: $code $(cat "$tmp/b")"
req POST /api/build/reports '{"client_id":"tel-a-000003","trench":"x","step":"dug","who":"Ama"}'
[ "$code" = 400 ] && grep -q '"trench: expected' "$tmp/b" && ok "bad field named" || bad "bad field: $code $(cat "$tmp/b")"
req POST /api/build/reports '{"client_id":'
[ "$code" = 400 ] && grep -q "line 1" "$tmp/b" && ok "malformed JSON" || bad "malformed: $code"
B='[{"client_id":"tel-b-000001","trench":'$TR',"step":"dug","who":"Kofi","metres":40},
    {"client_id":"tel-a-000001","trench":'$TR',"step":"surveyed","who":"Ama"},
    {"client_id":"tel-b-000002","trench":'$TR',"step":"blocked","who":"Kofi","reason":"lava"},
    {"client_id":"tel-b-000003","trench":'$TR',"step":"blocked","who":"Kofi","reason":"permit","note":"mairie"}]'
req POST /api/build/reports "$B"
[ "$code" = 200 ] && [ "$(jq_ '[r["status"] for r in d["results"]]')" = "[201, 200, 400, 201]" ] \
  && [ "$(jq_ '(d["stored"], d["replayed"], d["refused"])')" = "(2, 1, 1)" ] && ok "batch item by item" || bad "batch: $code $(cat "$tmp/b")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM build_reports")" = 3 ] && ok "3 reports stored, none twice" || bad "report rows"
req GET "/api/build/status?package=$WP"
[ "$code" = 200 ] && [ "$(jq_ '[s for s in d if s["trench"] == '$TR'][0]["blocked"]')" = permit ] && ok status || bad "status: $code $(cat "$tmp/b")"
req PATCH "/api/build/packages/$WP" '{"org": "SOTRACOM", "start": "2026-03-02", "end": "2026-03-29"}'
[ "$code" = 200 ] && ok "schedule through PATCH" || bad "schedule: $code $(cat "$tmp/b")"
req GET "/api/build/supervision?as_of=2026-03-20"
[ "$code" = 200 ] && [ "$(jq_ 'len(d["s_curve"]) > 0 and d["blocked"][0]["reason"]')" = permit ] && ok supervision || bad "supervision: $code $(head -c 300 "$tmp/b")"
req GET /api/openapi.json
for op in listWorkPackages cutWorkPackages assignWorkPackage postProgress buildStatus buildSupervision BuildReport; do
  grep -q "\"$op\"" "$tmp/b" || bad "openapi lacks $op"
done
ok "openapi documents the build routes"
exit $fail
