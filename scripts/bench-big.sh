#!/usr/bin/env bash
# Benchmark of big niches (not a test): builds builder in release mode, reuses the run-profile
# benchmark's 5-million-row SIRENE-like Parquet file (made once, cached in bench-data/), then
# times `builder run-profile` keeping every active establishment (the 88 divisions) and division
# 47, and `builder batch` with the 88 divisions, against polars doing the same filter and the
# same two writes (CSV and Parquet). Prints wall time, CPU time, peak memory (RSS), ratios and the
# machine's load average, best of --repeat runs.
#
#   scripts/bench-big.sh [--rows N] [--repeat N] [--only all|division|batch]... [--skip-build]
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/bench-common.sh
run_bench scripts/bench_big.py "$@"
