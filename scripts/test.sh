#!/usr/bin/env bash
# Run the whole test suite (unit, CLI, API, browser) of a built tree.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${GN_BUILD:-build}"
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" "$@"
