#!/usr/bin/env bash
# test_portal.sh - The captive portal (web/portal.html, openNDS FAS level 1)
# in headless Debian chromium against a real `govnet serve` holding
# vouchers and a FAS key (tests/web/portal.mjs); also the login endpoint's
# refusals over plain HTTP. Screenshot: $GN_BUILD_DIR/portal_screenshot.png.
# Skips (77) only without chromium/node.
set -u
: "${GOVNET:?}" "${GN_BUILD_DIR:?}" "${GN_SOURCE_DIR:?}"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM not installed"; exit 77; }
command -v node >/dev/null || { echo "SKIP: node not installed"; exit 77; }
[ -d "$GN_SOURCE_DIR/web/node_modules/playwright-core" ] \
  || { echo "FAIL: web/node_modules missing: run 'npm ci' in web/ (scripts/setup.sh does)"; exit 1; }
. "$GN_SOURCE_DIR/tests/api/serve_lib.sh"
tmp=$(mktemp -d)
trap 'gn_stop; rm -rf "$tmp"' EXIT
fail=0
DB="$tmp/p.gpkg"
KEY=Faskey2027abc
"$GOVNET" hotspot portal-key "$DB" --faskey "$KEY" || { echo "FAIL: portal-key"; exit 1; }
"$GOVNET" hotspot portal-key "$DB" --faskey 'bad key!' 2>/dev/null && { echo "FAIL: bad faskey accepted"; fail=1; }
code=$("$GOVNET" hotspot vouchers "$DB" --count 1 --minutes 45 --uses 1 --json | python3 -c 'import json,sys;print(json.load(sys.stdin)[0]["code"])')
gn_serve "$GOVNET" "$tmp/out" "$tmp/err" --db "$DB" --web-dir "$GN_SOURCE_DIR/web" --quiet
port=$gn_port
post() { curl -s -o "$tmp/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data-binary "$1" "http://127.0.0.1:$port/api/hotspot/login"; }
[ "$(post '{"user":"x"}')" = 400 ] && echo "ok - missing fields: 400" || { echo "FAIL: missing fields"; fail=1; }
[ "$(post '{"user":"x","password":"y","hid":"zz"}')" = 400 ] && echo "ok - bad hid: 400" || { echo "FAIL: bad hid"; fail=1; }
[ "$(post 'not json')" = 400 ] && echo "ok - not JSON: 400" || { echo "FAIL: not json"; fail=1; }
[ "$(post '{"user":"nobody","password":"pw","hid":"0123456789abcdef"}')" = 200 ] \
  && grep -q '"ok": *false' "$tmp/body" && grep -q 'Identifiant ou mot de passe incorrect' "$tmp/body" \
  && echo "ok - unknown user: ok=false with French reason" \
  || { echo "FAIL: unknown user $(cat "$tmp/body")"; fail=1; }
CHROMIUM="$CHROMIUM" timeout 300 node "$GN_SOURCE_DIR/tests/web/portal.mjs" "http://127.0.0.1:$port/" \
  "$code" "$KEY" "$tmp/profile" "$GN_BUILD_DIR/portal_screenshot.png" || fail=1
exit $fail
