#!/usr/bin/env bash
# Sourced by demo.sh and test.sh: run the set-up (scripts/setup.sh:
# install what is missing, configure, build) when the build is missing or
# older than the sources, so a fresh clone needs no other step. A build
# configured before (say with sanitizers, as CI does) keeps its options:
# CMake reads them from its cache.
gn_ensure_built() {
  local build="${GN_BUILD:-build}"
  if [ ! -x "$build/govnet" ] || [ ! -f "$build/.setup-stamp" ]; then
    echo "== set-up: no build in $build yet: installing and building (scripts/setup.sh)"
    bash scripts/setup.sh
    return
  fi
  local newer
  newer=$(find src include tools tests bench CMakeLists.txt web/package.json \
            web/package-lock.json scripts/setup.sh -newer "$build/.setup-stamp" \
            -type f -print -quit 2>/dev/null)
  if [ -n "$newer" ]; then
    echo "== set-up: sources changed since the last build ($newer): updating"
    bash scripts/setup.sh
  fi
}
