#!/usr/bin/env bash
# test_store_kill.sh - SIGKILL during a large import-plan, at two moments:
# inside the transaction before anything reached the WAL, and once the
# WAL grows (the commit being written). Each time the store must be
# exactly as before or exactly as after a complete import (the summary of
# the same import into a fresh store; never anything in between), pass
# `govnet db check`, and take a later write (an import into the empty
# store, an edit of the complete one). The first kill must find
# the import unfinished, so the "before" case is exercised every run.
set -u
G="${GOVNET:?}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
N=8000
summary() { "$G" db summary "$1" | sed 's/"imported_at":"[^"]*"/"imported_at":T/'; }

"$G" db init "$T/ref.db" >/dev/null || { echo "FAIL: init"; exit 1; }
"$G" db import-plan "$T/ref.db" --synthetic $N --ring 15 >/dev/null 2>&1 ||
  { echo "FAIL: reference import"; exit 1; }
summary "$T/ref.db" >"$T/complete.json" || exit 1

# kill_at MOMENT: MOMENT is "txn" (0.2 s into the transaction) or "wal"
kill_at() {
  local moment=$1 DB="$T/$1.db"
  "$G" db init "$DB" >/dev/null || { echo "FAIL: init"; return 1; }
  summary "$DB" >"$T/before.json" || return 1
  "$G" db import-plan "$DB" --synthetic $N --ring 15 >"$T/imp.out" 2>&1 &
  local pid=$! began=""
  for _ in $(seq 1 6000); do
    kill -0 $pid 2>/dev/null || break
    if [ -z "$began" ] && grep -q "in one transaction" "$T/imp.out"; then
      began=$(date +%s%N)
    fi
    if [ -n "$began" ]; then
      if [ $moment = txn ] && [ $(( $(date +%s%N) - began )) -ge 200000000 ]; then break; fi
      if [ $moment = wal ] && [ "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)" -gt 0 ]; then break; fi
    fi
    sleep 0.01
  done
  if ! kill -9 $pid 2>/dev/null; then
    wait $pid 2>/dev/null
    [ $moment = wal ] && { echo "kill at $moment: import ended first"; return 0; }
    echo "FAIL: import finished before it could be killed ($(cat "$T/imp.out"))"; return 1
  fi
  wait $pid 2>/dev/null
  local wal; wal=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
  summary "$DB" >"$T/after.json" || { echo "FAIL: summary after kill"; return 1; }
  if cmp -s "$T/before.json" "$T/after.json"; then
    echo "kill at $moment (WAL $wal bytes): store as before"
  elif cmp -s "$T/complete.json" "$T/after.json"; then
    [ $moment = txn ] && { echo "FAIL: import committed within 0.2 s of its transaction"; return 1; }
    echo "kill at $moment (WAL $wal bytes): the commit had landed; store complete"
  else
    echo "FAIL: kill at $moment left a partial store"
    diff "$T/before.json" "$T/after.json" | head -c 600; return 1
  fi
  "$G" db check "$DB" || { echo "FAIL: check after kill"; return 1; }
  if cmp -s "$T/before.json" "$T/after.json"; then
    "$G" db import-plan "$DB" --synthetic 50 >/dev/null 2>&1 || { echo "FAIL: import after kill"; return 1; }
  else
    # a store holding a network refuses a second import, and says why;
    # it must still take an edit (a fiber break, then its repair)
    "$G" db import-plan "$DB" --synthetic 50 >"$T/re.out" 2>&1 &&
      { echo "FAIL: second import into a full store accepted"; return 1; }
    grep -q "already holds a network" "$T/re.out" ||
      { echo "FAIL: second import refused without reason: $(cat "$T/re.out")"; return 1; }
    local fib; fib=$(sqlite3 "$DB" "SELECT fid FROM fibers WHERE broken=0 LIMIT 1")
    [ -n "$fib" ] || { echo "FAIL: no fiber after kill"; return 1; }
    "$G" db fiber break "$DB" "$fib" --note kill-test --user ci >/dev/null &&
      "$G" db fiber repair "$DB" "$fib" --user ci >/dev/null ||
      { echo "FAIL: edit after kill"; return 1; }
  fi
  "$G" db check "$DB" >/dev/null || { echo "FAIL: check after the later write"; return 1; }
}
kill_at txn || exit 1
kill_at wal || exit 1
echo "kill test: the store is always before or after a whole import, and consistent"
