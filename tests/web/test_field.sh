#!/usr/bin/env bash
# test_field.sh - The field page (web/field.html) offline then online in
# headless Debian chromium, against a real `govnet serve` over a synthetic
# store with saved work packages; afterwards the store holds each report
# exactly once. Skips (77) only without chromium/node/sqlite3.
set -u
: "${GOVNET:?}" "${GN_SOURCE_DIR:?}"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM not installed"; exit 77; }
for t in node sqlite3; do command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }; done
[ -d "$GN_SOURCE_DIR/web/node_modules/playwright-core" ] ||
  { echo "FAIL: web/node_modules missing: run 'npm ci' in web/ (scripts/setup.sh does)"; exit 1; }
. "$GN_SOURCE_DIR/tests/api/serve_lib.sh"
tmp=$(mktemp -d)
cleanup() { gn_stop; rm -rf "$tmp"; }
trap cleanup EXIT
TOKEN="field-test-token-$$"
echo "$TOKEN" >"$tmp/token"
DB="$tmp/net.db"
"$GOVNET" db init "$DB" >/dev/null && "$GOVNET" db import-plan "$DB" --synthetic 200 --seed 4 >/dev/null 2>&1 &&
  "$GOVNET" build packages "$DB" --target-km 40 --save >/dev/null || { echo "FAIL: store"; exit 1; }
gn_serve "$GOVNET" "$tmp/out" "$tmp/err" --db "$DB" --web-dir "$GN_SOURCE_DIR/web" --token-file "$tmp/token" --quiet
CHROMIUM="$CHROMIUM" timeout 300 node "$GN_SOURCE_DIR/tests/web/field.mjs" "http://127.0.0.1:$gn_port" "$TOKEN" "$tmp/profile"
rc=$?
n=$(sqlite3 "$DB" "SELECT count(*), count(DISTINCT client_id) FROM build_reports")
if [ "$n" = "3|3" ]; then echo "ok - the store holds the 3 reports once each"; else echo "FAIL - store reports: $n"; rc=1; fi
exit "$rc"
