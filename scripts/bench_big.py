"""The big-niche benchmark (see scripts/bench-big.sh): niches that keep a large share of the stock,
where the run is bound by its output (standardising, CSV and Parquet writing) and by the memory
that grows with it (the de-duplication keys).

On the run-profile benchmark's stock (made and cached by bench_run.ensure_data), each as its own
process measured by bench_measure, contenders in turn, best of --repeat:

- "all active": one `builder run-profile` job with the 88 divisions of NAF rév. 2 (every row
  the run-profile benchmark's filters keep: active, ...), against polars filtering the same rows
  and writing the same columns (CSV, Parquet SNAPPY);
- division 47: `builder run-profile` against polars, likewise;
- a wide batch: `builder batch` with the 88 divisions (one `--naf` each), against polars reading
  the matching rows once and writing each division's two files;
- a batch of a few big niches: `builder batch --jobs DIR` with 8 job files of 11 divisions each
  (the 88 in order), whose memory is its exports and the rows in flight rather than its keys.
"""
import argparse
import json
import os
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_run  # noqa: E402

DIVISION = "47"


def divisions(builder):
    """The 88 divisions of NAF rév. 2, from the table compiled into builder (sections, then the
    divisions under each)."""
    def children(*code):
        output = subprocess.run([str(builder), "naf", "list", *code, "--json"], check=True, capture_output=True, text=True)
        return [entry["code"] for entry in json.loads(output.stdout)]
    return [division for section in children() for division in children(section)]


def job_text(niche, codes):
    """The run-profile benchmark's job (same profile, dedupe, scoring, budgets) with `codes` as
    `naf_include`."""
    text = bench_run.JOB_TEMPLATE.format(code=niche)
    return re.sub(r"naf_include: .*", "naf_include: " + json.dumps(codes), text)


def builder_job(builder, data, niche, codes):
    def command(workdir):
        job = workdir / "job.yaml"
        job.write_text(job_text(niche, codes))
        return [str(builder), "run-profile", "--job", str(job), "--input", str(data), "--out", str(workdir / "out")]
    return command


def polars_filter(codes):
    """The run-profile benchmark's polars condition (NAF, nomenclature, active, ...) for any of
    `codes`."""
    return " | ".join(f"({bench_run.polars_condition(code)})" for code in codes)


def polars_job(data, codes):
    def command(workdir):
        out = workdir / "out"
        return bench_run.python_command(f"""
            import pathlib, polars as pl
            out = pathlib.Path({str(out)!r}); out.mkdir(parents=True)
            frame = (pl.scan_parquet({str(data)!r}).filter({polars_filter(codes)})
                     .select({bench_run.SOURCE_COLUMNS!r}).collect())
            frame.write_csv(out / "dataset.csv")
            frame.write_parquet(out / "dataset.parquet", compression="snappy")
        """)
    return command


def builder_wide_batch(builder, data, codes):
    def command(workdir):
        arguments = [str(builder), "batch", "--input", str(data), "--output-dir", str(workdir / "out"),
                     "--jobs-dir", str(workdir / "jobs")]
        for code in codes:
            arguments += ["--naf", code]
        return arguments
    return command


GROUPS = 8


def builder_group_batch(builder, data, codes, groups=GROUPS):
    """`builder batch --jobs DIR` with `groups` job files, each the benchmark's job with a run of
    consecutive divisions as `naf_include`."""
    size = -(-len(codes) // groups)

    def command(workdir):
        jobs = workdir / "jobs"
        jobs.mkdir()
        for start in range(0, len(codes), size):
            niche = f"group_{start // size + 1}"
            (jobs / f"{niche}.yaml").write_text(job_text(niche, codes[start:start + size]))
        return [str(builder), "batch", "--jobs", str(jobs), "--input", str(data), "--output-dir", str(workdir / "out")]
    return command


def polars_wide_batch(data, codes):
    """The rows of any division loaded once, then each division's rows written (CSV, Parquet)."""
    def command(workdir):
        return bench_run.python_command(f"""
            import pathlib, polars as pl
            frame = (pl.scan_parquet({str(data)!r}).filter({polars_filter(codes)})
                     .select({bench_run.SOURCE_COLUMNS!r}).collect())
            division = pl.col('activitePrincipaleEtablissement').str.slice(0, 2)
            for code in {codes!r}:
                out = pathlib.Path({str(workdir / "out")!r}) / ("naf_" + code); out.mkdir(parents=True)
                niche = frame.filter(division == code)
                niche.write_csv(out / "dataset.csv")
                niche.write_parquet(out / "dataset.parquet", compression="snappy")
        """)
    return command


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--builder", required=True, type=pathlib.Path)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=pathlib.Path, default=pathlib.Path("bench-data"))
    parser.add_argument("--only", choices=["all", "division", "batch"], action="append",
                        help="run only these comparisons (repeatable)")
    args = parser.parse_args()

    args.builder = args.builder.resolve()
    data = bench_run.ensure_data(args.builder, args.rows, args.data_dir).resolve()
    codes = divisions(args.builder)
    only = set(args.only or ["all", "division", "batch"])
    load = os.getloadavg()
    print(f"bench: {data} ({data.stat().st_size / 2**20:.0f} MB, {args.rows} rows), {len(codes)} divisions, "
          f"{os.cpu_count()} CPUs, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, best of {args.repeat}", file=sys.stderr)
    results = {}
    if "all" in only:
        results.update(bench_run.best_of(args.repeat, [
            ("builder run-profile, all active", builder_job(args.builder, data, "all", codes)),
            ("polars, all active", polars_job(data, codes)),
        ]))
    if "division" in only:
        results.update(bench_run.best_of(args.repeat, [
            (f"builder run-profile {DIVISION}", builder_job(args.builder, data, "naf_" + DIVISION, [DIVISION])),
            (f"polars {DIVISION}", polars_job(data, [DIVISION])),
        ]))
    if "batch" in only:
        results.update(bench_run.best_of(args.repeat, [
            (f"builder batch ({len(codes)} divisions)", builder_wide_batch(args.builder, data, codes)),
            (f"polars, {len(codes)} divisions", polars_wide_batch(data, codes)),
            (f"builder batch ({GROUPS} big niches)", builder_group_batch(args.builder, data, codes)),
        ]))

    load = os.getloadavg()
    print()
    print(f"{'contender':34} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}")
    for name, (wall, rss, cpu) in results.items():
        print(f"{name:34} {wall:8.2f} {cpu:8.2f} {rss / 2**20:12.0f}")
    print()

    def ratio(title, mine, theirs, target):
        if mine in results and theirs in results:
            a, b = results[mine], results[theirs]
            print(f"{title}: {a[0] / b[0]:.2f}x wall (target <= {target}), CPU {a[2] / b[2]:.2f}x, "
                  f"builder peak RSS {a[1] / 2**20:.0f} MB (target < 300)")

    ratio("all active: builder / polars", "builder run-profile, all active", "polars, all active", "1.0")
    ratio(f"division {DIVISION}: builder / polars", f"builder run-profile {DIVISION}", f"polars {DIVISION}", "1.0")
    ratio(f"{len(codes)}-division batch: builder / polars", f"builder batch ({len(codes)} divisions)",
          f"polars, {len(codes)} divisions", "1.0")
    ratio(f"{len(codes)}-division batch / single all-active job", f"builder batch ({len(codes)} divisions)",
          "builder run-profile, all active", "1.2")
    ratio(f"{GROUPS}-niche batch / single all-active job", f"builder batch ({GROUPS} big niches)",
          "builder run-profile, all active", "1.2")
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
