#!/usr/bin/env bash
# make_raw.sh - Build the raw street-graph Steiner set: the instances
# `govnet plan` itself solves (its work graph: every street edge of the
# POP's component, split at the snapped sites, weight = length x price),
# written with `govnet plan --dump-stp`. Sites are drawn from the street
# nodes of each OSM file by scripts/gen_sites.py (fixed seed), so the set
# is the same on every machine. Nothing is committed: the instances are
# generated here, in OUT_DIR.
#
# usage: bench/steiner/make_raw.sh [OUT_DIR]     (default /tmp/govnet-raw)
# env: GOVNET (default build-rel/govnet), GN_DATA_DIR (../shared/data),
#      REF_SEEDS (default "1 2 3": seeds of the long reference runs),
#      REF_QUALITY (default quality).
# Writes OUT_DIR/raw.csv (file,optimum,nodes,edges,terminals,origin) in
# the form run.sh reads; `optimum` is the best known value: the cheapest
# tree of the long reference runs (`--quality quality`, REF_SEEDS), and
# `origin` holds the best proven lower bound of those runs, so
# run.sh raw gives gaps against the best known tree (a lower estimate of
# the true gap) and, with --bound, certified gaps (an upper one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-/tmp/govnet-raw}"
govnet="${GOVNET:-$root/build-rel/govnet}"
osm="${GN_DATA_DIR:-$root/../shared/data}/osm"
seeds="${REF_SEEDS:-1 2 3}"
quality="${REF_QUALITY:-quality}"
[[ -d "$osm" ]] || { echo "make_raw.sh: $osm absent" >&2; exit 77; }
[[ -x "$govnet" ]] || { echo "make_raw.sh: $govnet not built" >&2; exit 1; }
mkdir -p "$out/raw"
# city file, site counts (50-2,000 terminals)
sets=(
  "porto porto_metro_highways_2015.osm.pbf 50 100 150 300 2000"
  "accra accra_trotro_routes_2017.osm 100 500 2000"
  "monaco monaco_2016.osm.pbf 50 500"
)
echo "file,optimum,nodes,edges,terminals,origin" > "$out/raw.csv"
for s in "${sets[@]}"; do
  read -r city file counts <<<"$s"
  for n in $counts; do
    name="$city-$n"
    stp="$out/raw/$name.stp"
    if [[ ! -s "$stp" ]]; then
      python3 "$root/scripts/gen_sites.py" "$osm/$file" "$n" 1 \
        "$out/$name.geojson" > /dev/null
      "$govnet" plan --roads "$osm/$file" --sites "$out/$name.geojson" \
        --out "$out/$name.gpkg" --dump-stp "$stp" > /dev/null
      rm -f "$out/$name.gpkg"
    fi
    best="" lb=0
    for seed in $seeds; do
      "$govnet" steiner "$stp" --quality "$quality" --seed "$seed" --bound \
        > "$out/sol" 2> "$out/err"
      v="$(head -n 1 "$out/sol" | awk '{print $2}')"
      l="$(sed -n 's/^lower bound \([^,]*\),.*/\1/p' "$out/err")"
      best="$(python3 -c "import sys; a=sys.argv[1]; print(sys.argv[2] if not a or float(sys.argv[2]) < float(a) else a)" "$best" "$v")"
      lb="$(python3 -c "import sys; print(max(float(sys.argv[1]), float(sys.argv[2])))" "$lb" "$l")"
    done
    read -r nodes edges terms < <(awk '/^Nodes/{n=$2} /^Edges/{e=$2} /^Terminals/{t=$2} END{print n, e, t}' "$stp")
    echo "raw/$name.stp,$best,$nodes,$edges,$terms,lb=$lb" | tee -a "$out/raw.csv"
  done
done
rm -f "$out/sol" "$out/err"
