#!/usr/bin/env bash
# Benchmark of the job runner (not a test): builds builder in release mode, makes a 5-million-row
# SIRENE-like Parquet file once (DuckDB, ZSTD, 122 880-row groups; cached in bench-data/), then
# times `builder run-profile` for one subclass and `builder batch` for six codes against polars
# and DuckDB doing the same filter and the same two writes (CSV and Parquet) on the same file;
# the `standard` cases add a matching unit file (sample-data --units), the legal-unit join and
# the headcount and diffusion filters, against polars and DuckDB doing the same join and filters.
# Prints wall time, peak memory (RSS) and ratios, best of --repeat runs.
#
#   scripts/bench-run.sh [--rows N] [--repeat N] [--only single|batch|standard|standard-batch] [--skip-build]
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/bench-common.sh
run_bench scripts/bench_run.py "$@"
