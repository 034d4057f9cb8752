#!/usr/bin/env bash
# Parquet benchmark: builder against pyarrow limited to one thread, on a 5-million-row
# SIRENE-like file. Not a test: it prints times, peak memory and ratios.
#
#   scripts/bench-parquet.sh [--runs N] [--rows N]
#
# Builds builder in release mode, then makes the data once under bench-data/ (git-ignored):
#   sirene-5m-duckdb-zstd.parquet     DuckDB COPY ... (FORMAT parquet, COMPRESSION zstd,
#                                     ROW_GROUP_SIZE 122880): the real file's shape
#   sirene-5m-pyarrow-snappy.parquet  pyarrow write_table defaults (Snappy, 1 Mi-row groups)
#   sirene-1m-pyarrow-snappy.parquet  the first million rows, pyarrow defaults (one row group)
# from `builder sample-data --rows 5000000` (ZSTD, 122 880-row groups). Then, for each file,
# the best of N runs (default 3) of:
#   read all columns   builder inspect FILE --verify (decodes every page of every column)
#                      vs pyarrow ParquetFile.read_row_group(i) for every row group
#   read two columns   the same with siret and activitePrincipaleEtablissement only
# and once for the 1M-row file:
#   write 1M rows      builder convert IN OUT.parquet --compression snappy
#                      vs pq.read_table(IN) then pq.write_table(OUT, compression="snappy"):
#                      both read the same 1M-row file and write it again as Snappy Parquet,
#                      one row group, default pages and dictionaries.
# Time is wall-clock: for builder the whole process; for pyarrow the operation alone, measured
# inside Python after `import pyarrow` (so pyarrow's start-up is not counted against it). Peak
# memory is the maximum resident set of each process (wait4, through scripts/bench_measure.py),
# pyarrow's including the interpreter (its baseline after import is printed too). Ratios are builder / pyarrow: below
# 1 means builder is faster or smaller. The machine load is printed first: run it on a quiet
# machine, repeat, keep the best.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
rows=5000000
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --rows) rows="$2"; shift 2 ;;
        *) echo "usage: scripts/bench-parquet.sh [--runs N] [--rows N]" >&2; exit 2 ;;
    esac
done

swift build -c release --product builder >&2
builder="$(swift build -c release --show-bin-path)/builder"
python3 scripts/bench_parquet.py --builder "$builder" --data bench-data --rows "$rows" --runs "$runs"
