#!/usr/bin/env bash
# run.sh - benchmark 'govnet steiner' on a set of STP instances with known
# optima; every solution is checked by check_solution.py.
#
# usage: bench/steiner/run.sh SET [OUT.csv] [-- govnet steiner options]
#   SET      vienna | steinlib (read from $GN_DATA_DIR/steiner/SET.csv),
#            or a CSV path (instances relative to its folder), e.g. the
#            raw street-graph set of make_raw.sh: /tmp/govnet-raw/raw.csv
#   OUT.csv  default: bench/steiner/results-SET.csv
# env: GOVNET (default build-rel/govnet), GN_DATA_DIR (default
#      ../shared/data), BENCH_FILTER (grep -E pattern on file names).
# CSV: file,optimum,value,gap_pct,seconds,cpu_s,peak_kb,valid,lower_bound,
#   cert_gap_pct (the last two with -- --bound: the proven lower bound and
#   100 (value - bound) / bound)
# (seconds = wall clock, cpu_s = user + system time of the solver run)
# Last line printed: SUMMARY set=.. n=.. invalid=.. optimal=.. mean_gap=..%
#   max_gap=..% mean_s=.. max_s=.. mean_cpu_s=.. max_cpu_s=.. max_kb=..
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
set_name="${1:?usage: run.sh vienna|steinlib [OUT.csv] [-- options]}"
shift
out="$here/results-$(basename "$set_name" .csv).csv"
if [[ $# -gt 0 && "$1" != "--" ]]; then out="$1"; shift; fi
[[ $# -gt 0 && "$1" == "--" ]] && shift
govnet="${GOVNET:-$root/build-rel/govnet}"
data="${GN_DATA_DIR:-$root/../shared/data}/steiner"
csv="$data/$set_name.csv"
if [[ "$set_name" == *.csv ]]; then
  csv="$set_name"
  data="$(cd "$(dirname "$set_name")" && pwd)"
  set_name="$(basename "$set_name" .csv)"
fi
[[ -f "$csv" ]] || { echo "run.sh: $csv absent" >&2; exit 77; }
[[ -x "$govnet" ]] || { echo "run.sh: $govnet not built" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "file,optimum,value,gap_pct,seconds,cpu_s,peak_kb,valid,lower_bound,cert_gap_pct" > "$out"
tail -n +2 "$csv" | while IFS=, read -r file opt _rest; do
  if [[ -n "${BENCH_FILTER:-}" ]] && ! grep -Eq "$BENCH_FILTER" <<<"$file"; then
    continue
  fi
  stp="$data/$file"
  status=0
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$govnet" steiner "$stp" "$@" \
    > "$tmp/sol" 2> "$tmp/err" || status=$?
  read -r secs usr sys kb < <(tail -n 1 "$tmp/time")
  cpu="$(python3 -c "print('%.2f' % ($usr + $sys))")"
  valid=1
  if [[ $status -ne 0 ]] ||
     ! python3 "$here/check_solution.py" "$stp" "$tmp/sol" > "$tmp/chk"; then
    valid=0
    echo "INVALID $file: $(cat "$tmp/err" "$tmp/chk" 2>/dev/null | head -2)" >&2
  fi
  value="$(head -n 1 "$tmp/sol" | awk '{print $2}')"
  gap="$(python3 -c "import sys; o=float(sys.argv[1]); v=float(sys.argv[2] or 'nan'); print('%.4f' % (100*(v-o)/o))" "$opt" "${value:-}")"
  lb="$(sed -n 's/^lower bound \([^,]*\), certified gap \([^ ]*\) %$/\1,\2/p' "$tmp/err")"
  if [[ -n "$lb" ]] && ! python3 -c "import sys; sys.exit(float(sys.argv[1]) > float(sys.argv[2]) * (1 + 1e-9))" "${lb%%,*}" "$opt"; then
    echo "BOUND ABOVE OPTIMUM $file: $lb > $opt" >&2
    valid=0
  fi
  echo "$file,$opt,${value:-},$gap,$secs,$cpu,$kb,$valid,${lb:-,}" | tee -a "$out"
done
python3 - "$out" "$set_name" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
gaps = [float(r['gap_pct']) for r in rows if r['valid'] == '1']
secs = [float(r['seconds']) for r in rows]
cpu = [float(r['cpu_s']) for r in rows]
kb = [int(r['peak_kb']) for r in rows]
bad = sum(r['valid'] != '1' for r in rows)
opt = sum(g <= 1e-9 for g in gaps)
cert = [float(r['cert_gap_pct']) for r in rows if r.get('cert_gap_pct')]
if not rows:
    sys.exit('no instance run')
print('SUMMARY set=%s n=%d invalid=%d optimal=%d mean_gap=%.4f%% max_gap=%.4f%% '
      'mean_s=%.3f max_s=%.3f mean_cpu_s=%.3f max_cpu_s=%.3f max_kb=%d' % (
          sys.argv[2], len(rows), bad, opt, sum(gaps) / max(1, len(gaps)),
          max(gaps or [float('nan')]), sum(secs) / len(secs), max(secs),
          sum(cpu) / len(cpu), max(cpu), max(kb)) +
      (' mean_cert_gap=%.4f%% max_cert_gap=%.4f%%' % (
          sum(cert) / len(cert), max(cert)) if cert else ''))
PY
