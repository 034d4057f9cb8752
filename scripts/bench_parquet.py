#!/usr/bin/env python3
"""The measurements of scripts/bench-parquet.sh (see there for what is timed and how).

Each measured command runs as a child process started through bench_measure, so that its peak
resident set is its own and not this process's (see there). pyarrow children time their own
operation with time.perf_counter after importing pyarrow and print it on stdout.
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_measure  # noqa: E402

TWO_COLUMNS = ["siret", "activitePrincipaleEtablissement"]

PYARROW_PRELUDE = """
import sys, time
import pyarrow as pa, pyarrow.parquet as pq
pa.set_cpu_count(1)
pa.set_io_thread_count(1)
"""

PYARROW_READ = PYARROW_PRELUDE + """
path, columns = sys.argv[1], (sys.argv[2].split(",") if len(sys.argv) > 2 else None)
start = time.perf_counter()
pf = pq.ParquetFile(path)
rows = 0
for group in range(pf.num_row_groups):
    rows += pf.read_row_group(group, columns=columns, use_threads=False).num_rows
print(time.perf_counter() - start, rows)
"""

PYARROW_REWRITE = PYARROW_PRELUDE + """
source, target = sys.argv[1], sys.argv[2]
start = time.perf_counter()
table = pq.read_table(source, use_threads=False)
pq.write_table(table, target, compression="snappy")
print(time.perf_counter() - start, table.num_rows)
"""

PYARROW_BASELINE = PYARROW_PRELUDE + """
print(0, 0)
"""


def run(arguments, timed_inside=False):
    """Runs a command; returns (seconds, peak RSS in MiB). With timed_inside the command
    prints its own seconds first on stdout."""
    result = bench_measure.measure(arguments)
    if result.status != 0:
        raise SystemExit(f"{' '.join(arguments)} failed ({result.status}):\n{result.stderr}{result.stdout[-2000:]}")
    elapsed = float(result.stdout.split()[0]) if timed_inside else result.wall
    return elapsed, result.peak_rss / 2**20


def best(arguments, runs, timed_inside=False):
    results = [run(arguments, timed_inside) for _ in range(runs)]
    return min(r[0] for r in results), min(r[1] for r in results)


def prepare(builder, data, rows):
    os.makedirs(data, exist_ok=True)
    tag = f"{rows // 1_000_000}m" if rows % 1_000_000 == 0 else str(rows)
    source = os.path.join(data, f"sirene-{tag}-builder-zstd.parquet")
    duck = os.path.join(data, f"sirene-{tag}-duckdb-zstd.parquet")
    arrow = os.path.join(data, f"sirene-{tag}-pyarrow-snappy.parquet")
    million = os.path.join(data, "sirene-1m-pyarrow-snappy.parquet")
    if not os.path.exists(source):
        print(f"making {source} (builder sample-data)...", file=sys.stderr)
        subprocess.run([builder, "sample-data", "--rows", str(rows), "--out", source], check=True)
    if not os.path.exists(duck):
        print(f"making {duck} (DuckDB)...", file=sys.stderr)
        import duckdb
        partial = duck + ".partial"
        duckdb.connect().execute(f"COPY (SELECT * FROM read_parquet('{source}')) TO '{partial}' "
                                 "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)")
        os.replace(partial, duck)
    if not os.path.exists(arrow) or not os.path.exists(million):
        print(f"making {arrow} and {million} (pyarrow)...", file=sys.stderr)
        import pyarrow.parquet as pq
        table = pq.read_table(duck)
        pq.write_table(table, arrow + ".partial", compression="snappy")
        os.replace(arrow + ".partial", arrow)
        pq.write_table(table.slice(0, 1_000_000), million + ".partial", compression="snappy")
        os.replace(million + ".partial", million)
    return duck, arrow, million


def ratio(mine, theirs):
    return f"{mine / theirs:5.2f}x" if theirs > 0 else "  -  "


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--builder", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    duck, arrow, million = prepare(options.builder, options.data, options.rows)

    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}, "
          f"{os.cpu_count()} CPUs; best of {options.runs} runs")
    base_seconds, base_memory = best([sys.executable, "-c", PYARROW_BASELINE], 1, timed_inside=True)
    print(f"pyarrow process after import: {base_memory:.0f} MiB resident")
    header = f"{'':52} {'builder':>16} {'pyarrow (1 thread)':>20} {'time':>7} {'memory':>7}"
    print(header)
    print("-" * len(header))
    results = []

    def line(label, mine, theirs):
        results.append((label, mine, theirs))
        print(f"{label:52} {mine[0]:6.2f} s {mine[1]:5.0f} MiB {theirs[0]:8.2f} s {theirs[1]:6.0f} MiB "
              f"{ratio(mine[0], theirs[0]):>7} {ratio(mine[1], theirs[1]):>7}", flush=True)

    for path in [duck, arrow]:
        name = os.path.basename(path)
        mine = best([options.builder, "inspect", path, "--verify"], options.runs)
        theirs = best([sys.executable, "-c", PYARROW_READ, path], options.runs, timed_inside=True)
        line(f"read all columns  {name}", mine, theirs)
        columns = ",".join(TWO_COLUMNS)
        mine = best([options.builder, "inspect", path, "--verify", "--columns", columns], options.runs)
        theirs = best([sys.executable, "-c", PYARROW_READ, path, columns], options.runs, timed_inside=True)
        line(f"read 2 columns    {name}", mine, theirs)
    out_builder = os.path.join(options.data, "rewrite-builder.parquet")
    out_pyarrow = os.path.join(options.data, "rewrite-pyarrow.parquet")
    mine = best([options.builder, "convert", million, out_builder, "--compression", "snappy"], options.runs)
    theirs = best([sys.executable, "-c", PYARROW_REWRITE, million, out_pyarrow], options.runs, timed_inside=True)
    line("write 1M rows (read + write Snappy)", mine, theirs)
    for path in [out_builder, out_pyarrow]:
        os.remove(path)
    print("-" * len(header))
    print("ratios are builder / pyarrow; targets: all columns <= 1.5x, two columns <= 2x, writing <= 1.5x, memory < 1x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
