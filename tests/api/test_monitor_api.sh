#!/usr/bin/env bash
# test_monitor_api.sh - Alertmanager's webhook into the real server on a
# loopback port: a cut trench's down set (from govnet impact) posted as
# firing GovnetSiteDown alerts opens one incident naming that trench;
# posted again it updates it; resolved alerts resolve it (TTR, MTTR);
# PATCH acknowledges and notes; no token is 401, a bad body 422 naming
# the member, a backward move 409. Then the CLI: ingest, incidents,
# incident.
set -u
G="${GOVNET:?}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
command -v curl >/dev/null || { echo "curl missing: skipping"; exit 77; }
. "$(dirname "$0")/serve_lib.sh"
T=$(mktemp -d)
trap 'gn_stop; rm -rf "$T"' EXIT
fail=0
ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

"$G" db init "$T/net.db" >/dev/null
"$G" db import-plan "$T/net.db" --synthetic 120 --seed 3 --ring 30 >/dev/null
# the trench whose cut takes down most sites
best=""; bestn=0
for t in $(seq 1 15); do
  n=$("$G" impact "$T/net.db" --trench "$t" --json 2>/dev/null | python3 -c \
    'import json,sys; print(sum(1 for s in json.load(sys.stdin)["sites"] if not s["protected"]))' 2>/dev/null || echo 0)
  if [ "$n" -gt "$bestn" ]; then best=$t; bestn=$n; fi
done
[ "$bestn" -gt 1 ] || { echo "FAIL: no trench takes two sites down"; exit 1; }
"$G" impact "$T/net.db" --trench "$best" --json | python3 -c '
import json, sys
down = [s["id"] for s in json.load(sys.stdin)["sites"] if not s["protected"]]
def body(status):
    return json.dumps({"version": "4", "status": status, "receiver": "govnet",
        "groupKey": "{}:{alertname=\"GovnetSiteDown\"}", "truncatedAlerts": 0,
        "alerts": [{"status": status, "labels": {"alertname": "GovnetSiteDown",
            "site": s, "job": "govnet_cpe"}, "annotations": {},
            "startsAt": "2026-12-06T02:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z" if status == "firing"
                      else "2026-12-06T02:10:00Z",
            "fingerprint": "f" + s} for s in down]})
open(sys.argv[1] + "/firing.json", "w").write(body("firing"))
open(sys.argv[1] + "/resolved.json", "w").write(body("resolved"))
' "$T"

TOKEN="monitor-api-token-$$"
printf '%s\n' "$TOKEN" >"$T/token"
gn_serve "$G" "$T/out" "$T/err" --db "$T/net.db" --token-file "$T/token"
U="http://127.0.0.1:$gn_port"
auth=(-H "Authorization: Bearer $TOKEN")
post() { code=$(curl -s -o "$T/resp" -w '%{http_code}' -X "$1" "$U$2" "${@:3}"); }

post POST /api/alerts --data-binary @"$T/firing.json" -H 'Content-Type: application/json'
[ "$code" = 401 ] && ok "webhook without token is 401" || bad "no token: $code"
post POST /api/alerts "${auth[@]}" --data-binary @"$T/firing.json"
[ "$code" = 200 ] && grep -q '"opened": *1' "$T/resp" && ok "firing cut opens one incident" \
  || bad "firing: $code $(cat "$T/resp")"
post GET "/api/incidents?open=1"
[ "$code" = 401 ] && ok "incidents need a token (staff only)" || bad "incidents without token: $code"
post GET "/api/incidents?open=1" "${auth[@]}"
python3 - "$T/resp" "$G" "$T/net.db" "$T/firing.json" <<'PY' && ok "one incident names a trench whose cut downs exactly those $bestn sites" || bad "incident: $(cat "$T/resp")"
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
inc = d["incidents"]
assert len(inc) == 1, inc
kind, tid = inc[0]["key"].split(":")
assert kind == "trench" and inc[0]["kind"] == "cut", inc[0]
imp = json.loads(subprocess.run([sys.argv[2], "impact", sys.argv[3], "--trench",
                                 tid, "--json"], capture_output=True,
                                text=True, check=True).stdout)
cut = sorted(s["id"] for s in imp["sites"] if not s["protected"])
sent = sorted(a["labels"]["site"] for a in json.load(open(sys.argv[4]))["alerts"])
assert cut == sent == sorted(inc[0]["sites"]), (cut, sent, inc[0]["sites"])
assert inc[0]["leases"] == [], inc[0]  # no lease on this store
assert inc[0]["state"] == "open" and inc[0]["opened_at"] == "2026-12-06T02:00:00Z"
PY
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["incidents"][0]["id"])' "$T/resp")
post POST /api/alerts "${auth[@]}" --data-binary @"$T/firing.json"
grep -q '"opened": *0' "$T/resp" && grep -q '"updated": *1' "$T/resp" \
  && ok "resent alerts update it" || bad "resend: $(cat "$T/resp")"
post PATCH "/api/incidents/$id" "${auth[@]}" --data '{"state":"acknowledged","assignee":"Ama","note":"crew sent"}'
[ "$code" = 200 ] && grep -q '"assignee": *"Ama"' "$T/resp" && ok "PATCH acknowledges" \
  || bad "PATCH: $code $(cat "$T/resp")"
post POST /api/alerts "${auth[@]}" --data-binary @"$T/resolved.json"
grep -q '"resolved": *1' "$T/resp" && ok "resolved alerts resolve it" || bad "resolve: $(cat "$T/resp")"
post GET /api/incidents "${auth[@]}"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); i=d["incidents"][0]
assert i["state"]=="resolved" and i["resolution"]=="recovered" and i["ttr_s"]>0 and d["mttr_s"]==i["ttr_s"], d' "$T/resp" \
  && ok "TTR and MTTR" || bad "mttr: $(cat "$T/resp")"
post PATCH "/api/incidents/$id" "${auth[@]}" --data '{"state":"acknowledged"}'
[ "$code" = 409 ] && ok "resolved cannot go back (409)" || bad "backward: $code"
post POST /api/alerts "${auth[@]}" --data '{"version":"4","status":"firing","receiver":"g","alerts":[{"status":"firing","labels":{"alertname":"GovnetSiteDown"},"startsAt":"yesterday"}]}'
[ "$code" = 422 ] && grep -q 'alerts\[0\].startsAt' "$T/resp" && ok "bad body is 422 naming the member" \
  || bad "bad body: $code $(cat "$T/resp")"
gn_stop

"$G" monitor ingest "$T/net.db" "$T/firing.json" >"$T/out" 2>&1 \
  && grep -q "1 opened" "$T/out" && ok "CLI ingest" || bad "CLI ingest: $(cat "$T/out")"
"$G" monitor incidents "$T/net.db" --open >"$T/out" 2>&1
id2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["incidents"][0]["id"])' "$T/out")
"$G" monitor incident "$T/net.db" "$id2" --resolve --cause "backhoe" >"$T/out" 2>&1 \
  && "$G" monitor incidents "$T/net.db" | grep -q '"cause":"backhoe"' && ok "CLI incident resolve" \
  || bad "CLI incident: $(cat "$T/out")"
"$G" monitor incident "$T/net.db" 9999 --ack >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "incident 9999 not found" "$T/out" && ok "unknown incident" || bad "unknown: $(cat "$T/out")"
"$G" monitor sla "$T/net.db" --from 2026-12-06 --to 2026-12-06 >"$T/out" 2>&1 \
  && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); o=d["overall"]
assert o["down_s"] > 0 and o["availability"] < 1 and d["worst"] and d["months"][0]["month"] == "2026-12", d["overall"]' "$T/out" \
  && ok "CLI sla from the incidents" || bad "sla: $(head -c 400 "$T/out")"
"$G" monitor sla "$T/net.db" --from 2026-12-07 --to 2026-12-06 >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "end must follow" "$T/out" && ok "sla: bad period" || bad "sla period: $(cat "$T/out")"
exit $fail
