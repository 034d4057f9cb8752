"""`builder run-profile` against independent DuckDB queries, on a SIRENE-like stock written by pyarrow,
by DuckDB (ZSTD), by builder itself and as CSV: every dataset holds exactly the establishments the query selects,
dataset.parquet reads in pyarrow and DuckDB, dataset.csv parses with Python's csv module to the same
rows, sha256.txt matches the files and the manifest's counts match them."""
import csv
import datetime
import hashlib
import json
import pathlib
import subprocess
import sys

import duckdb
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
import sirene_sample  # noqa: E402

ROWS = 60_000

# (id, naf_include, naf_exclude, nomenclature, active_only, regions)
CASES = [
    ("subclass", ["69.20Z"], [], "NAFRev2", True, []),
    ("class-all-states", ["43.29"], [], "NAFRev2", False, []),
    ("group-regions", ["43.2"], [], "NAFRev2", True, ["75", "2A", "971", "13"]),
    ("division", ["43"], [], "NAFRev2", True, []),
    ("division-exclude", ["47"], ["47.11", "47.73Z"], "NAFRev2", True, []),
    ("division-regions-all-states", ["56"], [], "NAFRev2", False, ["69", "2B", "974", "130"]),
    ("naf2025-subclass", ["69.20Y"], [], "NAF2025", True, []),
    ("naf2025-division-regions", ["43"], [], "NAF2025", False, ["33", "2A"]),
]


@pytest.fixture(scope="module")
def stock(builder, tmp_path_factory):
    directory = tmp_path_factory.mktemp("stock")
    csv_path = sirene_sample.make_sample_csv(builder, ROWS, directory / "stock.csv", seed=11)
    # builder's own Parquet of the same seed holds the same rows.
    own_parquet = sirene_sample.make_sample_csv(builder, ROWS, directory / "stock-builder.parquet", seed=11)
    return {
        "csv": csv_path,
        "builder": own_parquet,
        "pyarrow": sirene_sample.write_parquet_pyarrow(csv_path, directory / "stock-pyarrow.parquet", row_group_size=16_384),
        "duckdb": sirene_sample.write_parquet_duckdb(csv_path, directory / "stock-duckdb.parquet", row_group_size=20_480),
    }


@pytest.fixture(scope="module")
def file_order(stock):
    with open(stock["csv"], newline="", encoding="utf-8") as handle:
        return {row["siret"]: index for index, row in enumerate(csv.DictReader(handle))}


def dotted(code):
    compact = code.replace(".", "")
    return compact if len(compact) <= 2 else compact[:2] + "." + compact[2:]


def expected_sirets(csv_path, include, exclude, nomenclature, active_only, regions):
    """The independent selection, in SQL over the CSV read as text."""
    column = "activitePrincipaleEtablissement" if nomenclature == "NAFRev2" else "activitePrincipaleNAF25Etablissement"
    letters = "A-FZ" if nomenclature == "NAFRev2" else "G-LY"
    naf = f"regexp_full_match(coalesce({column}, ''), '[0-9]{{2}}\\.[0-9]{{2}}[{letters}]')"
    naf += " AND (" + " OR ".join(f"starts_with({column}, '{dotted(code)}')" for code in include) + ")"
    for code in exclude:
        naf += f" AND NOT starts_with({column}, '{dotted(code)}')"
    conditions = [naf]
    if nomenclature == "NAFRev2":
        conditions.append("nomenclatureActivitePrincipaleEtablissement = 'NAFRev2'")
    if active_only:
        conditions.append("etatAdministratifEtablissement = 'A'")
    if regions:
        parts = []
        for region in regions:
            parts.append(f"(postal_valid AND starts_with(cp, '{region}'))")
            parts.append(f"coalesce(departement = '{region}', false)")
        conditions.append("(" + " OR ".join(parts) + ")")
    query = f"""
        WITH rows AS (
            SELECT *, codePostalEtablissement AS cp, codeCommuneEtablissement AS cc,
                   regexp_full_match(coalesce(codePostalEtablissement, ''), '(0[1-9]|[1-8][0-9]|9[0-8])[0-9]{{3}}') AS postal_valid
            FROM read_csv('{csv_path}', header=true, all_varchar=true)
        ), located AS (
            SELECT *, CASE
                WHEN regexp_full_match(coalesce(cc, ''), '([0-9]{{2}}|2[AB])[0-9]{{3}}')
                    THEN CASE WHEN substr(cc, 1, 2) IN ('97', '98') THEN substr(cc, 1, 3) ELSE substr(cc, 1, 2) END
                WHEN postal_valid THEN CASE
                    WHEN substr(cp, 1, 2) = '20' THEN CASE WHEN substr(cp, 3, 1) < '2' THEN '2A' ELSE '2B' END
                    WHEN substr(cp, 1, 2) IN ('97', '98') THEN substr(cp, 1, 3)
                    ELSE substr(cp, 1, 2) END
                END AS departement
            FROM rows
        )
        SELECT siret FROM located WHERE {' AND '.join(conditions)}
    """
    return [row[0] for row in duckdb.sql(query).fetchall()]


def write_job(path, include, exclude, nomenclature, active_only, regions):
    lines = [
        'niche: "naf_test"',
        "filters:",
        f"  naf_include: {json.dumps(include)}",
        f"  naf_exclude: {json.dumps(exclude)}",
        f'  naf_nomenclature: "{nomenclature}"',
        f"  active_only: {'true' if active_only else 'false'}",
        f"  regions: {json.dumps(regions)}",
        'profile: "quick"',
        'dedupe: {keys: ["siret"], fuzzy: false}',
        "kpi_targets: {min_quality_score: 80, max_dup_pct: 1.5}",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def run_profile(builder, job, input_path, out, *extra):
    result = subprocess.run([str(builder), "run-profile", "--job", str(job), "--input", str(input_path), "--out", str(out),
                             "--json", *extra], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def csv_text(value):
    """A Parquet value as dataset.csv writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def check_outputs(out, summary, expected, file_order):
    manifest = json.loads((out / "manifest.json").read_text())

    # dataset.csv: RFC 4180, parsed by the csv module.
    with open(out / "dataset.csv", newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, strict=True)
        header = next(reader)
        csv_rows = list(reader)
    assert header[:2] == ["siren", "siret"]
    assert all(len(row) == len(header) for row in csv_rows)
    sirets = [row[header.index("siret")] for row in csv_rows]
    assert len(sirets) == len(expected)
    assert sorted(sirets) == sorted(expected)
    positions = [file_order[siret] for siret in sirets]
    assert positions == sorted(positions), "rows are not in file order"

    # dataset.parquet: the same rows, read by pyarrow and by DuckDB.
    table = pq.read_table(out / "dataset.parquet")
    assert table.column_names == header
    parquet_rows = [[csv_text(value) for value in row.values()] for row in table.to_pylist()]
    assert parquet_rows == csv_rows
    duck = duckdb.sql(f"SELECT siret FROM read_parquet('{out / 'dataset.parquet'}')").fetchall()
    assert [row[0] for row in duck] == sirets
    schema = {field.name: str(field.type) for field in table.schema}
    assert schema["date_creation"] == "date32[day]"
    assert schema["siret_valide"] == "bool"
    assert schema["quality_score"] == "int64"

    # sha256.txt, manifest and summary.
    listed = {}
    for line in (out / "sha256.txt").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == {"dataset.csv", "dataset.parquet", "report.html"}
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
        assert manifest["outputs"][name]["sha256"] == digest
        assert manifest["outputs"][name]["rows"] == len(expected)
    assert manifest["rows"] == len(expected) == summary["rows"]
    assert manifest["counts"]["rows_exported"] == len(expected)
    assert manifest["counts"]["rows_read"] == sum(1 for _ in file_order)
    steps = {step["name"]: step for step in manifest["steps"]}
    assert steps["dumps.collect"]["rows_out"] == len(expected)
    assert steps["package.export"]["rows_out"] == len(expected)
    log = (out / "logs" / f"{manifest['run_id']}.jsonl").read_text().splitlines()
    assert [json.loads(line)["event"] for line in log][-1] == "run.finished"


@pytest.mark.parametrize("source", ["pyarrow", "duckdb", "builder", "csv"])
@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_datasets_hold_exactly_the_selected_establishments(builder, stock, file_order, tmp_path, source, case):
    _, include, exclude, nomenclature, active_only, regions = case
    expected = expected_sirets(stock["csv"], include, exclude, nomenclature, active_only, regions)
    assert expected, "the sample should hold establishments for every case"
    job = write_job(tmp_path / "job.yaml", include, exclude, nomenclature, active_only, regions)
    summary = run_profile(builder, job, stock[source], tmp_path / "out")
    check_outputs(tmp_path / "out", summary, expected, file_order)


def test_older_nomenclatures_never_match(builder, stock, tmp_path):
    # Closed rows carry NAFRev1 / NAF1993 codes such as 52.1D: a division 52 job must not see them.
    older = duckdb.sql(f"""SELECT count(*) FROM read_csv('{stock['csv']}', header=true, all_varchar=true)
                           WHERE nomenclatureActivitePrincipaleEtablissement <> 'NAFRev2'
                             AND starts_with(activitePrincipaleEtablissement, '52')""").fetchall()[0][0]
    assert older > 0
    job = write_job(tmp_path / "job.yaml", ["52"], [], "NAFRev2", False, [])
    summary = run_profile(builder, job, stock["duckdb"], tmp_path / "out")
    with open(tmp_path / "out" / "dataset.csv", newline="", encoding="utf-8") as handle:
        codes = {row["naf_code"] for row in csv.DictReader(handle)}
    assert codes and all(len(code) == 6 and code.startswith("52.") for code in codes)
    assert summary["rows"] == len(expected_sirets(stock["csv"], ["52"], [], "NAFRev2", False, []))


def test_sample_takes_the_first_rows_in_file_order(builder, stock, file_order, tmp_path):
    expected = expected_sirets(stock["csv"], ["43"], [], "NAFRev2", True, [])
    first = sorted(expected, key=file_order.__getitem__)[:100]
    job = write_job(tmp_path / "job.yaml", ["43"], [], "NAFRev2", True, [])
    summary = run_profile(builder, job, stock["pyarrow"], tmp_path / "out", "--sample", "100", "--workers", "3")
    assert summary["rows"] == 100
    with open(tmp_path / "out" / "dataset.csv", newline="", encoding="utf-8") as handle:
        assert [row["siret"] for row in csv.DictReader(handle)] == first


def test_empty_match_has_header_and_schema(builder, stock, tmp_path):
    job = write_job(tmp_path / "job.yaml", ["99.00Z"], [], "NAFRev2", True, ["2B"])
    summary = run_profile(builder, job, stock["duckdb"], tmp_path / "out")
    assert summary["rows"] == 0
    with open(tmp_path / "out" / "dataset.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 and rows[0][:2] == ["siren", "siret"]
    table = pq.read_table(tmp_path / "out" / "dataset.parquet")
    assert table.num_rows == 0
    assert table.column_names == rows[0]
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{tmp_path / 'out' / 'dataset.parquet'}')").fetchall()[0][0] == 0
