#!/usr/bin/env bash
# test_store.sh - govnet db / trace / impact end to end: init, import of a
# synthetic plan and (when `govnet plan` and the Accra data are present) of
# a real street plan, check, summary, trace with loss budget, impact,
# edits refused and accepted with audit rows, exports, ogrinfo on the
# store, and bad input: unknown ids, a non-govnet file, a newer schema, a
# locked DB.
set -u
G="${GOVNET:?}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
T=$(mktemp -d)
trap 'kill $LOCKPID 2>/dev/null; rm -rf "$T"' EXIT
LOCKPID=
fail=0
ok()   { echo "ok: $*"; }
bad()  { echo "FAIL: $*"; fail=1; }
expect_rc() { # rc cmd... : run, compare exit code
  local want=$1; shift
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne "$want" ]; then bad "$* -> rc $rc (want $want): $(cat "$T/err")"; return 1; fi
  return 0
}
has() { grep -q -- "$1" "$2" || { bad "'$1' not in $2: $(head -c 300 "$2")"; return 1; }; }

DB="$T/net.gpkg"
expect_rc 0 "$G" db init "$DB" && has "schema version 6" "$T/out" && ok init
expect_rc 0 "$G" db import-plan "$DB" --synthetic 120 --seed 3 --ring 30 --user tester \
  && has "120 sites" "$T/out" && ok "import synthetic"
expect_rc 1 "$G" db import-plan "$DB" --synthetic 10 && has "already holds" "$T/err" && ok "second import refused"
expect_rc 0 "$G" db check "$DB" && has "consistent" "$T/out" && ok check
expect_rc 0 "$G" db summary "$DB" && has '"sites":120' "$T/out" && has '"bom"' "$T/out" && ok summary
expect_rc 0 "$G" db list "$DB" sites --category health --limit 2 \
  && has '"FeatureCollection"' "$T/out" && has '"limit":2' "$T/out" && ok list
expect_rc 2 "$G" db list "$DB" nolayer && ok "unknown layer"
expect_rc 1 "$G" db get "$DB" trenches 999999 && has "not found" "$T/err" && ok "unknown trench"

# trace a circuit fiber from its ODF port
expect_rc 0 "$G" trace "$DB" --port 1 && has "loss budget" "$T/out" && has "CPE" "$T/out" && ok "trace port"
expect_rc 0 "$G" trace "$DB" --fiber 1 --json --db-connector 0.3 \
  && has '"loss_db"' "$T/out" && has '"MultiLineString"' "$T/out" && ok "trace json"
expect_rc 1 "$G" trace "$DB" --fiber 987654 && has "fiber 987654 not found" "$T/err" && ok "trace unknown fiber"
expect_rc 2 "$G" trace "$DB" --fiber abc && ok "trace bad id"

if command -v sqlite3 >/dev/null; then
  BUSY=$(sqlite3 "$DB" "SELECT trench FROM circuit_trenches GROUP BY trench ORDER BY count(*) DESC LIMIT 1")
  expect_rc 0 "$G" impact "$DB" --trench "$BUSY" && has "buildings affected" "$T/out" && ok "impact busiest trench $BUSY"
  expect_rc 0 "$G" impact "$DB" --trench "$BUSY" --json
  for k in '"sites":\[{"id":"syn:' '"category":' '"protected":' '"circuits":\[' '"cut":{"type":"FeatureCollection"'; do
    grep -q "$k" "$T/out" || bad "impact json lacks $k"
  done
  ok "impact json"
  C1=$(sqlite3 "$DB" "SELECT fid FROM cables LIMIT 1")
  expect_rc 0 "$G" impact "$DB" --cable "$C1" && ok "impact cable"
  expect_rc 0 "$G" impact "$DB" --otdr 1 150 && has "fault: trench" "$T/out" && ok "impact otdr"
  expect_rc 1 "$G" impact "$DB" --otdr 1 9999999 && has "beyond" "$T/err" && ok "otdr beyond end"
  # edits: a working fiber breaks; check fails; move to a free fiber
  read -r CIRC FIB CAB < <(sqlite3 -separator ' ' "$DB" "SELECT x.circuit, x.fiber, f.cable FROM circuit_fibers x JOIN fibers f ON f.fid=x.fiber WHERE x.seq=1 LIMIT 1")
  FREE=$(sqlite3 "$DB" "SELECT fid FROM fibers f WHERE cable=$CAB AND broken=0 AND NOT EXISTS(SELECT 1 FROM circuit_fibers WHERE fiber=f.fid) AND NOT EXISTS(SELECT 1 FROM splices WHERE fiber_a=f.fid OR fiber_b=f.fid) AND NOT EXISTS(SELECT 1 FROM ports WHERE fiber=f.fid) LIMIT 1")
  expect_rc 0 "$G" db fiber break "$DB" "$FIB" --note "backhoe" --user alice && ok "fiber break"
  expect_rc 1 "$G" db check "$DB" && has "broken fiber $FIB" "$T/out" && ok "check reports broken circuit"
  expect_rc 1 "$G" db cable delete "$DB" "$CAB" && has "move them first" "$T/err" && ok "cable delete refused"
  expect_rc 0 "$G" db circuit move "$DB" "$CIRC" --from "$FIB" --to "$FREE" --user alice && ok "circuit move"
  expect_rc 0 "$G" db check "$DB" && ok "check clean after move"
  expect_rc 1 "$G" db circuit move "$DB" "$CIRC" --from "$FREE" --to "$FIB" && has "broken" "$T/err" && ok "move onto broken refused"
  read -r SP CL < <(sqlite3 -separator ' ' "$DB" "SELECT fid, closure FROM splices LIMIT 1")
  expect_rc 1 "$G" db splice remove "$DB" "$SP" && has "carries circuit" "$T/err" && ok "splice remove refused"
  read -r FA EA < <(sqlite3 -separator ' ' "$DB" "SELECT fiber_a, end_a FROM splices WHERE fid=$SP")
  expect_rc 1 "$G" db splice add "$DB" --closure "$CL" --a "$FA:$EA" --b "$FREE:a" && has "already on splice" "$T/err" && ok "double splice refused"
  expect_rc 0 "$G" db audit "$DB" && has '"user":"alice"' "$T/out" && has '"action":"circuit-move"' "$T/out" && ok audit
  [ "$(sqlite3 "$DB" "PRAGMA journal_mode")" = wal ] && ok "WAL mode" || bad "not WAL"
  [ "$(sqlite3 "$DB" "PRAGMA application_id")" = 1196444487 ] && ok "GPKG application_id" || bad "application_id"

  # a store taken back to version 1 is migrated forward when opened for
  # writing (v2 indexes, v3 cable ends and cable_trenches, v4 audit chain,
  # v5 fiber spans, v6 QGIS styles)
  cp "$DB" "$T/old.gpkg"
  sqlite3 "$T/old.gpkg" "DROP TABLE cable_trenches; ALTER TABLE cables DROP COLUMN a_node; ALTER TABLE cables DROP COLUMN b_node; DROP INDEX fibers_broken; DROP INDEX ports_peer; ALTER TABLE audit DROP COLUMN user_id; ALTER TABLE audit DROP COLUMN role; ALTER TABLE audit DROP COLUMN org; ALTER TABLE audit DROP COLUMN via; ALTER TABLE audit DROP COLUMN prev_hash; ALTER TABLE audit DROP COLUMN hash; ALTER TABLE fibers DROP COLUMN span_from; ALTER TABLE fibers DROP COLUMN span_to; ALTER TABLE fibers DROP COLUMN span_m; ALTER TABLE fibers DROP COLUMN span_a_node; ALTER TABLE fibers DROP COLUMN span_b_node; DROP TABLE layer_styles; DELETE FROM gpkg_contents WHERE data_type='attributes'; DELETE FROM gn_migrations WHERE version>=2; PRAGMA user_version=10301"
  expect_rc 0 "$G" db fiber repair "$T/old.gpkg" "$FIB" && \
    [ "$(sqlite3 "$T/old.gpkg" "PRAGMA user_version; SELECT count(*) FROM gn_migrations; SELECT count(*) FROM sqlite_master WHERE name IN ('fibers_broken','cable_trenches'); SELECT count(*)=(SELECT count(*) FROM cables) FROM cable_trenches; SELECT count(*) FROM audit WHERE hash IS NULL; SELECT count(*) FROM pragma_table_info('fibers') WHERE name LIKE 'span%'; SELECT count(*) FROM layer_styles" | tr '\n' ' ')" = "10306 6 2 1 0 5 5 " ] \
    && ! "$G" db check "$T/old.gpkg" 2>/dev/null | grep -q "audit row" && ok "migration v1 -> v6 (old audit rows sealed into the chain, fiber spans, QGIS styles)" || bad "migration v1 -> v6"
  # newer schema refused
  cp "$DB" "$T/newer.gpkg"; sqlite3 "$T/newer.gpkg" "PRAGMA user_version=10350"
  expect_rc 1 "$G" db check "$T/newer.gpkg" && has "newer than this govnet" "$T/err" && ok "newer schema refused"
  # locked: another process holds the write lock
  (echo "BEGIN IMMEDIATE; UPDATE gn_meta SET value=value;"; sleep 8) | sqlite3 "$DB" & LOCKPID=$!
  # until the holder has the lock (a loaded machine may take a while)
  for _ in $(seq 1 50); do
    sqlite3 "$DB" "BEGIN IMMEDIATE; ROLLBACK;" 2>/dev/null || break
    sleep 0.1
  done
  expect_rc 1 "$G" db fiber repair "$DB" "$FIB" && has "locked" "$T/err" && ok "locked DB -> clear error"
  kill $LOCKPID 2>/dev/null; wait $LOCKPID 2>/dev/null; LOCKPID=
else
  echo "sqlite3 CLI absent: skipping id-based checks"
fi

echo "just text" > "$T/text.gpkg"
expect_rc 1 "$G" db check "$T/text.gpkg" && has "not a govnet store" "$T/err" && ok "text file refused"
expect_rc 1 "$G" db check "$T/missing.gpkg" && has "no such store" "$T/err" && ok "missing file"

expect_rc 0 "$G" db export "$DB" --out "$T/out.geojson" && has '"layer":"closures"' "$T/out.geojson" && ok "export geojson"
expect_rc 1 "$G" db export "$DB" --out "$T/out.geojson" && has "will not overwrite" "$T/err"
expect_rc 0 "$G" db export "$DB" --out "$T/copy.gpkg" && ok "export gpkg"
if command -v ogrinfo >/dev/null; then
  ogrinfo -ro "$DB" >"$T/ogr" 2>&1
  for l in "sites (Point)" "pops (Point)" "trenches (Line String)" "cables (Line String)" "closures (Point)"; do
    grep -q "$l" "$T/ogr" || bad "ogrinfo: $l missing"
  done
  ogrinfo -ro -so "$T/copy.gpkg" trenches 2>&1 | grep -q "Feature Count" && ok "ogrinfo lists the layers"
fi

# a real street plan, when the planner and the data exist
ACCRA="${GN_DATA_DIR:-}/osm/accra_trotro_routes_2017.osm"
if [ -f "$ACCRA" ] && "$G" plan --help >/dev/null 2>&1 && command -v python3 >/dev/null; then
  python3 "${GN_SOURCE_DIR:?}/scripts/gen_sites.py" "$ACCRA" 80 11 "$T/sites.geojson" >/dev/null
  if "$G" plan --roads "$ACCRA" --sites "$T/sites.geojson" --out "$T/plan.gpkg" >/dev/null 2>&1; then
    expect_rc 0 "$G" db import-plan "$T/accra.gpkg" "$T/plan.gpkg" && has "80 sites" "$T/out" && ok "import Accra plan"
    expect_rc 0 "$G" db check "$T/accra.gpkg" && ok "Accra store consistent"
    # the planner's BOM total (plan_meta cost_fcfa) reaches the summary
    want=$(ogrinfo -q "$T/plan.gpkg" -sql "SELECT value FROM plan_meta WHERE key='cost_fcfa'" 2>/dev/null \
      | sed -n 's/.*value (String) = //p')
    expect_rc 0 "$G" db summary "$T/accra.gpkg" && [ -n "$want" ] && [ "$want" != 0 ] \
      && has '"cost_source":"plan"' "$T/out" && has "\"cost_fcfa\":$want" "$T/out" && ok "summary keeps the plan cost ($want FCFA)"
    expect_rc 1 "$G" db import-plan "$T/x.gpkg" "$T/sites.geojson" && [ ! -e "$T/x.gpkg" ] && ok "bad plan: no file left"
  else
    bad "govnet plan failed on Accra"
  fi
else
  echo "govnet plan or Accra data absent: skipping the real-plan import"
fi

[ $fail -eq 0 ] && echo "store CLI: all passed"
exit $fail
