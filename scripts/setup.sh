#!/usr/bin/env bash
# Install every Debian package govnet needs, then configure and build.
# Usage: scripts/setup.sh [extra cmake args]   (build dir: $GN_BUILD or ./build)
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
PKGS="build-essential cmake pkg-config git
  libgdal-dev gdal-bin libproj-dev proj-bin libreadosm-dev libexpat1-dev
  libsqlite3-dev sqlite3 libjansson-dev libcurl4-gnutls-dev libmicrohttpd-dev libsodium-dev openssl libcairo2-dev
  libcmocka-dev zlib1g-dev osmium-tool tilemaker valgrind wrk nginx-light curl python3 python3-networkx python3-jsonschema
  chromium prometheus prometheus-blackbox-exporter prometheus-alertmanager
  freeradius freeradius-utils poppler-utils freeradius-rest"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# Node.js may come from Debian (nodejs + npm) or from an image that bundles
# npm with nodejs; install Debian's only when there is none.
if ! command -v npm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
# npm ci wipes node_modules: only when the lock file changed since.
if [ -f web/package.json ] && { [ ! -d web/node_modules ] ||
     [ web/package-lock.json -nt web/node_modules ]; }; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
fi
BUILD="${GN_BUILD:-build}"
cmake -S . -B "$BUILD" "$@"
cmake --build "$BUILD" -j"$(nproc)"
# demo.sh and test.sh compare the sources with this stamp (ensure_built.sh)
touch "$BUILD/.setup-stamp"
