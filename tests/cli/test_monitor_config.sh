#!/usr/bin/env bash
# test_monitor_config.sh - govnet monitor config on a synthetic store: one
# file_sd target per CPE and POP device, management addresses stable from
# run to run and kept when the prefix changes, a full or bad prefix
# refused without writing anything; then promtool check config, amtool
# check-config and blackbox_exporter --config.check on what it wrote (the
# Debian packages prometheus, prometheus-alertmanager,
# prometheus-blackbox-exporter; exit 77 only when they are missing).
set -u
G="${GOVNET:?}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

"$G" db init "$T/net.db" >/dev/null
"$G" db import-plan "$T/net.db" --synthetic 120 --seed 3 --ring 30 >/dev/null
echo tok > "$T/token"
ncpe=$(sqlite3 "$T/net.db" "SELECT count(*) FROM equipment WHERE kind='cpe'")
[ "$ncpe" -gt 100 ] || bad "synthetic store has $ncpe CPEs"
"$G" monitor config "$T/net.db" --out "$T/cfg" --port 2222 --interval 5 \
  --down-after 10 --token-file "$T/token" >"$T/out" 2>"$T/err" \
  && grep -q "$ncpe CPE and 1 POP device targets" "$T/out" \
  && grep -q "$((ncpe + 1)) new management addresses" "$T/out" && ok "config written" \
  || bad "config: $(cat "$T/out" "$T/err")"
python3 - "$T/cfg" "$ncpe" <<'PY' && ok "targets: one per device, unique addresses, labels" || bad "targets"
import json, sys
d = sys.argv[1]
cpe = json.load(open(d + "/targets/cpe.json"))
olt = json.load(open(d + "/targets/olt.json"))
n = int(sys.argv[2])
assert len(cpe) == n and len(olt) == 1, (len(cpe), len(olt))
addrs = [t["targets"][0] for t in cpe + olt]
assert len(set(addrs)) == n + 1 and all(a.endswith(":2222") for a in addrs)
assert addrs[-1] == "10.200.0.1:2222", addrs[-1]  # POP devices first
for t in cpe:
    l = t["labels"]
    assert set(l) >= {"site", "site_name", "organisation", "category",
                      "critical", "pop", "device"}, l
    assert l["critical"] in ("true", "false") and l["pop"], l
PY
cp "$T/cfg/targets/cpe.json" "$T/cpe1.json"
"$G" monitor config "$T/net.db" --out "$T/cfg" --port 2222 --prefix 10.9.0.0/24 \
  >"$T/out" 2>&1 && grep -q "(0 new management" "$T/out" \
  && cmp -s "$T/cpe1.json" "$T/cfg/targets/cpe.json" \
  && ok "second run: same addresses, none new" || bad "second run: $(cat "$T/out")"

"$G" db init "$T/b.db" >/dev/null
"$G" db import-plan "$T/b.db" --synthetic 10 >/dev/null
"$G" monitor config "$T/b.db" --out "$T/full" --prefix 10.9.9.0/29 >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && grep -q "prefix full" "$T/err" && [ ! -e "$T/full" ] \
  && ok "full prefix refused, nothing written" || bad "full prefix: $(cat "$T/err")"
"$G" monitor config "$T/b.db" --out "$T/x" --prefix 10.300.0.0/16 >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && grep -q "management prefix '10.300.0.0/16'" "$T/err" \
  && ok "bad prefix named" || bad "bad prefix: $(cat "$T/err")"
"$G" monitor config "$T/b.db" --out "$T/x" --webhook ftp://x >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && grep -q "webhook 'ftp://x'" "$T/err" && ok "bad webhook named" \
  || bad "bad webhook: $(cat "$T/err")"
"$G" monitor config "$T/b.db" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && ok "no --out is a usage error" || bad "usage"

missing=""
for b in promtool amtool prometheus-blackbox-exporter; do
  command -v "$b" >/dev/null || missing="$missing $b"
done
if [ -n "$missing" ]; then
  echo "missing:$missing (scripts/setup.sh installs them): tool checks skipped"
  [ $fail -eq 0 ] && exit 77
  exit 1
fi
(cd "$T/cfg" && promtool check config prometheus.yml) >"$T/out" 2>&1 \
  && ok "promtool check config" || bad "promtool: $(cat "$T/out")"
amtool check-config "$T/cfg/alertmanager.yml" >"$T/out" 2>&1 \
  && ok "amtool check-config" || bad "amtool: $(cat "$T/out")"
prometheus-blackbox-exporter --config.check --config.file "$T/cfg/blackbox.yml" \
  >"$T/out" 2>&1 && ok "blackbox_exporter config" || bad "blackbox: $(cat "$T/out")"
exit $fail
