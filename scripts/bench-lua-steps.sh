#!/usr/bin/env bash
# Benchmark of Lua steps (not a test): builds builder in release mode, then times the quick profile
# with and without a Lua step on a niche of a 1-million-row sample stock (cached in bench-data/).
# Prints wall time, peak memory and the Lua steps' rows per second (see scripts/bench_lua_steps.py).
#
#   scripts/bench-lua-steps.sh [--rows N] [--repeat N] [--skip-build]
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/bench-common.sh
run_bench scripts/bench_lua_steps.py "$@"
