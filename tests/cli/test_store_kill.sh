#!/usr/bin/env bash
# test_store_kill.sh - SIGKILL in the middle of a large import-plan: the
# store must be exactly as before (same summary, no trenches) and pass
# `govnet db check`; a later import then succeeds.
set -u
G="${GOVNET:?}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB="$T/net.gpkg"
"$G" db init "$DB" >/dev/null || { echo "FAIL: init"; exit 1; }
"$G" db summary "$DB" >"$T/before.json" || exit 1
grep -v imported_at "$T/before.json" >/dev/null

"$G" db import-plan "$DB" --synthetic 8000 --ring 15 >"$T/imp.out" 2>&1 &
PID=$!
# wait until the import transaction has begun (the command says so on
# stderr) and has spilled its first pages into the WAL, then kill it at
# once: a fixed sleep raced the end of the import on fast builds
for _ in $(seq 1 6000); do
  kill -0 $PID 2>/dev/null || break
  if grep -q "in one transaction" "$T/imp.out" &&
     [ "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)" -gt 0 ]; then
    break
  fi
  sleep 0.01
done
if ! kill -9 $PID 2>/dev/null; then
  echo "FAIL: import finished before it could be killed ($(cat "$T/imp.out"))"
  exit 1
fi
wait $PID 2>/dev/null
echo "killed import pid $PID with WAL at $(stat -c %s "$DB-wal" 2>/dev/null) bytes"

"$G" db summary "$DB" >"$T/after.json" || { echo "FAIL: summary after kill"; exit 1; }
if ! cmp -s "$T/before.json" "$T/after.json"; then
  echo "FAIL: store changed by the killed import"; diff "$T/before.json" "$T/after.json" | head; exit 1
fi
"$G" db check "$DB" || { echo "FAIL: check after kill"; exit 1; }
"$G" db import-plan "$DB" --synthetic 50 >/dev/null || { echo "FAIL: import after kill"; exit 1; }
"$G" db check "$DB" >/dev/null || { echo "FAIL: check after re-import"; exit 1; }
echo "kill test: store unchanged and consistent"
