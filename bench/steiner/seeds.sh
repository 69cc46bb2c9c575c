#!/usr/bin/env bash
# seeds.sh - run 'govnet steiner' on every instance of a set with several
# seeds, and print each run's gap and CPU time, then the mean and max.
#
# usage: bench/steiner/seeds.sh SET.csv SEED... [-- govnet steiner options]
#   SET.csv  a set CSV (file,optimum,...; files relative to its folder),
#            e.g. /tmp/govnet-raw/raw.csv from make_raw.sh
# env: GOVNET (default build-rel/govnet)
# Output: "instance seed gap_pct cpu_s" lines, then
#   SEEDS n=.. mean_gap=..% max_gap=..% mean_cpu_s=..
# (no solution check: run.sh checks every tree; this measures spread)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
csv="${1:?usage: seeds.sh SET.csv SEED... [-- options]}"
shift
seeds=()
while [[ $# -gt 0 && "$1" != "--" ]]; do seeds+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
[[ ${#seeds[@]} -gt 0 ]] || { echo "seeds.sh: no seed given" >&2; exit 2; }
govnet="${GOVNET:-$root/build-rel/govnet}"
dir="$(cd "$(dirname "$csv")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tail -n +2 "$csv" | while IFS=, read -r file opt _rest; do
  for s in "${seeds[@]}"; do
    /usr/bin/time -f "%U %S" -o "$tmp/time" "$govnet" steiner "$dir/$file" \
      --seed "$s" "$@" > "$tmp/sol" 2> /dev/null
    read -r usr sys < <(tail -n 1 "$tmp/time")
    value="$(head -n 1 "$tmp/sol" | awk '{print $2}')"
    awk -v f="$(basename "$file" .stp)" -v s="$s" -v o="$opt" -v v="$value" \
        -v u="$usr" -v y="$sys" \
        'BEGIN { printf "%s %s %.4f %.2f\n", f, s, 100 * (v - o) / o, u + y }'
  done
done | tee "$tmp/runs"
awk '{ g += $3; c += $4; n++; if ($3 > m) m = $3 }
     END { printf "SEEDS n=%d mean_gap=%.4f%% max_gap=%.4f%% mean_cpu_s=%.3f\n",
           n, g / n, m, c / n }' "$tmp/runs"
