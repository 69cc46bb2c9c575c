#!/usr/bin/env bash
# test_monitor_e2e.sh - govnet + real Prometheus, blackbox_exporter and
# Alertmanager on loopback (tests/api/monitor_e2e.py): a trench cut, a
# power fault and two simultaneous cuts become incidents naming their
# cause within 60 s and are resolved when the sites come back. Skips (77)
# only when the Prometheus binaries are missing (scripts/setup.sh installs
# them, so CI runs it). Takes about 2-4 minutes.
set -u
G="${GOVNET:?}"
SITES="${GN_DATA_DIR:-../shared/data}/togo/lome_public_buildings.geojson"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
for b in prometheus prometheus-alertmanager prometheus-blackbox-exporter; do
  command -v "$b" >/dev/null || { echo "$b missing (scripts/setup.sh): skipping"; exit 77; }
done
[ -f "$SITES" ] || { echo "FAIL: $SITES absent"; exit 1; }
exec timeout 540 python3 "$(dirname "$0")/monitor_e2e.py" "$G" "$SITES"
