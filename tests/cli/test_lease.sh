#!/usr/bin/env bash
# govnet lease on the Lomé store (points plan, rings for critical sites,
# imported): quote, reserve until the capacity runs out (with a reason),
# eight parallel reservations for the last capacity (never over-booked),
# the lifecycle, trace and impact naming the lease, operator scoping,
# the monthly invoice, the OFDS export (validated against the schema),
# and bad input.
set -u
GOVNET="${GOVNET:?}"
SRC="${GN_SOURCE_DIR:?}"
DATA="${GN_DATA_DIR:-$SRC/../shared/data}"
SITES="$DATA/togo/lome_public_buildings.geojson"
[ -f "$SITES" ] || { echo "skip: $SITES absent"; exit 77; }
T=$(mktemp -d /tmp/gn_test_lease.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
DB="$T/lome.db"
"$GOVNET" plan --sites "$SITES" --pop 1.2278,6.1260 --resilience critical \
  --out "$T/plan.gpkg" >/dev/null || { echo "FAIL: plan"; exit 1; }
"$GOVNET" db init "$DB" >/dev/null && "$GOVNET" db import-plan "$DB" "$T/plan.gpkg" >/dev/null \
  || { echo "FAIL: import"; exit 1; }
q() { sqlite3 "$DB" "$1"; }

# 0. every cable keeps the spare share (50 %) on top of the fibers its
# working, protect and express circuits use, so there is capacity to lease
"$GOVNET" lease occupancy "$DB" --json > "$T/occ0.json" || bad "occupancy"
python3 - "$T/occ0.json" <<'EOF' || bad "a cable without its spare share"
import json, math, sys
cables = json.load(open(sys.argv[1]))["cables"]
assert len(cables) > 100, len(cables)
for c in cables:
    used = c["government"] + c["protect"]
    assert c["fibers"] >= math.ceil(used * 1.5 - 1e-9), c
    assert c["spare"] > 0, c
EOF

# 1. a quote: the exact keys and types the checks use
"$GOVNET" lease quote "$DB" --from pop:pop1 --to site:134 --fibers 2 --json > "$T/q.json" \
  || bad "quote failed: $(cat "$T/q.json")"
python3 - "$T/q.json" <<'EOF' || bad "quote JSON form"
import json, sys
d = json.load(open(sys.argv[1]))
for k, t in [("route", list), ("fibers", list), ("length_m", (int, float)),
             ("loss_db_1310", (int, float)), ("loss_db_1550", (int, float)),
             ("new_splices", int), ("price_fcfa_month", (int, float)),
             ("price_fcfa_once", (int, float))]:
    assert isinstance(d[k], t), k
assert len(d["fibers"]) == 2 * len(d["route"]) and d["length_m"] > 0
assert d["loss_db_1550"] < d["loss_db_1310"] and d["price_fcfa_month"] > 0
assert d["new_splices"] == 2 * (len(d["route"]) - 1)
EOF
# a quote writes nothing
[ "$(q 'SELECT count(*) FROM lease_leases')" = 0 ] || bad "quote wrote a lease"
# a point is snapped to the nearest closure, distance shown
"$GOVNET" lease quote "$DB" --from 1.2279,6.1261 --to site:134 --json \
  | grep -q '"snapped_m":' || bad "point end not snapped with its distance"
"$GOVNET" lease quote "$DB" --from pop:pop1 --to site:134 --fibers 2 --diverse --json > "$T/qd.json" \
  || bad "diverse quote failed"
python3 - "$DB" "$T/qd.json" <<'EOF' || bad "diverse routes share a trench"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); d = json.load(open(sys.argv[2]))
cables = d["route"]; n = len(cables)
# the route lists route 1 then route 2; split where the path restarts at A
tr = lambda cs: {t for c in cs for (t,) in db.execute(
    "SELECT trench FROM cable_trenches WHERE cable=?", (c,))}
fib = d["fibers"]
assert len(fib) == 2 * n
assert d["sla_pct"] > 99.5
EOF

# 2. reserve 2 fibers again and again until the quote fails with a reason
n=0
while "$GOVNET" lease reserve "$DB" --from pop:pop1 --to site:134 --fibers 2 \
        --operator OpA --json > "$T/r.json" 2> "$T/r.err"; do
  n=$((n + 1)); [ $n -gt 400 ] && { bad "reservations never end"; break; }
done
[ $n -ge 1 ] || bad "no reservation succeeded: $(cat "$T/r.err")"
grep -Eq "no (lease )?route .*(spare|loss limit)" "$T/r.err" || bad "no reason given: $(cat "$T/r.err")"
[ "$(q 'SELECT count(*) - count(DISTINCT fiber) FROM lease_fibers WHERE live=1')" = 0 ] \
  || bad "a fiber is in two leases"
[ "$(q 'SELECT count(*) FROM lease_fibers lf JOIN circuit_fibers cf ON cf.fiber=lf.fiber')" = 0 ] \
  || bad "a lease took a circuit fiber"
"$GOVNET" db check "$DB" >/dev/null || bad "db check after reservations"
echo "reserved $n times; then: $(cat "$T/r.err")"

# 3. eight parallel reservations for the last capacity never over-book
last=$(q "SELECT max(id) FROM lease_leases")
"$GOVNET" lease terminate "$DB" "$last" >/dev/null || bad "terminate $last"
for i in 1 2 3 4 5 6 7 8; do
  "$GOVNET" lease reserve "$DB" --from pop:pop1 --to site:134 --fibers 2 \
    --operator OpB --json > "$T/p$i.json" 2> "$T/p$i.err" &
done
wait
ok=$(grep -l '"id"' "$T"/p*.json 2>/dev/null | wc -l)
[ "$ok" -ge 1 ] && [ "$ok" -le 8 ] || bad "parallel: $ok succeeded"
[ "$(q 'SELECT count(*) - count(DISTINCT fiber) FROM lease_fibers WHERE live=1')" = 0 ] \
  || bad "parallel reservations over-booked a fiber"
"$GOVNET" db check "$DB" >/dev/null || bad "db check after parallel reservations"
# all but the winners give a reason, and the capacity is gone afterwards
"$GOVNET" lease quote "$DB" --from pop:pop1 --to site:134 --fibers 2 >/dev/null 2>&1 \
  && [ "$ok" -lt 8 ] && bad "capacity left after $ok winners"
echo "parallel: $ok of 8 won the freed capacity"

# 4. lifecycle, trace and impact name the lease
first=$(q "SELECT min(id) FROM lease_leases")
"$GOVNET" lease activate "$DB" "$first" >/dev/null || bad "activate"
"$GOVNET" lease activate "$DB" "$first" 2>"$T/a.err" && bad "activated twice"
grep -q "only a reserved lease" "$T/a.err" || bad "second activate: $(cat "$T/a.err")"
fiber=$(q "SELECT fiber FROM lease_fibers WHERE lease=$first ORDER BY seq LIMIT 1")
"$GOVNET" trace "$DB" --fiber "$fiber" --json > "$T/t.json" || bad "trace leased fiber"
python3 -c "import json,sys; d=json.load(open('$T/t.json')); sys.exit(not (d['lease']==$first and d['circuit'] is None))" \
  || bad "trace of a leased fiber does not name lease $first: $(head -c 200 "$T/t.json")"
trench=$(q "SELECT ct.trench FROM lease_fibers lf JOIN cable_trenches ct ON ct.cable=lf.cable WHERE lf.lease=$first LIMIT 1")
"$GOVNET" impact "$DB" --trench "$trench" --json > "$T/i.json" || bad "impact"
python3 -c "
import json,sys; d=json.load(open('$T/i.json'))
l=[x for x in d['leases'] if x['lease']==$first]
sys.exit(not (l and l[0]['operator']=='OpA' and l[0]['penalty_exposure_fcfa']>0))" \
  || bad "impact does not list lease $first with its exposure"
"$GOVNET" lease terminate "$DB" "$first" >/dev/null || bad "terminate"
[ "$(q "SELECT count(*) FROM lease_fibers WHERE lease=$first AND live=1")" = 0 ] \
  || bad "terminated lease still holds fibers"

# 5. an operator's list shows only its own leases
"$GOVNET" lease list "$DB" --operator OpB --json > "$T/lb.json" || bad "list"
python3 -c "import json,sys; d=json.load(open('$T/lb.json')); sys.exit(not d or any(x['operator']!='OpB' for x in d))" \
  || bad "operator B's list shows other leases"

# 6. monthly invoice: the month of activation carries the one-off charges
month=$(date -u +%Y-%m)
"$GOVNET" lease report "$DB" --month "$month" --format csv > "$T/inv.csv" || bad "report csv"
head -1 "$T/inv.csv" | grep -q "^operator,lease" || bad "invoice header"
grep -q "^\"OpA\",$first," "$T/inv.csv" || bad "invoice lacks lease $first"
"$GOVNET" lease report "$DB" --month "$month" --format html --lang fr --out "$T/inv.html" >/dev/null \
  && grep -q "Tous les op" "$T/inv.html" || bad "report html fr"
"$GOVNET" lease report "$DB" --month 2026-13 2>/dev/null && bad "month 13 accepted"

# 7. OFDS: validates, and tells nothing of leases or prices
"$GOVNET" db export "$DB" --format ofds --out "$T/net.json" >/dev/null || bad "ofds export"
PY=python3
/usr/bin/python3 -c "import jsonschema" 2>/dev/null && PY=/usr/bin/python3
if $PY -c "import jsonschema" 2>/dev/null; then
  $PY "$SRC/../shared/tools/ofds_validate.py" "$T/net.json" > "$T/v.out" 2>&1 \
    || bad "OFDS package invalid: $(head -5 "$T/v.out")"
fi
grep -Eqi "OpA|OpB|price|lease" "$T/net.json" && bad "OFDS export reveals leases"
"$GOVNET" db export "$DB" --format ofds-geojson --out "$T/net.geojson" >/dev/null \
  && python3 -c "import json; d=json.load(open('$T/net.geojson')); assert d['type']=='FeatureCollection' and len(d['features'])>1000" \
  || bad "ofds geojson"

# 8. bad input: clear errors, nothing stored
before=$(q "SELECT count(*) FROM lease_leases")
"$GOVNET" lease quote "$DB" --from nowhere --to site:134 2>"$T/e1" && bad "bad end accepted"
grep -q "expected site:ID" "$T/e1" || bad "bad end message: $(cat "$T/e1")"
"$GOVNET" lease quote "$DB" --from site:nosuch --to site:134 2>"$T/e2"; [ $? -eq 1 ] || bad "unknown site exit"
grep -q "no site with this id" "$T/e2" || bad "unknown site message"
"$GOVNET" lease quote "$DB" --from 6.126,1.2278 --to site:134 2>"$T/e5" && bad "swapped lat,lon accepted"
grep -q "did you swap longitude and latitude" "$T/e5" || bad "swap not suggested: $(cat "$T/e5")"
"$GOVNET" lease reserve "$DB" --from pop:pop1 --to site:134 --fibers 0 --operator X 2>/dev/null; [ $? -eq 2 ] || bad "0 fibers not a usage error"
printf 'lease.fiber_km_month = 100\nlease.fiber_km_month = 200\n' > "$T/pb.txt"
"$GOVNET" lease quote "$DB" --from pop:pop1 --to site:137 --price-book "$T/pb.txt" 2>"$T/e3" && bad "duplicate key accepted"
grep -q "pb.txt:2: lease.fiber_km_month: given twice" "$T/e3" || bad "duplicate message: $(cat "$T/e3")"
printf 'lease.reserve_share = 2\n' > "$T/pb2.txt"
"$GOVNET" lease quote "$DB" --from pop:pop1 --to site:137 --price-book "$T/pb2.txt" 2>"$T/e4" && bad "share 2 accepted"
grep -q "pb2.txt:1: lease.reserve_share" "$T/e4" || bad "range message: $(cat "$T/e4")"
[ "$(q "SELECT count(*) FROM lease_leases")" = "$before" ] || bad "bad input stored a lease"

# 9. the API: quotes and reservations over HTTP, public OFDS, auth
. "$SRC/tests/api/serve_lib.sh"
echo "a-long-secret-token-for-tests" > "$T/token"
# with accounts in the store, an operator must be an operator organisation
"$GOVNET" org add "$DB" --name OpC --kind operator >/dev/null || bad "org add OpC"
gn_serve "$GOVNET" "$T/srv.out" "$T/srv.err" --db "$DB" --token-file "$T/token"
trap 'gn_stop; rm -rf "$T"' EXIT
U="http://127.0.0.1:$gn_port"
AUTH="Authorization: Bearer a-long-secret-token-for-tests"
code=$(curl -s -o "$T/aq.json" -w '%{http_code}' -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"from":"pop:pop1","to":"site:137","fibers":1}' "$U/api/quotes")
[ "$code" = 200 ] && grep -q '"loss_db_1310"' "$T/aq.json" || bad "POST /api/quotes: $code $(head -c 200 "$T/aq.json")"
code=$(curl -s -o /dev/null -w '%{http_code}' -d '{"from":"pop:pop1","to":"site:137"}' "$U/api/quotes")
[ "$code" = 401 ] || bad "quote without a token: $code"
code=$(curl -s -o "$T/bad.json" -w '%{http_code}' -H "$AUTH" -d '{"from":"pop:pop1","to":"site:137","fibers":"2"}' "$U/api/quotes")
[ "$code" = 400 ] && grep -q "fibers" "$T/bad.json" || bad "bad fibers: $code"
code=$(curl -s -o "$T/al.json" -w '%{http_code}' -H "$AUTH" \
  -d '{"from":"pop:pop1","to":"site:137","fibers":1,"operator":"OpC"}' "$U/api/leases")
[ "$code" = 201 ] || bad "POST /api/leases: $code $(head -c 200 "$T/al.json")"
lid=$(python3 -c "import json; print(json.load(open('$T/al.json'))['id'])" 2>/dev/null)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" -X POST "$U/api/leases/$lid/activate")
[ "$code" = 200 ] || bad "activate over HTTP: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" -X POST "$U/api/leases/$lid/activate")
[ "$code" = 409 ] || bad "second activate over HTTP: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$U/api/leases")
[ "$code" = 401 ] || bad "lease list without a token: $code"
code=$(curl -s -o "$T/o.json" -w '%{http_code}' "$U/api/ofds")
[ "$code" = 200 ] && grep -q '"networks"' "$T/o.json" && ! grep -q "OpC" "$T/o.json" \
  || bad "GET /api/ofds: $code"
gn_stop
"$GOVNET" db check "$DB" >/dev/null || bad "db check after the API"
exit $fail
