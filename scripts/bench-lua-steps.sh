#!/usr/bin/env bash
# Benchmark of Lua steps (not a test): builds builder in release mode, then times the quick profile
# with and without a Lua step on a niche of a 1-million-row sample stock (cached in bench-data/).
# Prints wall time, peak memory and the Lua steps' rows per second (see scripts/bench_lua_steps.py).
#
#   scripts/bench-lua-steps.sh [--rows N] [--repeat N] [--skip-build]
set -euo pipefail
cd "$(dirname "$0")/.."

skip_build=0
args=()
for argument in "$@"; do
    if [ "$argument" = "--skip-build" ]; then skip_build=1; else args+=("$argument"); fi
done
if [ "$skip_build" -eq 0 ]; then
    swift build -c release --product builder >&2
fi
exec python3 scripts/bench_lua_steps.py --builder "$(swift build -c release --show-bin-path)/builder" ${args[@]+"${args[@]}"}
