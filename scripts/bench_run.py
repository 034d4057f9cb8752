"""The run-profile benchmark (see scripts/bench-run.sh): builder against polars and DuckDB on the
same SIRENE-like Parquet file, the same filters and the same two writes (CSV and Parquet).

Each contender runs as its own process, started through bench_measure (wall time, CPU time and
peak resident memory from wait4(); for `builder batch`, the peak of the batch process and of the
jobs it ran one after another).
The contenders run in turn, round after round, and each one's best run is reported.
"""
import argparse
import os
import pathlib
import shutil
import sys
import tempfile
import textwrap

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_measure  # noqa: E402
import sirene_sample  # noqa: E402

SINGLE_CODE = "6920Z"
BATCH_CODES = ["6920Z", "4329A", "43", "4711F", "6201Z", "5610A"]

# The input columns builder reads for its output (filters included): the peers select the same.
SOURCE_COLUMNS = [
    "siren", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement", "trancheEffectifsEtablissement",
    "dateDernierTraitementEtablissement", "etablissementSiege", "complementAdresseEtablissement",
    "numeroVoieEtablissement", "indiceRepetitionEtablissement", "typeVoieEtablissement", "libelleVoieEtablissement",
    "distributionSpecialeEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement", "codeCommuneEtablissement", "libellePaysEtrangerEtablissement",
    "dateDebut", "etatAdministratifEtablissement", "enseigne1Etablissement", "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement",
    "activitePrincipaleNAF25Etablissement",
]

JOB_TEMPLATE = """niche: "naf_{code}"
filters:
  naf_include: ["{code}"]
  naf_nomenclature: "NAFRev2"
  active_only: true
  diffusible_only: true
profile: "quick"
dedupe: {{keys: ["siret"], fuzzy: false}}
scoring: {{weights: {{contactability: 50, unicity: 20, completeness: 20, freshness: 10}}}}
kpi_targets: {{min_quality_score: 80, max_dup_pct: 1.5}}
budgets: {{time_budget_min: 30, ram_mb: 2048}}
"""


# The standard profile: the legal-unit join (with --units) and the filters sales teams use.
STANDARD_JOB_TEMPLATE = """niche: "naf_{code}"
filters:
  naf_include: ["{code}"]
  naf_nomenclature: "NAFRev2"
  active_only: true
  diffusible_only: true
  effectif_min: 1
profile: "standard"
dedupe: {{keys: ["siret"], fuzzy: false}}
"""

# The unit columns the join reads (the peers select the same).
UNIT_COLUMNS = [
    "siren", "denominationUniteLegale", "prenomUsuelUniteLegale", "prenom1UniteLegale", "nomUsageUniteLegale",
    "nomUniteLegale", "sigleUniteLegale", "categorieJuridiqueUniteLegale", "categorieEntreprise",
    "trancheEffectifsUniteLegale", "dateCreationUniteLegale", "etatAdministratifUniteLegale",
    "economieSocialeSolidaireUniteLegale", "societeMissionUniteLegale",
]
# The headcount bands of at least one person (effectif_min: 1).
EMPLOYER_BANDS = ["01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"]


def dotted(code):
    """`6920Z` -> `69.20Z`, `43` -> `43`, `432` -> `43.2`."""
    return code if len(code) <= 2 else code[:2] + "." + code[2:]


def sql_condition(code):
    value = dotted(code)
    naf = "activitePrincipaleEtablissement = '{0}'" if len(code) == 5 else "starts_with(activitePrincipaleEtablissement, '{0}')"
    return (f"({naf.format(value)} AND nomenclatureActivitePrincipaleEtablissement = 'NAFRev2' "
            f"AND etatAdministratifEtablissement = 'A' AND statutDiffusionEtablissement = 'O')")


def polars_condition(code):
    value = dotted(code)
    naf = (f"pl.col('activitePrincipaleEtablissement') == '{value}'" if len(code) == 5
           else f"pl.col('activitePrincipaleEtablissement').str.starts_with('{value}')")
    return (f"({naf}) & (pl.col('nomenclatureActivitePrincipaleEtablissement') == 'NAFRev2') "
            f"& (pl.col('etatAdministratifEtablissement') == 'A') & (pl.col('statutDiffusionEtablissement') == 'O')")


def standard_sql(code):
    """The single standard job's filters: the template's, and employers only (effectif_min: 1)."""
    return f"{sql_condition(code)} AND trancheEffectifsEtablissement IN ({', '.join(repr(band) for band in EMPLOYER_BANDS)})"


def standard_polars(code):
    return f"{polars_condition(code)} & pl.col('trancheEffectifsEtablissement').is_in({EMPLOYER_BANDS!r})"


def measure(command, cwd):
    """Runs `command`; returns (wall seconds, peak RSS bytes, CPU seconds)."""
    result = bench_measure.measure(command, cwd=cwd)
    if result.status != 0:
        raise SystemExit(f"benchmark command failed ({result.status}): {' '.join(command)}\n{result.stderr}")
    return result.wall, result.peak_rss, result.cpu


def run_once(make_command, label, attempt):
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="bench-run-"))
    try:
        result = measure(make_command(workdir), cwd=workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        # The removal's disk work done now, not during the next contender's timed run.
        os.sync()
    print(f"  {label}: run {attempt + 1}: {result[0]:.2f} s, {result[1] / 2**20:.0f} MB, CPU {result[2]:.2f} s",
          file=sys.stderr)
    return result


def best_of(repeat, contenders):
    """Runs the contenders in turn, `repeat` rounds (so that a change of load on the shared
    machine affects them all alike); per contender, the fastest run's wall and CPU time, and the
    highest peak RSS of all its runs."""
    runs = {label: [] for label, _ in contenders}
    for attempt in range(repeat):
        for label, make_command in contenders:
            runs[label].append(run_once(make_command, label, attempt))
    results = {}
    for label, measured in runs.items():
        best = min(measured, key=lambda run: run[0])
        results[label] = (best[0], max(run[1] for run in measured), best[2])
    return results


def python_command(script):
    return [sys.executable, "-c", textwrap.dedent(script)]


def builder_single(builder, data):
    def command(workdir):
        job = workdir / "job.yaml"
        job.write_text(JOB_TEMPLATE.format(code=SINGLE_CODE))
        return [str(builder), "run-profile", "--job", str(job), "--input", str(data), "--out", str(workdir / "out")]
    return command


def polars_single(data):
    def command(workdir):
        out = workdir / "out"
        return python_command(f"""
            import pathlib, polars as pl
            out = pathlib.Path({str(out)!r}); out.mkdir(parents=True)
            frame = (pl.scan_parquet({str(data)!r}).filter({polars_condition(SINGLE_CODE)})
                     .select({SOURCE_COLUMNS!r}).collect())
            frame.write_csv(out / "dataset.csv")
            frame.write_parquet(out / "dataset.parquet", compression="snappy")
        """)
    return command


def builder_batch(builder, data):
    def command(workdir):
        arguments = [str(builder), "batch", "--input", str(data), "--output-dir", str(workdir / "out"),
                     "--jobs-dir", str(workdir / "jobs")]
        for code in BATCH_CODES:
            arguments += ["--naf", code]
        return arguments
    return command


def builder_batch_without_cache(builder, data):
    """The same batch with a runner given explicitly, which turns the shared input cache off:
    six full scans of the file."""
    def command(workdir):
        arguments = builder_batch(builder, data)(workdir)
        return arguments + ["--runner", f"{builder} run-profile --job {{job}} --input {{input}} --out {{out}} --profile {{profile}}"]
    return command


def duckdb_per_code(data):
    """Strategy 1: one query per code over the file (its rows kept in a temporary table, then
    written twice)."""
    def command(workdir):
        return python_command(f"""
            import duckdb, pathlib
            connection = duckdb.connect()
            columns = ", ".join({SOURCE_COLUMNS!r})
            for code, condition in {[(code, sql_condition(code)) for code in BATCH_CODES]!r}:
                out = pathlib.Path({str(workdir / "out")!r}) / ("naf_" + code); out.mkdir(parents=True)
                connection.execute(f"CREATE OR REPLACE TEMP TABLE niche AS SELECT {{columns}} FROM read_parquet('{data}') WHERE {{condition}}")
                connection.execute(f"COPY niche TO '{{out}}/dataset.csv' (HEADER)")
                connection.execute(f"COPY niche TO '{{out}}/dataset.parquet' (FORMAT parquet, COMPRESSION snappy)")
        """)
    return command


def duckdb_load_once(data):
    """Strategy 2: the rows matching any code loaded once, then one query per code."""
    def command(workdir):
        union = " OR ".join(sql_condition(code) for code in BATCH_CODES)
        return python_command(f"""
            import duckdb, pathlib
            connection = duckdb.connect()
            columns = ", ".join({SOURCE_COLUMNS!r})
            connection.execute(f"CREATE TEMP TABLE matching AS SELECT {{columns}} FROM read_parquet('{data}') WHERE {union}")
            for code, condition in {[(code, sql_condition(code)) for code in BATCH_CODES]!r}:
                out = pathlib.Path({str(workdir / "out")!r}) / ("naf_" + code); out.mkdir(parents=True)
                query = f"SELECT * FROM matching WHERE {{condition}}"
                connection.execute(f"COPY ({{query}}) TO '{{out}}/dataset.csv' (HEADER)")
                connection.execute(f"COPY ({{query}}) TO '{{out}}/dataset.parquet' (FORMAT parquet, COMPRESSION snappy)")
        """)
    return command


def builder_standard(builder, data, units):
    def command(workdir):
        job = workdir / "job.yaml"
        job.write_text(STANDARD_JOB_TEMPLATE.format(code=SINGLE_CODE))
        # --offline: the web steps make no request (the peers do no web enrichment either).
        return [str(builder), "run-profile", "--job", str(job), "--input", str(data), "--units", str(units),
                "--offline", "--out", str(workdir / "out")]
    return command


def polars_standard(data, units):
    """The same filters, the semi-join (units of the niche's SIRENs only) and the two writes."""
    def command(workdir):
        out = workdir / "out"
        return python_command(f"""
            import pathlib, polars as pl
            out = pathlib.Path({str(out)!r}); out.mkdir(parents=True)
            niche = (pl.scan_parquet({str(data)!r}).filter({standard_polars(SINGLE_CODE)})
                     .select({SOURCE_COLUMNS!r}).collect())
            units = (pl.scan_parquet({str(units)!r}).select({UNIT_COLUMNS!r})
                     .filter(pl.col('siren').is_in(niche['siren'].unique())).collect())
            frame = niche.join(units, on='siren', how='left')
            frame.write_csv(out / "dataset.csv")
            frame.write_parquet(out / "dataset.parquet", compression="snappy")
        """)
    return command


def duckdb_standard(data, units):
    def command(workdir):
        out = workdir / "out"
        return python_command(f"""
            import duckdb, pathlib
            out = pathlib.Path({str(out)!r}); out.mkdir(parents=True)
            connection = duckdb.connect()
            columns = ", ".join("s." + name for name in {SOURCE_COLUMNS!r})
            unit_columns = ", ".join("u." + name for name in {UNIT_COLUMNS[1:]!r})
            connection.execute(f"CREATE TEMP TABLE niche AS SELECT {{columns}} FROM read_parquet('{data}') s "
                               f"WHERE {standard_sql(SINGLE_CODE)}")
            connection.execute(f"CREATE TEMP TABLE joined AS SELECT s.*, {{unit_columns}} FROM niche s "
                               f"LEFT JOIN read_parquet('{units}') u USING (siren)")
            connection.execute(f"COPY joined TO '{{out}}/dataset.csv' (HEADER)")
            connection.execute(f"COPY joined TO '{{out}}/dataset.parquet' (FORMAT parquet, COMPRESSION snappy)")
        """)
    return command


def builder_standard_batch(builder, data, units):
    def command(workdir):
        return builder_batch(builder, data)(workdir) + ["--profile", "standard", "--units", str(units), "--offline"]
    return command


def duckdb_standard_batch(data, units):
    """The rows of any code and their units loaded once, then one query per code (DuckDB's best
    strategy in the quick batch)."""
    def command(workdir):
        union = " OR ".join(sql_condition(code) for code in BATCH_CODES)
        return python_command(f"""
            import duckdb, pathlib
            connection = duckdb.connect()
            columns = ", ".join("s." + name for name in {SOURCE_COLUMNS!r})
            unit_columns = ", ".join("u." + name for name in {UNIT_COLUMNS[1:]!r})
            connection.execute(f"CREATE TEMP TABLE matching AS SELECT {{columns}} FROM read_parquet('{data}') s WHERE {union}")
            connection.execute(f"CREATE TEMP TABLE joined AS SELECT s.*, {{unit_columns}} FROM matching s "
                               f"LEFT JOIN read_parquet('{units}') u USING (siren)")
            for code, condition in {[(code, sql_condition(code)) for code in BATCH_CODES]!r}:
                out = pathlib.Path({str(workdir / "out")!r}) / ("naf_" + code); out.mkdir(parents=True)
                query = f"SELECT * FROM joined WHERE {{condition}}"
                connection.execute(f"COPY ({{query}}) TO '{{out}}/dataset.csv' (HEADER)")
                connection.execute(f"COPY ({{query}}) TO '{{out}}/dataset.parquet' (FORMAT parquet, COMPRESSION snappy)")
        """)
    return command


def polars_standard_batch(data, units):
    def command(workdir):
        union = " | ".join(f"({polars_condition(code)})" for code in BATCH_CODES)
        return python_command(f"""
            import pathlib, polars as pl
            matching = pl.scan_parquet({str(data)!r}).filter({union}).select({SOURCE_COLUMNS!r}).collect()
            units = (pl.scan_parquet({str(units)!r}).select({UNIT_COLUMNS!r})
                     .filter(pl.col('siren').is_in(matching['siren'].unique())).collect())
            joined = matching.join(units, on='siren', how='left')
            for code, condition in {[(code, polars_condition(code)) for code in BATCH_CODES]!r}:
                out = pathlib.Path({str(workdir / "out")!r}) / ("naf_" + code); out.mkdir(parents=True)
                frame = joined.filter(eval(condition))
                frame.write_csv(out / "dataset.csv")
                frame.write_parquet(out / "dataset.parquet", compression="snappy")
        """)
    return command


def ensure_units(builder, rows, data_dir):
    """The unit file matching the stock of `rows` rows (sample-data makes both from one seed)."""
    units = data_dir / f"units-{rows}.parquet"
    stock = data_dir / f"sirene-{rows}.parquet"
    if units.exists():
        return units
    print(f"bench: generating the unit file of the {rows}-row stock (once, cached in {data_dir})", file=sys.stderr)
    csv = data_dir / f"sirene-{rows}.csv"
    units_csv = data_dir / f"units-{rows}.csv"
    sirene_sample.make_sample_csv(builder, rows, csv, units=units_csv)
    partial = data_dir / f".units-{rows}.parquet.partial"
    sirene_sample.write_parquet_duckdb(units_csv, partial, row_group_size=122_880, compression="zstd")
    if not stock.exists():
        stock_partial = data_dir / f".sirene-{rows}.parquet.partial"
        sirene_sample.write_parquet_duckdb(csv, stock_partial, row_group_size=122_880, compression="zstd")
        stock_partial.rename(stock)
    partial.rename(units)
    csv.unlink()
    units_csv.unlink()
    return units


def ensure_data(builder, rows, data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    parquet = data_dir / f"sirene-{rows}.parquet"
    if parquet.exists():
        return parquet
    csv = data_dir / f"sirene-{rows}.csv"
    print(f"bench: generating {rows} rows with builder sample-data (once, cached in {data_dir})", file=sys.stderr)
    sirene_sample.make_sample_csv(builder, rows, csv)
    partial = data_dir / f".sirene-{rows}.parquet.partial"
    sirene_sample.write_parquet_duckdb(csv, partial, row_group_size=122_880, compression="zstd")
    partial.rename(parquet)
    csv.unlink()
    return parquet


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--builder", required=True, type=pathlib.Path)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=pathlib.Path, default=pathlib.Path("bench-data"))
    parser.add_argument("--only", choices=["single", "batch", "standard", "standard-batch"],
                        help="run one of the comparisons (standard ones join the legal units)")
    args = parser.parse_args()

    args.builder = args.builder.resolve()
    units = None
    if args.only in (None, "standard", "standard-batch"):
        args.data_dir.mkdir(parents=True, exist_ok=True)
        units = ensure_units(args.builder, args.rows, args.data_dir).resolve()
    data = ensure_data(args.builder, args.rows, args.data_dir).resolve()
    print(f"bench: {data} ({data.stat().st_size / 2**20:.0f} MB, {args.rows} rows), load {os.getloadavg()[0]:.2f}, "
          f"best of {args.repeat}", file=sys.stderr)
    results = {}
    if args.only in (None, "single"):
        results.update(best_of(args.repeat, [
            ("builder run-profile " + SINGLE_CODE, builder_single(args.builder, data)),
            ("polars " + SINGLE_CODE, polars_single(data)),
        ]))
    if args.only in (None, "batch"):
        results.update(best_of(args.repeat, [
            ("builder batch (6 codes)", builder_batch(args.builder, data)),
            ("builder batch, no input cache", builder_batch_without_cache(args.builder, data)),
            ("duckdb one query per code", duckdb_per_code(data)),
            ("duckdb load once", duckdb_load_once(data)),
        ]))

    if args.only in (None, "standard"):
        results.update(best_of(args.repeat, [
            ("builder standard " + SINGLE_CODE, builder_standard(args.builder, data, units)),
            ("polars standard " + SINGLE_CODE, polars_standard(data, units)),
            ("duckdb standard " + SINGLE_CODE, duckdb_standard(data, units)),
        ]))
    if args.only in (None, "standard-batch"):
        results.update(best_of(args.repeat, [
            ("builder standard batch (6 codes)", builder_standard_batch(args.builder, data, units)),
            ("polars standard batch", polars_standard_batch(data, units)),
            ("duckdb standard batch", duckdb_standard_batch(data, units)),
        ]))

    print()
    print(f"{'contender':34} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}")
    for name, (wall, rss, cpu) in results.items():
        print(f"{name:34} {wall:8.2f} {cpu:8.2f} {rss / 2**20:12.0f}")
    print()
    if "polars " + SINGLE_CODE in results:
        mine, theirs = results["builder run-profile " + SINGLE_CODE], results["polars " + SINGLE_CODE]
        print(f"single subclass: builder / polars wall = {mine[0] / theirs[0]:.2f}x (target <= 1.0), "
              f"builder peak RSS {mine[1] / 2**20:.0f} MB (target < 300)")
    if "builder batch (6 codes)" in results:
        mine = results["builder batch (6 codes)"]
        better = min(results["duckdb one query per code"][0], results["duckdb load once"][0])
        print(f"six-code batch: builder / best DuckDB wall = {mine[0] / better:.2f}x (target <= 1.0), "
              f"builder peak RSS {mine[1] / 2**20:.0f} MB (target < 300)")
    for mine_name, peers in [("builder standard " + SINGLE_CODE, ["polars standard " + SINGLE_CODE, "duckdb standard " + SINGLE_CODE]),
                             ("builder standard batch (6 codes)", ["polars standard batch", "duckdb standard batch"])]:
        if mine_name not in results:
            continue
        mine = results[mine_name]
        faster = min(results[peer][0] for peer in peers)
        print(f"{mine_name}: builder / faster peer wall = {mine[0] / faster:.2f}x (target <= 1.0), "
              f"builder peak RSS {mine[1] / 2**20:.0f} MB (target < 300); peers: "
              + ", ".join(f"{peer} {results[peer][0]:.2f} s, {results[peer][1] / 2**20:.0f} MB" for peer in peers))


if __name__ == "__main__":
    main()
