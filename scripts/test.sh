#!/usr/bin/env bash
# Run the whole test suite (unit, CLI, API, browser) of a built tree.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${GN_BUILD:-build}"
. scripts/ensure_built.sh
gn_ensure_built
# Sanitizer settings for ASan/UBSan builds (ignored otherwise).
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" "$@"
