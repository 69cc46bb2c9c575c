#!/usr/bin/env bash
# test_hotspot_radius.sh - govnet as the brain of a real FreeRADIUS 3.2:
# the configuration from `govnet hotspot radius-config` runs as is on free
# loopback ports and radclient plays the access point. Accept and reject
# (wrong password, unknown user, wrong code, spent and expired vouchers),
# WISPr and timeout attributes, accounting into the usage report, a 1 MB
# quota refused after 2 MB of accounting with a Disconnect-Request (RFC
# 5176) to a listener playing the NAS, simultaneous use, and hostile
# attributes (253-byte User-Name, non-UTF-8, NUL bytes, no password) that
# get a reject while the server keeps answering. Skips (77) only when
# freeradius/radclient are not installed.
# Usage: test_hotspot_radius.sh [exec|rest]: the backend of the generated
# configuration (rest: rlm_rest posts to the dedicated AAA listener of a
# `govnet serve` this test starts on free loopback ports with
# --aaa-token-file; every assertion is the same, since both backends run
# the same decision).
set -u
MODE=${1:-exec}
G="${GOVNET:?}"
SRC="${GN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
FR=$(command -v freeradius || command -v radiusd || true)
command -v radclient >/dev/null && [ -n "$FR" ] \
  || { echo "freeradius/radclient not installed (scripts/setup.sh): skipping"; exit 77; }
T=$(mktemp -d)
FRPID= NASPID= gn_pid=
. "$SRC/tests/api/serve_lib.sh"
trap 'kill $FRPID $NASPID 2>/dev/null; gn_stop; wait 2>/dev/null; rm -rf "$T"' EXIT
fail=0
ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
has() { grep -q -- "$1" "$2" || { bad "'$1' not in $2: $(head -c 400 "$2")"; return 1; }; }
hasnt() { ! grep -q -- "$1" "$2" || { bad "'$1' unexpectedly in $2"; return 1; }; }

read -r AUTH ACCT COA < <(python3 "$SRC/tests/cli/radius_nas.py" ports 3)
S=testing123secret
DB="$T/hs.gpkg"
PW='correct horse 42'

# records: a group with WISPr rates, a student with a 1 MB quota, a NAS
"$G" hotspot group set "$DB" --name students --down-kbps 2000 --up-kbps 512 \
  --simultaneous 1 --interim 120 || bad "group set"
echo "$PW" | "$G" hotspot user add "$DB" --name alice --group students --quota-mb 1 >/dev/null \
  || bad "user add alice"
echo "$PW" | "$G" hotspot user add "$DB" --name bob --group students >/dev/null || bad "user add bob"
echo "short" | "$G" hotspot user add "$DB" --name carol --group students 2>"$T/err" \
  && bad "short password accepted" || has "password" "$T/err"
"$G" hotspot nas add "$DB" --name lo --ip 127.0.0.1 --secret "$S" --coa-port "$COA" || bad "nas add"
"$G" hotspot vouchers "$DB" --count 3 --minutes 60 --uses 1 --json >"$T/v1.json" || bad vouchers
"$G" hotspot vouchers "$DB" --count 1 --minutes 30 --uses 0 --group expiring --json >"$T/v2.json" \
  || bad "vouchers 2"
python3 - "$T/v1.json" <<'PY' || bad "voucher JSON form"
import json, re, sys
v = json.load(open(sys.argv[1]))
assert len(v) == 3 and all(set(x) == {"code", "expires"} for x in v), v
assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{12}", x["code"]) for x in v), v
assert len({x["code"] for x in v}) == 3
assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", x["expires"]) for x in v)
PY
code() { python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))[int(sys.argv[2])]["code"])' "$@"; }
V1=$(code "$T/v1.json" 0) V2=$(code "$T/v1.json" 1) VX=$(code "$T/v2.json" 0)
# the expiring voucher's validity ended yesterday
sqlite3 "$DB" "UPDATE hs_users SET valid_to=strftime('%s','now')-86400 WHERE grp=(SELECT id FROM hs_groups WHERE name='expiring')" \
  || bad "backdate voucher"

backend=()
if [ "$MODE" = rest ]; then
  printf 'aaa-%s-token-for-freeradius\n' "$$" >"$T/aaa.token"
  gn_serve "$G" "$T/serve.out" "$T/serve.err" --db "$DB" --aaa-token-file "$T/aaa.token" --quiet \
    --aaa-listen 127.0.0.1:0
  "$G" serve --db "$DB" --listen 127.0.0.1:0 --aaa-token-file "$T/aaa.token" \
    --aaa-listen 10.1.2.3:0 >/dev/null 2>"$T/err" && bad "AAA listener off loopback accepted" \
    || has "loopback" "$T/err"
  "$G" serve --db "$DB" --listen 127.0.0.1:0 --aaa-listen 127.0.0.1:0 >/dev/null 2>"$T/err" \
    && bad "AAA listener without its token accepted" || has "aaa-token-file" "$T/err"
  aport=$(sed -n 's|^govnet: AAA listener http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$T/serve.out")
  [ -n "$aport" ] || bad "no AAA listener line: $(cat "$T/serve.out")"
  backend=(--backend rest --rest-url "http://127.0.0.1:$aport" --rest-token-file "$T/aaa.token")
  code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/aaa.token")" \
    "http://127.0.0.1:$aport/api/health")
  [ "$code" = 404 ] && has "serves POST /api/hotspot/aaa only" "$T/body" \
    && ok "the AAA listener serves the AAA route only"
  "$G" hotspot radius-config "$DB" --out "$T/bad" --auth-port "$AUTH" --acct-port "$ACCT" \
    --secret "$S" --backend rest --rest-url 'http://x/%{exec:id}' --rest-token-file "$T/aaa.token" \
    2>"$T/err" && bad "a URL FreeRADIUS would expand accepted" || has "rest-url" "$T/err"
  printf 'short\n' >"$T/short.token"
  "$G" hotspot radius-config "$DB" --out "$T/bad" --auth-port "$AUTH" --acct-port "$ACCT" \
    --secret "$S" --backend rest --rest-url "http://127.0.0.1:$gn_port" --rest-token-file "$T/short.token" \
    2>"$T/err" && bad "a short rest token accepted" || has "token" "$T/err"
fi
"$G" hotspot radius-config "$DB" --out "$T/rad" --auth-port "$AUTH" --acct-port "$ACCT" \
  --secret "$S" "${backend[@]}" 2>/dev/null || bad "radius-config"
"$FR" -XC -d "$T/rad" >"$T/xc.out" 2>&1 && has "Configuration appears to be OK" "$T/xc.out" \
  && ok "freeradius -XC accepts the generated $MODE configuration"
if [ "$MODE" = rest ]; then
  has "rest gn_rest" "$T/rad/radiusd.conf" && hasnt "govnet-aaa" "$T/rad/radiusd.conf" \
    && ok "rest configuration: rlm_rest, no rlm_exec"
else
  has "exec gn_auth" "$T/rad/radiusd.conf" && hasnt "rlm_rest\|gn_rest" "$T/rad/radiusd.conf" \
    && ok "exec configuration: rlm_exec, no rlm_rest"
fi
"$G" hotspot radius-config "$DB" --out "$T/rad2" --auth-port 0 --acct-port 1 --secret x 2>"$T/err" \
  && bad "port 0 accepted" || has "auth-port" "$T/err"
[ "$(stat -c %a "$T/rad/radiusd.conf")" = 640 ] || bad "radiusd.conf not 0640"

python3 "$SRC/tests/cli/radius_nas.py" listen "$COA" "$S" "$T/nas.jsonl" 240 &
NASPID=$!
"$FR" -f -d "$T/rad" >"$T/fr.out" 2>&1 &
FRPID=$!
up=0
for _ in $(seq 50); do
  if echo 'Message-Authenticator = 0x00' | radclient -r 1 -t 1 "127.0.0.1:$AUTH" status "$S" >/dev/null 2>&1; then
    up=1; break
  fi
  kill -0 $FRPID 2>/dev/null || break
  sleep 0.2
done
[ $up = 1 ] || { bad "freeradius did not start: $(tail -20 "$T/fr.out" "$T/rad/log/radius.log" 2>/dev/null)"; exit 1; }
ok "freeradius runs the generated configuration"

n=0
auth() { # auth OUTNAME attribute-lines : one Access-Request
  n=$((n + 1))
  printf '%b' "$2" | radclient -x -r 2 -t 4 "127.0.0.1:$AUTH" auth "$S" >"$T/$1" 2>&1
}
acct() {
  printf '%b' "$2" | radclient -x -r 2 -t 4 "127.0.0.1:$ACCT" acct "$S" >"$T/$1" 2>&1
}
login() { printf 'User-Name = "%s"\nUser-Password = "%s"\nNAS-IP-Address = 127.0.0.1\n' "$1" "$2"; }

auth a1 "$(login "$V1" "$V1")" && has "Received Access-Accept" "$T/a1" && has "Session-Timeout = 3600" "$T/a1" \
  && has "Acct-Interim-Interval = 300" "$T/a1" && ok "fresh voucher accepted"
auth a2 "$(login "$V1" "$V1")"; has "Received Access-Reject" "$T/a2" && has "déjà été utilisé" "$T/a2" \
  && ok "voucher with --uses 1 refused at its second request"
lower=$(echo "$V2" | tr 'A-Z' 'a-z')
auth a3 "$(login "$lower" "$V2")"; has "Received Access-Accept" "$T/a3" && ok "voucher code typed in lower case"
auth a4 "$(login 23456789ABCD 23456789ABCD)"; has "Received Access-Reject" "$T/a4" \
  && has "Identifiant ou mot de passe incorrect" "$T/a4" && ok "wrong code rejected"
V3=$(code "$T/v1.json" 2)
# another password: V3 with its last character changed (codes are random:
# one in 31 ends in X already, and "${V3%?}X" was then the code itself)
if [ "${V3: -1}" = X ]; then BAD="${V3%?}Y"; else BAD="${V3%?}X"; fi
auth a5 "$(login "$V3" "$BAD")"; has "Received Access-Reject" "$T/a5" && ok "code with another password rejected"
auth a6 "$(login "$VX" "$VX")"; has "Received Access-Reject" "$T/a6" && has "expiré" "$T/a6" && ok "expired voucher rejected"
auth a7 "$(login alice "$PW")"; has "Received Access-Accept" "$T/a7" && has "WISPr-Bandwidth-Max-Down = 2000000" "$T/a7" \
  && has "WISPr-Bandwidth-Max-Up = 512000" "$T/a7" && has "ChilliSpot-Max-Total-Octets = 1000000" "$T/a7" \
  && has "Acct-Interim-Interval = 120" "$T/a7" && ok "student accepted with WISPr rates and data left"
auth a8 "$(login alice "wrong password")"; has "Received Access-Reject" "$T/a8" \
  && has "Identifiant ou mot de passe incorrect" "$T/a8" && ok "wrong password rejected (French message)"
auth a9 "$(login nobody "$PW")"; has "Received Access-Reject" "$T/a9" && ok "unknown user rejected"

# accounting: alice's session goes over her 1 MB quota -> Disconnect-Request
acct c1 'User-Name = "alice"\nAcct-Status-Type = Start\nAcct-Session-Id = "al-1"\nNAS-IP-Address = 127.0.0.1\nCalling-Station-Id = "02-00-00-00-00-01"\nNAS-Identifier = "ap-lome-1"\n'
has "Received Accounting-Response" "$T/c1" && ok "accounting start"
acct c2 'User-Name = "alice"\nAcct-Status-Type = Interim-Update\nAcct-Session-Id = "al-1"\nNAS-IP-Address = 127.0.0.1\nNAS-Identifier = "ap-lome-1"\nAcct-Input-Octets = 500000\nAcct-Output-Octets = 1500000\nAcct-Session-Time = 120\n'
has "Received Accounting-Response" "$T/c2" && ok "accounting interim (2 MB)"
for _ in $(seq 25); do grep -q '"code": 40' "$T/nas.jsonl" 2>/dev/null && break; sleep 0.2; done
if [ -s "$T/nas.jsonl" ] && python3 - "$T/nas.jsonl" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert any(x["code"] == 40 and x["auth_ok"] and x.get("User-Name") == "alice"
           and x.get("Acct-Session-Id") == "al-1" for x in r), r
PY
then ok "Disconnect-Request sent to the NAS for the session over quota"
else bad "no valid Disconnect-Request reached the NAS: $(cat "$T/nas.jsonl" 2>/dev/null)"; fi
acct c3 'User-Name = "alice"\nAcct-Status-Type = Stop\nAcct-Session-Id = "al-1"\nNAS-IP-Address = 127.0.0.1\nAcct-Input-Octets = 500000\nAcct-Output-Octets = 1500000\nAcct-Session-Time = 130\nAcct-Terminate-Cause = Admin-Reset\n'
has "Received Accounting-Response" "$T/c3" || bad "stop"
auth a10 "$(login alice "$PW")"; has "Received Access-Reject" "$T/a10" && has "Quota de données" "$T/a10" \
  && ok "user over quota rejected at the next request"

# simultaneous use: bob has one open session
auth b1 "$(login bob "$PW")"; has "Received Access-Accept" "$T/b1" || bad "bob accept"
acct b2 'User-Name = "bob"\nAcct-Status-Type = Start\nAcct-Session-Id = "bob-1"\nNAS-IP-Address = 127.0.0.1\nNAS-Identifier = "ap-lome-2"\n'
auth b3 "$(login bob "$PW")"; has "Received Access-Reject" "$T/b3" && has "simultanées" "$T/b3" \
  && ok "second simultaneous session refused"
acct b4 'User-Name = "bob"\nAcct-Status-Type = Stop\nAcct-Session-Id = "bob-1"\nNAS-IP-Address = 127.0.0.1\nAcct-Input-Octets = 3000\nAcct-Output-Octets = 70000\nAcct-Session-Time = 45\n'
auth b5 "$(login bob "$PW")"; has "Received Access-Accept" "$T/b5" && ok "accepted again once the session stopped"

# hostile attributes: reject, never a crash
long=$(printf 'u%.0s' $(seq 253))
auth h1 "$(login "$long" "$PW")"; has "Received Access-Reject" "$T/h1" && ok "253-byte User-Name rejected"
auth h2 'User-Name = "b\\377\\376ob"\nUser-Password = "x"\n'; has "Received Access-Reject" "$T/h2" && ok "non-UTF-8 User-Name rejected"
auth h3 'User-Name = "bob\\000admin"\nUser-Password = "'"$PW"'"\n'; has "Received Access-Reject" "$T/h3" && ok "NUL in User-Name rejected"
auth h4 'User-Name = "bob"\nNAS-IP-Address = 127.0.0.1\n'; has "Received Access-Reject" "$T/h4" && has "Mot de passe requis" "$T/h4" \
  && ok "missing User-Password rejected"
auth h5 'User-Name = "bob"\nCHAP-Password = 0x0102030405060708090a0b0c0d0e0f1011\n'; has "Received Access-Reject" "$T/h5" && ok "CHAP rejected"
auth h6 "$(login "$V3" '\\"$(id)\\"\\\\')"; has "Received Access-Reject" "$T/h6" && ok "quotes and backslashes rejected"
acct h7 'User-Name = "b\\377\\000"\nAcct-Status-Type = Start\nAcct-Session-Id = "x\\000y"\n'
has "Received Accounting-Response" "$T/h7" && ok "hostile accounting acknowledged"
auth h8 "$(login "$V3" "$V3")"; has "Received Access-Accept" "$T/h8" && ok "server still answers after hostile requests"
kill -0 $FRPID 2>/dev/null && ok "freeradius alive" || bad "freeradius died"
if [ "$MODE" = rest ]; then
  kill -0 "$gn_pid" 2>/dev/null && ok "govnet serve alive" || bad "govnet serve died"
  # govnet serve down: FreeRADIUS keeps running and accepts nobody; back
  # up on the same port, the pooled connections reconnect
  gn_stop
  auth r1 "$(login bob "$PW")"; has "Received Access-Reject" "$T/r1" && ok "rejected while govnet serve is down"
  kill -0 $FRPID 2>/dev/null || bad "freeradius died with govnet serve down"
  port=$gn_port
  for _ in 1 2 3 4 5; do # the port was just freed; retry if another took it meanwhile
    "$G" serve --db "$DB" --aaa-token-file "$T/aaa.token" --quiet --listen "127.0.0.1:$port" \
      --aaa-listen "127.0.0.1:$aport" >"$T/serve2.out" 2>&1 &
    gn_pid=$!
    for _ in $(seq 50); do grep -q serving "$T/serve2.out" && break; sleep 0.1; done
    grep -q serving "$T/serve2.out" && break
    sleep 0.5
  done
  auth r2 "$(login bob "$PW")"; has "Received Access-Accept" "$T/r2" && ok "accepted again once govnet serve is back"
fi

# the usage report
"$G" hotspot usage "$DB" --json >"$T/u.json" || bad "usage"
today=$(date -u +%F)
"$G" hotspot usage "$DB" --from "$today" --to "$today" --json >"$T/u2.json" || bad "usage range"
"$G" hotspot usage "$DB" --from 2000-01-01 --to 2000-01-31 --json >"$T/u3.json" || bad "usage empty range"
python3 - "$T/u.json" "$T/u2.json" "$T/u3.json" <<'PY' && ok "accounting in the usage report" || bad "usage: $(cat "$T/u.json")"
import json, sys
u = {r["user"]: r for r in json.load(open(sys.argv[1]))}
assert set(next(iter(u.values()))) == {"user", "sessions", "bytes_in", "bytes_out", "seconds"}
a, b = u["alice"], u["bob"]
assert (a["sessions"], a["bytes_in"], a["bytes_out"], a["seconds"]) == (1, 500000, 1500000, 130), a
assert (b["sessions"], b["bytes_in"], b["bytes_out"], b["seconds"]) == (1, 3000, 70000, 45), b
assert json.load(open(sys.argv[2])) == json.load(open(sys.argv[1]))
assert json.load(open(sys.argv[3])) == []
PY
"$G" hotspot usage "$DB" --daily --json >"$T/d.json" && has '"hotspot": "ap-lome-1"' "$T/d.json" && ok "daily usage per hotspot"
"$G" hotspot usage "$DB" --from 2026-02-30 --json 2>"$T/err"; [ $? = 1 ] && has "YYYY-MM-DD" "$T/err" && ok "bad date refused"
# no code in clear in the store
for c in "$V3" "$VX"; do
  sqlite3 "$DB" .dump | grep -q "$c" && bad "voucher code $c stored in clear"
done
sqlite3 "$DB" "SELECT secret FROM hs_users WHERE name='alice'" | grep -q '^\$argon2id\$' && ok "Argon2id hash stored"

exit $fail
