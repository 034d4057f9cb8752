"""Benchmark of Lua steps (not a test): how many rows per second a job's own Lua step costs.

Makes a 1-million-row stock once with `builder sample-data` (cached in bench-data/), then runs
`builder run-profile` three times on a niche that keeps a large share of it:

  quick        the quick profile's steps;
  trivial      the same plus a Lua step that sets one added column to a constant, without `reads`
               (so every output column is handed to Lua: the cost of a row as a whole);
  trivial_1    the same step declaring `reads = {"siret"}` (the fixed cost of one call per row);
  team_score   the same plus examples/steps/team_score.lua (a realistic rule: table lookups,
               arithmetic, two added columns).

Each is timed as its own process (wall time, CPU time and peak RSS from wait4, best of --repeat).
A Lua step's throughput is the rows it saw divided by the CPU time it added to the quick run (the
step runs on one thread, and CPU time moves less than wall time on a shared machine).

    scripts/bench-lua-steps.sh [--rows N] [--repeat N] [--skip-build]
"""
import argparse
import json
import pathlib
import shutil
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_measure import measure  # noqa: E402

# A niche of about a third of the stock: the divisions with the most establishments.
DIVISIONS = ["47", "43", "68", "70", "86", "56", "46", "41", "96", "69"]
QUICK_STEPS = ["dumps.collect", "normalize.standardize", "quality.checks", "quality.dedupe", "quality.score"]

TRIVIAL_STEP = """-- the cheapest step there is: one added column, set on every row
return {
  name = "bench.trivial",
  columns = {{name = "bench_flag", type = "integer"}},%s
  row = function(row) row.bench_flag = 1 end,
}
"""


def job_text(lua_step):
    steps = QUICK_STEPS + ([{"lua": lua_step}] if lua_step else []) + ["package.export"]
    return json.dumps({
        "niche": "bench_lua_steps",
        "filters": {"naf_include": DIVISIONS, "active_only": True},
        "profile": "quick",
        "steps": steps,
        "output": {"formats": ["csv", "parquet"]},
    }, indent=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--builder", required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=pathlib.Path, default=pathlib.Path("bench-data"))
    options = parser.parse_args()

    repository = pathlib.Path(__file__).resolve().parent.parent
    options.data_dir.mkdir(parents=True, exist_ok=True)
    stock = (options.data_dir / f"lua-steps-{options.rows}.parquet").resolve()
    if not stock.exists():
        print(f"bench: generating {options.rows} rows with builder sample-data (once, cached in {options.data_dir})",
              file=sys.stderr)
        made = measure([options.builder, "sample-data", "--rows", options.rows, "--out", stock])
        if made.status != 0:
            raise SystemExit(made.stderr)

    with tempfile.TemporaryDirectory(prefix="bench-lua-steps-") as scratch:
        scratch = pathlib.Path(scratch)
        (scratch / "trivial.lua").write_text(TRIVIAL_STEP % "")
        (scratch / "trivial_1.lua").write_text(TRIVIAL_STEP % '\n  reads = {"siret"},')
        shutil.copy(repository / "examples" / "steps" / "team_score.lua", scratch / "team_score.lua")
        cases = {"quick": None, "trivial": "trivial.lua", "trivial_1": "trivial_1.lua", "team_score": "team_score.lua"}
        for name, step in cases.items():
            # JSON is YAML: the job file is written with the standard library only.
            (scratch / f"{name}.yaml").write_text(job_text(step))

        results = {}
        for attempt in range(options.repeat):
            for name in cases:
                out = scratch / f"out-{name}"
                command = [options.builder, "run-profile", "--job", scratch / f"{name}.yaml", "--input", stock,
                           "--out", out, "--json"]
                run = measure(command, cwd=scratch)
                if run.status != 0:
                    raise SystemExit(f"{name}: exit {run.status}\n{run.stderr}")
                rows = json.loads(run.stdout)["rows"]
                best = results.get(name)
                if best is None or run.wall < best[0]:
                    results[name] = (run.wall, run.cpu, run.peak_rss, rows)
                print(f"bench: {name} attempt {attempt + 1}: {run.wall:.2f} s", file=sys.stderr)

    base_wall, base_cpu, _, base_rows = results["quick"]
    print(f"stock: {options.rows} rows; niche: {base_rows} rows (divisions {' '.join(DIVISIONS)}); best of {options.repeat}")
    print(f"{'case':<12} {'wall':>8} {'CPU':>8} {'peak RSS':>9} {'+wall':>7} {'+CPU':>7} {'Lua rows/s':>11}")
    for name, (wall, cpu, rss, rows) in results.items():
        added = cpu - base_cpu
        rate = f"{rows / added:,.0f}" if name != "quick" and added > 0 else "-"
        print(f"{name:<12} {wall:>7.2f}s {cpu:>7.2f}s {rss / 2**20:>7.0f}MB {wall - base_wall:>+6.2f}s {added:>+6.2f}s {rate:>11}")


if __name__ == "__main__":
    main()
