#!/usr/bin/env bash
# test_auth.sh - People, roles and tenants over the real server: every
# route x every role answers 2xx / 401 / 403 as the expected table below
# says (written from the roles of issue 12, not read from the server's
# table); tenant scope (an operator or subcontractor sees, counts and
# guesses only its own organisation's rows); sign-in, cookie flags, CSRF,
# lockout, expired/revoked tokens, oversized credentials, own-role PATCH;
# no secret in a dump of the store; the audit chain names an edited row;
# HTTPS with a self-signed certificate; plain HTTP refused off loopback.
# Env: GOVNET, GN_BUILD_DIR, GN_SOURCE_DIR (set by ctest).
set -u
: "${GOVNET:?}" "${GN_BUILD_DIR:?}" "${GN_SOURCE_DIR:?}"
for tool in curl node sqlite3 openssl; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
FIXTURE="$GN_BUILD_DIR/test_server"
[ -x "$FIXTURE" ] || { echo "FAIL: $FIXTURE (fixture maker) not built"; exit 1; }
. "$GN_SOURCE_DIR/tests/api/serve_lib.sh"
tmp=$(mktemp -d)
cleanup() { gn_stop; rm -rf "$tmp"; }
trap cleanup EXIT

pass=0
failn=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { failn=$((failn + 1)); echo "FAIL - $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
js() { node -e "const d=JSON.parse(require('fs').readFileSync('$tmp/body','utf8'));console.log(($1))"; }
is_error() { [ "$(js "d.error + '|' + (typeof d.message === 'string' && d.message.length > 0)")" = "$1|true" ]; }

DB="$tmp/net.gpkg"
G="$GOVNET"
"$FIXTURE" --make-fixture "$DB" || { echo "FAIL: cannot make the fixture store"; exit 1; }

# ---- organisations, one user per role, tokens (the CLI forms the checks use) ----
$G org add "$DB" --name "Ministère du Numérique" --kind government >/dev/null &&
  $G org add "$DB" --name Moov --kind operator >/dev/null &&
  $G org add "$DB" --name Togocom --kind operator >/dev/null &&
  $G org add "$DB" --name BuildCo --kind subcontractor >/dev/null &&
  $G org add "$DB" --name DigCo --kind subcontractor >/dev/null &&
  ok "org add (government, operators, subcontractors)" || bad "org add"
$G org add "$DB" --name Moov --kind operator 2>"$tmp/err"; rc=$?
check "org add of an existing name fails (rc 1, names it)" eval '[ $rc = 1 ] && grep -q "Moov" "$tmp/err"'
$G org add "$DB" --name X --kind isp 2>/dev/null; rc=$?
check "org add with an unknown kind is a usage error" [ $rc = 2 ]

roles="admin planner noc supervisor subcontractor operator auditor"
declare -A uname=([admin]=ada [planner]=pat [noc]=nina [supervisor]=sam
  [subcontractor]=sub1 [operator]=op1 [auditor]=aud)
declare -A uorg=([admin]="Ministère du Numérique" [subcontractor]=BuildCo [operator]=Moov)
declare -A tok pw
for r in $roles; do
  pw[$r]="pw-$r-$RANDOM-correct-horse"
  args=(user add "$DB" --name "${uname[$r]}" --role "$r")
  [ -n "${uorg[$r]:-}" ] && args+=(--org "${uorg[$r]}")
  printf '%s\n' "${pw[$r]}" | $G "${args[@]}" >/dev/null || bad "user add $r"
  tok[$r]=$($G user token "$DB" --name "${uname[$r]}" --days 30)
done
# more tenants for the scope tests
printf 'pw-op1b-long-enough\n' | $G user add "$DB" --name op1b --role operator --org Moov >/dev/null
printf 'pw-op2-long-enough\n' | $G user add "$DB" --name op2 --role operator --org Togocom >/dev/null
printf 'pw-sub2-long-enough\n' | $G user add "$DB" --name sub2 --role subcontractor --org DigCo >/dev/null
check "user token prints one token line" eval '[[ "${tok[planner]}" =~ ^gnt_[0-9a-f]{64}$ ]]'
printf 'pw-x-long-enough\n' | $G user add "$DB" --name opx --role operator 2>"$tmp/err"; rc=$?
check "an operator without --org is refused" eval '[ $rc = 1 ] && grep -q "needs --org" "$tmp/err"'
printf 'short\n' | $G user add "$DB" --name shorty --role planner 2>/dev/null; rc=$?
check "a short password is refused" [ $rc = 1 ]
$G user add "$DB" --name viaargv --role planner --password x </dev/null 2>/dev/null; rc=$?
check "no password on stdin: refused (never from argv)" [ $rc != 0 ]
$G user list "$DB" >"$tmp/users.json"
check "user list shows 10 users with roles and organisations" \
  [ "$(node -e "const d=require('$tmp/users.json');console.log(d.total+'|'+d.users.find(u=>u.name==='op1').org)")" = "10|Moov" ]

ADMIN_TOKEN="admin-token-file-$$-long"
printf '%s\n' "$ADMIN_TOKEN" >"$tmp/token"
AAA_TOKEN="freeradius-aaa-$$-token"
printf '%s\n' "$AAA_TOKEN" >"$tmp/aaa_token"
gn_serve "$G" "$tmp/out" "$tmp/err" --db "$DB" --token-file "$tmp/token" --threads 2 \
  --aaa-token-file "$tmp/aaa_token" \
  --web-dir "$GN_SOURCE_DIR/web"
base="http://127.0.0.1:$gn_port"

# req METHOD PATH ROLE [curl args]: $code, body in $tmp/body; ROLE public = no credentials
req() {
  local m=$1 p=$2 r=$3; shift 3
  local a=()
  [ "$r" != public ] && a=(-H "Authorization: Bearer ${tok[$r]}")
  code=$(curl -s -o "$tmp/body" -w '%{http_code}' -X "$m" "${a[@]}" "$@" "$base$p")
}
declare -A uid
while read -r nm id; do uid[$nm]=$id; done < <(node -e "for (const u of require('$tmp/users.json').users) console.log(u.name, u.id)")
id_of() { echo "${uid[$1]}"; }

# ---- route x role ----
# Expected roles per operation, from the issue's role table.
ALL="public admin planner noc supervisor subcontractor operator auditor"
declare -A allowed=(
  [health]=$ALL [openapi]=$ALL [boundaries]=$ALL [places]=$ALL [basemap]=$ALL [listSites]=$ALL [listPops]=$ALL
  [listTrenches]=$ALL [listCables]=$ALL [listCircuits]=$ALL [getSite]=$ALL [getPop]=$ALL
  [getTrench]=$ALL [getCable]=$ALL [getCircuit]=$ALL [trace]=$ALL [impact]=$ALL
  [summary]=$ALL [bom]=$ALL
  [createSite]="admin planner" [updateSite]="admin planner" [deleteSite]="admin planner"
  [login]=$ALL [logout]=$ALL [me]=$ALL
  [listUsers]="admin auditor subcontractor operator" [getUser]="admin auditor subcontractor operator"
  [createUser]=admin [updateUser]=admin [listOrgs]="admin auditor" [createOrg]=admin
  [audit]="admin auditor"
  [ofds]=$ALL [occupancy]="admin planner noc auditor" [quote]="admin planner operator"
  [reserveLease]="admin operator" [listLeases]="admin noc auditor operator"
  [getLease]="admin noc auditor operator" [activateLease]="admin noc" [terminateLease]="admin noc"
  [alerts]="admin noc" [listIncidents]="admin noc planner auditor" [updateIncident]="admin noc"
  [locateFault]="admin noc planner auditor"
  [listWorkPackages]="admin planner supervisor subcontractor auditor"
  [cutWorkPackages]="admin planner supervisor" [assignWorkPackage]="admin supervisor"
  [postProgress]="admin supervisor subcontractor"
  [buildStatus]="admin planner supervisor subcontractor auditor noc"
  [buildSupervision]="admin planner supervisor auditor"
  [hotspotLogin]=$ALL
  [hotspotAaa]=freeradius) # FreeRADIUS's token only: no role of the table
curl -s "$base/api/openapi.json" >"$tmp/body"
js "Object.entries(d.paths).flatMap(([p,o])=>Object.entries(o).map(([m,x])=>m.toUpperCase()+' '+p+' '+x.operationId+' '+x['x-roles'].join(','))).join('\n')" >"$tmp/ops"
nops=$(wc -l <"$tmp/ops")
check "every route is in the expected table ($nops routes)" \
  eval '! cut -d" " -f3 "$tmp/ops" | while read -r op; do [ -n "${allowed[$op]:-}" ] || { echo "no expectation for $op"; exit 0; }; done | grep -q .'
check "the OpenAPI document lists each route's roles as expected" eval '(
  while read -r m p op rl; do
    want=$(for r in ${allowed[$op]}; do echo $r; done | sort | tr "\n" ,)
    got=$(echo "$rl" | tr , "\n" | sort | tr "\n" ,)
    [ "$want" = "$got" ] || { echo "$op: documented $got, expected $want"; exit 1; }
  done <"$tmp/ops")'
req GET "/api/trenches?limit=1" admin
trench=$(js "d.features[0].id")
req GET "/api/cables?limit=1" admin
cable=$(js "d.features[0].id")
# one lease per operator organisation (admin reserves for them)
# (each reservation holds a fiber: spread them over the fixture's sites)
QUOTE='"from":"pop:POP-LOME","to":"site:osm:101","fibers":1'
nl=0
quote_to() { nl=$((nl + 1)); echo "\"from\":\"pop:POP-LOME\",\"to\":\"site:osm:10$((nl % 6 + 1))\",\"fibers\":1"; }
new_lease() { # new_lease ORG -> id
  curl -s -H "Authorization: Bearer $ADMIN_TOKEN" -d "{$(quote_to),\"operator\":\"$1\"}" "$base/api/leases" |
    node -e "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>console.log(JSON.parse(s).id))"
}
# one incident (a site down) for the updateIncident walk
curl -s -o /dev/null -H "Authorization: Bearer $ADMIN_TOKEN" -d '{"version":"4","status":"firing","receiver":"g","alerts":[{"status":"firing","labels":{"alertname":"GovnetSiteDown","site":"osm:101"},"startsAt":"2026-12-06T00:00:00Z"}]}' "$base/api/alerts"
lease_a=$(new_lease Moov)
lease_b=$(new_lease Togocom)
check "admin reserves a lease for each operator ($lease_a, $lease_b)" \
  eval '[[ "$lease_a" =~ ^[0-9]+$ ]] && [[ "$lease_b" =~ ^[0-9]+$ ]]'
n=0
site_body() { printf '{"type":"Feature","geometry":{"type":"Point","coordinates":[1.2,6.15]},"properties":{"id":"%s","name":"Ecole %s","category":"education"}}' "$1" "$1"; }
# sample_req OP ROLE: sets meth, path, body (a request that succeeds when allowed)
sample_req() {
  local op=$1 r=$2
  n=$((n + 1))
  body=""
  case $op in
    getSite) meth=GET path=/api/sites/osm:101 ;;
    getPop) meth=GET path=/api/pops/POP-LOME ;;
    getTrench) meth=GET path=/api/trenches/$trench ;;
    getCable) meth=GET path=/api/cables/$cable ;;
    getCircuit) meth=GET path=/api/circuits/1 ;;
    trace) meth=GET path="/api/trace?fiber=1" ;;
    impact) meth=GET path="/api/impact?trench=$trench" ;;
    createSite) meth=POST path=/api/sites body=$(site_body "rr:$n") ;;
    updateSite) meth=PATCH path=/api/sites/osm:101 body='{"type":"Feature","properties":{"priority":7}}' ;;
    deleteSite)
      curl -s -o /dev/null -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -d "$(site_body "del:$n")" "$base/api/sites"
      meth=DELETE path=/api/sites/del:$n ;;
    login) meth=POST path=/api/login body="{\"name\":\"pat\",\"password\":\"${pw[planner]}\"}" ;;
    logout) meth=POST path=/api/logout ;;
    getUser)
      local who=pat
      [ "$r" = operator ] && who=op1b
      [ "$r" = subcontractor ] && who=sub1
      meth=GET path=/api/users/$(id_of $who) ;;
    createUser) meth=POST path=/api/users body="{\"name\":\"new$n\",\"role\":\"noc\",\"password\":\"pw-new-$n-long\"}" ;;
    updateUser) meth=PATCH path=/api/users/$(id_of nina) body='{"disabled":false}' ;;
    createOrg) meth=POST path=/api/orgs body="{\"name\":\"Org $n\",\"kind\":\"operator\"}" ;;
    quote) meth=POST path=/api/quotes body="{$QUOTE}" ;;
    reserveLease)
      local q
      q=$(quote_to)
      meth=POST path=/api/leases body="{$q,\"operator\":\"Moov\"}"
      [ "$r" = operator ] && body="{$q}" ;; # an operator reserves for its own
    getLease) meth=GET path=/api/leases/$lease_a ;;
    cutWorkPackages) meth=POST path=/api/build/packages body='{"target_km":5}' ;;
    assignWorkPackage) meth=PATCH path=/api/build/packages/$pkg body="{\"org\":\"BuildCo\",\"crew\":\"crew $n\"}" ;;
    postProgress) meth=POST path=/api/build/reports body='[]' ;;
    activateLease|terminateLease) # a fresh lease only when the call will act
      local l=$lease_a
      [[ " ${allowed[$op]} " == *" $r "* ]] && l=$(new_lease Moov)
      meth=POST path=/api/leases/$l/${op%Lease} ;;
    alerts) meth=POST path=/api/alerts body='{"version":"4","status":"firing","receiver":"g","alerts":[]}' ;;
    updateIncident) meth=PATCH path=/api/incidents/1 body='{"note":"route walk"}' ;;
    locateFault) meth=GET path='/api/locate?site=osm:101&distance=40' ;;
    hotspotLogin) # the WiFi portal's door: a refused login is a 200 answer
      meth=POST path=/api/hotspot/login body='{"user":"nobody","password":"pw","hid":"0123456789abcdef"}' ;;
    hotspotAaa) meth=POST path="/api/hotspot/aaa?op=auth"
      body='{"User-Name":{"type":"string","value":["nobody"]},"User-Password":{"type":"string","value":["pw"]}}' ;;
    *) meth=$3 path=$4 ;;
  esac
}
# one stored work package to assign
pkg=$(curl -s -H "Authorization: Bearer $ADMIN_TOKEN" -d '{"target_km":5,"save":true}' \
  "$base/api/build/packages" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['id'])")
mism=0
while read -r m p op rl; do
  for r in $ALL; do
    sample_req "$op" "$r" "$m" "$p"
    if [ -n "$body" ]; then req "$meth" "$path" "$r" -d "$body"; else req "$meth" "$path" "$r"; fi
    if [[ " ${allowed[$op]} " == *" $r "* ]]; then want=2; elif [ "$r" = public ]; then want=401; else want=403; fi
    if [ "$want" = 2 ] && [ "${code:0:1}" = 2 ]; then continue; fi
    # (grep, not node: 240 requests) the error name must match the status
    [ "$code" = "$want" ] && grep -q "\"error\":\"$([ "$want" = 401 ] && echo EAUTH || echo EFORBIDDEN)\"" "$tmp/body" && continue
    mism=$((mism + 1))
    echo "  $op as $r: $meth $path -> $code (want $want): $(head -c 200 "$tmp/body")"
  done
done <"$tmp/ops"
check "route x role: $nops routes x 8 roles answer 2xx/401/403 as expected" [ $mism = 0 ]

# ---- the FreeRADIUS token (--aaa-token-file): one route, and only it ----
aaa_req() { code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $AAA_TOKEN" "$@"); }
aaa_req -d '{"User-Name":{"type":"string","value":["nobody"]},"User-Password":{"type":"string","value":["pw"]}}' \
  "$base/api/hotspot/aaa?op=auth"
check "the FreeRADIUS token gets the hotspot decision (unknown user: 401 + Reply-Message)" \
  eval '[ "$code" = 401 ] && grep -q "reply:Reply-Message" "$tmp/body"'
aaa_req -d '{"User-Name":{"type":"string","value":["nobody"]},"Acct-Status-Type":{"type":"integer","value":["Start"]}}' \
  "$base/api/hotspot/aaa?op=acct&src=127.0.0.1"
check "the FreeRADIUS token records accounting (200 {})" eval '[ "$code" = 200 ] && [ "$(cat "$tmp/body")" = "{}" ]'
aaa_fail=0
for p in /api/health /api/me /api/users /api/sites "/api/audit"; do
  aaa_req "$base$p"
  [ "$code" = 403 ] && grep -q '"error":"EFORBIDDEN"' "$tmp/body" || { aaa_fail=1; echo "  GET $p with the FreeRADIUS token -> $code"; }
done
aaa_req -d '{"user":"nobody","password":"pw","hid":"0123456789abcdef"}' "$base/api/hotspot/login"
[ "$code" = 403 ] || { aaa_fail=1; echo "  POST /api/hotspot/login with the FreeRADIUS token -> $code"; }
check "the FreeRADIUS token opens no other route (403, even public ones)" [ $aaa_fail = 0 ]
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $ADMIN_TOKEN" \
  -d '{"User-Name":{"type":"string","value":["x"]}}' "$base/api/hotspot/aaa?op=auth")
check "the admin token may not call the FreeRADIUS route (403)" eval '[ "$code" = 403 ] && is_error EFORBIDDEN'
aaa_req -d '{"User-Name":{"type":"string","value":["x"]}}' "$base/api/hotspot/aaa?op=login"
check "an unknown op is 400 naming it" eval '[ "$code" = 400 ] && is_error EINVAL && grep -q "op:" "$tmp/body"'
aaa_req -d '{"User-Name":"x"}' "$base/api/hotspot/aaa?op=auth"
check "a body that is not rlm_rest's form is 400 naming the attribute" \
  eval '[ "$code" = 400 ] && is_error EINVAL && grep -q "User-Name" "$tmp/body"'
aaa_req -d '{"User-Name":{"type":"string","value":["x"]}}' "$base/api/hotspot/aaa?op=acct&src=evil"
check "a src that is not an IP address is 400" eval '[ "$code" = 400 ] && is_error EINVAL'

# ---- scope: one tenant never sees another's rows ----
req GET /api/users operator
check "operator lists only its organisation's users (total counts them only)" \
  [ "$(js "d.total+'|'+d.users.map(u=>u.name).sort().join(',')")" = "2|op1,op1b" ]
req GET /api/users subcontractor
check "subcontractor lists only its organisation's users" \
  [ "$(js "d.total+'|'+d.users.map(u=>u.org).join(',')")" = "1|BuildCo" ]
req GET /api/users admin
all_total=$(js d.total)
check "admin lists every user" [ "$all_total" -ge 10 ]
op2=$(id_of op2)
req GET "/api/users/$op2" operator
c1=$code; m1=$(js "d.error+'|'+d.message.replace('$op2','N')")
req GET /api/users/999999 operator
c2=$code; m2=$(js "d.error+'|'+d.message.replace('999999','N')")
check "another operator's user answers exactly like a missing id (404, same message)" \
  eval '[ "$c1" = 404 ] && [ "$c1" = "$c2" ] && [ "$m1" = "$m2" ]'
req GET "/api/users/$(id_of sub2)" subcontractor
check "another subcontractor's user is 404" [ "$code" = 404 ]
req GET "/api/users?limit=1&offset=1" operator
check "paging an operator's list never reaches other organisations" \
  [ "$(js "d.total+'|'+d.users.length+'|'+d.users[0].org")" = "2|1|Moov" ]
req PATCH "/api/users/$op2" operator -d '{"disabled":true}'
c1=$code
req PATCH "/api/users/$(id_of op1b)" operator -d '{"disabled":true}'
check "an operator cannot modify users, its own organisation's or another's (same 403)" \
  eval '[ "$c1" = 403 ] && [ "$code" = 403 ]'
req GET "/api/users/$op2" admin
check "nothing changed: op2 still enabled" [ "$(js d.disabled)" = false ]

# leases: operator A (Moov) never reads, lists, counts, changes or guesses B's
req GET /api/leases admin
moov_n=$(js "d.filter(l=>l.operator==='Moov').length")
togo_n=$(js "d.filter(l=>l.operator==='Togocom').length")
req GET /api/leases operator
check "operator lists its own organisation's leases only ($moov_n of them)" \
  [ "$(js "d.length+'|'+d.every(l=>l.operator==='Moov')")" = "$moov_n|true" ]
req GET "/api/leases?operator=Togocom" operator
check "asking for another operator's leases still lists one's own" \
  [ "$(js "d.every(l=>l.operator==='Moov')")" = true ]
req GET "/api/leases/$lease_b" operator
c1=$code; m1=$(js "d.error+'|'+d.message.replace('$lease_b','N')")
req GET /api/leases/999999 operator
c2=$code; m2=$(js "d.error+'|'+d.message.replace('999999','N')")
check "another operator's lease answers exactly like a missing id (404, same message)" \
  eval '[ "$c1" = 404 ] && [ "$c1" = "$c2" ] && [ "$m1" = "$m2" ]'
req POST "/api/leases/$lease_b/terminate" operator
cp "$tmp/body" "$tmp/b1"; c1=$code
req POST "/api/leases/$lease_a/terminate" operator
check "an operator cannot terminate a lease, its own or another's (same 403 body)" \
  eval '[ "$c1" = 403 ] && [ "$code" = 403 ] && cmp -s "$tmp/body" "$tmp/b1"'
req POST /api/leases operator -d "{$QUOTE,\"operator\":\"Togocom\"}"
check "an operator cannot reserve in another operator's name (403)" eval '[ "$code" = 403 ] && is_error EFORBIDDEN'
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $($G user token "$DB" --name op2 --days 1)" "$base/api/leases")
check "the other operator sees its lease, nothing of Moov's, nothing new" \
  [ "$(js "d.length+'|'+d.every(l=>l.operator==='Togocom')")" = "$togo_n|true" ]
req GET /api/occupancy operator
check "fiber occupancy per cable (which would count others' leases) is 403 for operators" [ "$code" = 403 ]

# ---- bad credentials ----
login() { # login NAME PASSWORD [curl args]
  local n=$1 p=$2; shift 2
  code=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -X POST "$@" \
    -d "{\"name\":\"$n\",\"password\":\"$p\"}" "$base/api/login")
}
login pat "wrong-password-123"
check "wrong password: 401 EAUTH" eval '[ "$code" = 401 ] && is_error EAUTH'
cp "$tmp/body" "$tmp/wrong"
login nobody-at-all "wrong-password-123"
check "unknown user: 401 with the same body as a wrong password" \
  eval '[ "$code" = 401 ] && cmp -s "$tmp/body" "$tmp/wrong"'
t_ms() { local s e; s=$(date +%s%N); login "$@"; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
tw=0; tu=0
for _ in 1 2 3; do
  tw=$((tw + $(t_ms sam "wrong-password-456"))); tu=$((tu + $(t_ms ghost-user "wrong-password-456")))
done
# both run one Argon2id verification (~0.1 s); without the dummy hash an
# unknown name would answer in ~1 ms, far outside a factor 3
check "unknown user costs about the same as a wrong password (${tu} ms vs ${tw} ms for 3)" \
  eval '[ $((tu * 3)) -ge $tw ] && [ $((tw * 3)) -ge $tu ]'
long=$(printf 'a%.0s' $(seq 70))
login "$long" "whatever-password"
check "oversized user name: 400 EINVAL" eval '[ "$code" = 400 ] && is_error EINVAL'
login pat "$(printf 'p%.0s' $(seq 1100))"
check "oversized password: 400 EINVAL" eval '[ "$code" = 400 ] && is_error EINVAL'
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $(printf 't%.0s' $(seq 300))" "$base/api/me")
check "oversized bearer token: 400" [ "$code" = 400 ]
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer gnt_0000000000000000000000000000000000000000000000000000000000000000" "$base/api/sites")
check "unknown token on a public route: 401 (not silently public)" eval '[ "$code" = 401 ] && is_error EAUTH'
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "authorization: bearer   ${tok[auditor]}  " "$base/api/audit")
check "bearer scheme is case-insensitive, spaces around the token ignored" [ "$code" = 200 ]

# expired and revoked tokens, disabled user
exp_tok=$($G user token "$DB" --name nina --days 1)
sqlite3 "$DB" "UPDATE auth_tokens SET expires=1 WHERE id=(SELECT max(id) FROM auth_tokens)"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $exp_tok" "$base/api/me")
check "expired token: 401" eval '[ "$code" = 401 ] && is_error EAUTH'
rev_tok=$($G user token "$DB" --name nina --days 1)
rev_id=$(sqlite3 "$DB" "SELECT max(id) FROM auth_tokens")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $rev_tok" "$base/api/me")
$G user revoke "$DB" --token "$rev_id" >/dev/null
code2=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $rev_tok" "$base/api/me")
check "revoked token: 200 before, 401 after" eval '[ "$code" = 200 ] && [ "$code2" = 401 ]'
$G user disable "$DB" --name nina >/dev/null
req GET /api/me noc
check "a disabled user's token: 401" [ "$code" = 401 ]
$G user disable "$DB" --name nina --enable >/dev/null
req GET /api/me noc
check "re-enabled: 200 again" [ "$code" = 200 ]

# own role / organisation
ada=$(id_of ada)
req PATCH "/api/users/$ada" admin -d '{"role":"planner"}'
check "PATCH of one's own role: 403" eval '[ "$code" = 403 ] && is_error EFORBIDDEN'
req PATCH "/api/users/$ada" admin -d '{"org":"Moov"}'
check "PATCH of one's own organisation: 403" [ "$code" = 403 ]
req GET "/api/users/$ada" admin
check "nothing changed (still admin of the ministry)" \
  [ "$(js "d.role+'|'+d.org")" = "admin|Ministère du Numérique" ]
req PATCH "/api/users/$(id_of pat)" admin -d '{"role":"noc","bogus":1}'
check "an unknown member is 400 and changes nothing" eval '[ "$code" = 400 ] && is_error EINVAL'
req PATCH "/api/users/$(id_of op1b)" admin -d '{"role":"planner"}'
req PATCH "/api/users/$(id_of pat)" admin -d '{"role":"operator"}'
check "admin: an operator needs an operator organisation (400)" [ "$code" = 400 ]

# ---- sessions: cookie flags, CSRF ----
jar="$tmp/jar"
login ada "${pw[admin]}" -c "$jar"
csrf=$(js d.csrf)
check "login: 200, role and CSRF token" eval '[ "$code" = 200 ] && [ "$(js d.user.role)" = admin ] && [[ "$csrf" =~ ^gnc_ ]]'
check "session cookie: HttpOnly, SameSite=Strict, no Secure over plain HTTP" \
  eval 'grep -i "^set-cookie: gn_session=gns_" "$tmp/headers" | grep -q "HttpOnly" && grep -i "^set-cookie" "$tmp/headers" | grep -q "SameSite=Strict" && ! grep -i "^set-cookie" "$tmp/headers" | grep -qi secure'
ck() { code=$(curl -s -o "$tmp/body" -w '%{http_code}' -b "$jar" "$@"); }
ck "$base/api/me"
check "GET with the session cookie: who am I, may list, CSRF" \
  eval '[ "$code" = 200 ] && [ "$(js "d.name+\"|\"+d.session+\"|\"+d.may.includes(\"createUser\")+\"|\"+d.csrf")" = "ada|true|true|$csrf" ]'
norgs() { curl -s -H "Authorization: Bearer $ADMIN_TOKEN" "$base/api/orgs" | node -e "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>console.log(JSON.parse(s).length))"; }
before=$(norgs)
ck -X POST -d '{"name":"CSRF Org","kind":"operator"}' "$base/api/orgs"
check "cookie POST without X-CSRF-Token: 403" eval '[ "$code" = 403 ] && is_error EFORBIDDEN'
ck -X POST -H "X-CSRF-Token: gnc_0000000000000000000000000000000000000000000000000000000000000000" -d '{"name":"CSRF Org","kind":"operator"}' "$base/api/orgs"
check "cookie POST with a wrong X-CSRF-Token: 403" [ "$code" = 403 ]
check "nothing created by the refused requests" [ "$(norgs)" = "$before" ]
ck -X POST -H "X-CSRF-Token: $csrf" -d '{"name":"CSRF Org","kind":"operator"}' "$base/api/orgs"
check "cookie POST with the right CSRF token: 201" [ "$code" = 201 ]
sid=$(awk '$6=="gn_session"{print $7}' "$jar")
ck -X POST -H "X-CSRF-Token: $csrf" "$base/api/logout"
check "logout: 204" [ "$code" = 204 ]
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: gn_session=$sid" "$base/api/audit")
check "the ended session is public again (401 on the audit log)" [ "$code" = 401 ]
login op1 "${pw[operator]}" -c "$jar"
ck "$base/api/me"
check "operator's session: may list users, may not create sites" \
  [ "$(js "d.role+'|'+d.org+'|'+d.may.includes('listUsers')+'|'+d.may.includes('createSite')")" = "operator|Moov|true|false" ]

# ---- audit: who did what; dump without secrets; the chain names an edited row ----
$G db audit "$DB" --limit 200 >"$tmp/audit.json"
check "db audit shows user names, roles, organisations and routes" \
  [ "$(node -e "const a=require('$tmp/audit.json');const r=a.find(x=>x.action==='org-add'&&x.user==='ada');console.log(r.role+'|'+r.org+'|'+r.via)")" = "admin|Ministère du Numérique|POST /api/orgs" ]
check "site edits through a user token record that user" \
  eval 'node -e "const a=require(\"$tmp/audit.json\");process.exit(a.some(x=>x.action.startsWith(\"site\")&&x.user===\"pat\"&&x.role===\"planner\")?0:1)"'
sqlite3 "$DB" .dump >"$tmp/dump.sql"
leaks=0
for r in $roles; do
  grep -qF "${pw[$r]}" "$tmp/dump.sql" && { echo "  password of $r in the dump"; leaks=1; }
  grep -qF "${tok[$r]}" "$tmp/dump.sql" && { echo "  token of $r in the dump"; leaks=1; }
  grep -qF "${tok[$r]#gnt_}" "$tmp/dump.sql" && { echo "  token digits of $r in the dump"; leaks=1; }
done
grep -qF "${sid#gns_}" "$tmp/dump.sql" && { echo "  session id in the dump"; leaks=1; }
grep -qF "$csrf" "$tmp/dump.sql" && { echo "  CSRF token in the dump"; leaks=1; }
check "sqlite3 .dump holds no password, token, session id or CSRF token" \
  eval '[ $leaks = 0 ] && grep -q "argon2id" "$tmp/dump.sql"'
$G db check "$DB" >"$tmp/check" 2>&1
check "db check: the chain is intact" [ $? = 0 ]
gn_stop
mid=$(sqlite3 "$DB" "SELECT fid FROM audit ORDER BY fid LIMIT 1 OFFSET 5")
cp "$DB" "$tmp/tampered.gpkg"
sqlite3 "$tmp/tampered.gpkg" "UPDATE audit SET user='mallory' WHERE fid=$mid"
$G db check "$tmp/tampered.gpkg" >"$tmp/check" 2>&1; rc=$?
check "editing audit row $mid: db check fails and names that row" \
  eval '[ $rc = 1 ] && grep -q "audit row $mid: hash does not match" "$tmp/check"'
cp "$DB" "$tmp/tampered.gpkg"
sqlite3 "$tmp/tampered.gpkg" "DELETE FROM audit WHERE fid=$mid"
$G db check "$tmp/tampered.gpkg" >"$tmp/check" 2>&1; rc=$?
check "deleting audit row $mid: db check names the next row" \
  eval '[ $rc = 1 ] && grep -q "audit row $(sqlite3 "$DB" "SELECT min(fid) FROM audit WHERE fid>$mid"): previous-hash link broken" "$tmp/check"'

# ---- HTTPS and the loopback rule ----
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null || bad "openssl could not make a certificate"
"$G" serve --db "$DB" --listen 127.0.0.1:0 --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" \
  --quiet >"$tmp/out" 2>"$tmp/err" &
gn_pid=$!
tport=""
for _ in $(seq 100); do
  tport=$(sed -n 's|^govnet: serving https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/out")
  [ -n "$tport" ] && break
  sleep 0.1
done
check "serve --tls-cert/--tls-key: banner says https" [ -n "$tport" ]
code=$(curl -s -o "$tmp/body" -w '%{http_code}' --cacert "$tmp/cert.pem" "https://127.0.0.1:$tport/api/health")
check "HTTPS request verified against the self-signed certificate: 200" [ "$code" = 200 ]
code=$(curl -s -m 3 -o /dev/null -w "%{http_code}" "http://127.0.0.1:$tport/api/health")
check "plain HTTP on the TLS port gets no answer" [ "$code" = 000 ]
code=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' --cacert "$tmp/cert.pem" -X POST \
  -d "{\"name\":\"op1\",\"password\":\"${pw[operator]}\"}" "https://127.0.0.1:$tport/api/login")
check "login over HTTPS: the cookie is Secure" \
  eval '[ "$code" = 200 ] && grep -i "^set-cookie: gn_session" "$tmp/headers" | grep -q "; Secure"'
gn_stop
"$G" serve --db "$DB" --listen 0.0.0.0:0 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "plain HTTP on a non-loopback address is refused before binding" \
  eval '[ $rc = 1 ] && grep -q "refusing plain HTTP" "$tmp/err"'
"$G" serve --db "$DB" --tls-cert "$tmp/cert.pem" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "--tls-cert without --tls-key is refused" [ $rc != 0 ]

# ---- lockout (last: it locks names and this client) ----
gn_serve "$G" "$tmp/out" "$tmp/err" --db "$DB" --threads 1
base="http://127.0.0.1:$gn_port"
for _ in 1 2 3 4 5; do login sam "not-the-password"; done
login sam "${pw[supervisor]}"
check "5 failures lock the account: the right password is refused 429" \
  eval '[ "$code" = 429 ] && is_error ETOOMANY'
for _ in 1 2 3 4 5; do login ghost-name "not-the-password"; done
login ghost-name "not-the-password"
check "an unknown name locks the same way (nothing revealed)" [ "$code" = 429 ]
login aud "${pw[auditor]}"
check "another account still signs in" [ "$code" = 200 ]
for i in $(seq 12); do login "spray$i" "not-the-password"; done
login aud "${pw[auditor]}"
check "20 failures from one client lock that client (429)" [ "$code" = 429 ]
gn_stop

echo "# $pass passed, $failn failed"
[ $failn = 0 ]
