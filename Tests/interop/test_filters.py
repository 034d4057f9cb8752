"""The job's filters on headcount, creation date, head office, diffusion, legal category, company
category and an exclusion list, and the label columns of `enrich.labels`, against independent
DuckDB queries: on stocks and unit files written by pyarrow, by DuckDB and as CSV, each filter
keeps exactly the rows the query keeps, and each label equals a join against the same Data/*.tsv
tables. The niches take in natural persons, masked (partially diffusible) rows and overseas
départements."""
import json
import pathlib
import subprocess
import sys
import types

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import sirene_sample  # noqa: E402

ROWS = 25_000
REV2 = "s.nomenclatureActivitePrincipaleEtablissement = 'NAFRev2'"

# (name, filters for the job, SQL condition on the stock `s` and the unit `u`)
NICHES = [
    ("43-ten-to-49-since-2005-diffusible",
     {"naf_include": ["43"], "effectif_min": 10, "effectif_max": 49, "created_after": "2005-01-01",
      "diffusible_only": True},
     "s.activitePrincipaleEtablissement LIKE '43.%' AND s.etatAdministratifEtablissement = 'A' "
     "AND s.trancheEffectifsEtablissement IN (SELECT code FROM bands WHERE min >= 10 AND max <= 49) "
     "AND s.dateCreationEtablissement >= DATE '2005-01-01' AND s.statutDiffusionEtablissement = 'O'"),
    ("6920Z-head-offices-persons-and-sarl-before-2015",
     {"naf_include": ["69.20Z"], "active_only": False, "siege_only": True, "created_before": "2015-06-30",
      "categories_juridiques": ["1", "54"], "exclude_file": "customers.csv"},
     "s.activitePrincipaleEtablissement = '69.20Z' AND s.etablissementSiege "
     "AND s.dateCreationEtablissement <= DATE '2015-06-30' "
     "AND (lpad(CAST(u.categorieJuridiqueUniteLegale AS VARCHAR), 4, '0') LIKE '1%' "
     "     OR lpad(CAST(u.categorieJuridiqueUniteLegale AS VARCHAR), 4, '0') LIKE '54%') "
     "AND s.siret NOT IN (SELECT siret FROM customers)"),
    ("56-overseas-employers-pme-eti-masked-included",
     {"naf_include": ["56"], "active_only": False, "regions": ["971", "972", "973", "974", "976"], "effectif_min": 1,
      "categories_entreprise": ["PME", "ETI"]},
     "s.activitePrincipaleEtablissement LIKE '56.%' AND (substr(s.codeCommuneEtablissement, 1, 3) IN "
     "('971', '972', '973', '974', '976') OR substr(s.codePostalEtablissement, 1, 3) IN ('971', '972', '973', '974', '976')) "
     "AND s.trancheEffectifsEtablissement IN (SELECT code FROM bands WHERE min >= 1) "
     "AND u.categorieEntreprise IN ('PME', 'ETI')"),
]


@pytest.fixture(scope="module")
def files(builder, tmp_path_factory):
    directory = tmp_path_factory.mktemp("filters")
    stock_csv = directory / "stock.csv"
    units_csv = directory / "units.csv"
    sirene_sample.make_sample_csv(builder, ROWS, stock_csv, seed=33, units=units_csv)
    return {
        "csv": (stock_csv, units_csv),
        "pyarrow": (sirene_sample.write_parquet_pyarrow(stock_csv, directory / "stock-pyarrow.parquet", row_group_size=8_192),
                    sirene_sample.write_parquet_pyarrow(units_csv, directory / "units-pyarrow.parquet", row_group_size=4_096)),
        "duckdb": (sirene_sample.write_parquet_duckdb(stock_csv, directory / "stock-duckdb.parquet", row_group_size=10_240),
                   sirene_sample.write_parquet_duckdb(units_csv, directory / "units-duckdb.parquet", row_group_size=5_120)),
    }


def tsv(name):
    return f"read_csv('{ROOT / 'Data' / name}', delim='\t', header=true, quote='', all_varchar=true)"


@pytest.fixture(scope="module")
def reference(files, tmp_path_factory):
    """The stock, the units, the label tables and a customer list as DuckDB tables."""
    stock_csv, units_csv = files["csv"]
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    connection.execute(f"CREATE TABLE s AS SELECT * FROM {sirene_sample.duckdb_read_csv(stock_csv)}")
    connection.execute(f"CREATE TABLE u AS SELECT * FROM {sirene_sample.duckdb_read_csv(units_csv)}")
    connection.execute(f"CREATE TABLE bands AS SELECT code, CAST(nullif(min, '') AS INTEGER) AS min, "
                       f"CAST(nullif(max, '') AS INTEGER) AS max, label_fr, label_en FROM {tsv('tranches_effectifs.tsv')}")
    connection.execute(f"CREATE TABLE naf AS SELECT * FROM {tsv('naf_rev2.tsv')}")
    connection.execute(f"CREATE TABLE cj AS SELECT * FROM {tsv('categories_juridiques.tsv')}")
    # Customers: every seventh head office of 69.20Z (SIRETs written with spaces, as people do).
    connection.execute("""CREATE TABLE customers AS SELECT siret FROM s
                          WHERE activitePrincipaleEtablissement = '69.20Z' AND etablissementSiege
                          QUALIFY row_number() OVER (ORDER BY siret) % 7 = 0""")
    customers = tmp_path_factory.mktemp("customers") / "customers.csv"
    rows = connection.execute("SELECT siret FROM customers").fetchall()
    customers.write_text("name,siret\n" + "".join(f"client {i},{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}\n"
                                                   for i, (s,) in enumerate(rows)))
    yield types.SimpleNamespace(execute=connection.execute, customers=customers)
    connection.close()


def run(builder, workdir, stock, units, name, filters, profile="standard", lang="fr", extra=None):
    job = workdir / f"{name}.yaml"
    job.write_text(json.dumps({"niche": name, "profile": profile, "filters": filters, "output": {"lang": lang},
                               **(extra or {})}))
    out = workdir / name
    # --offline: the web steps of the standard profile make no request.
    command = [str(builder), "run-profile", "--job", str(job), "--input", str(stock), "--out", str(out), "--offline"]
    if units is not None:
        command += ["--units", str(units)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    return out, result


@pytest.mark.parametrize("writer", ["csv", "pyarrow", "duckdb"])
@pytest.mark.parametrize("niche", NICHES, ids=[niche[0] for niche in NICHES])
def test_each_filter_keeps_the_rows_duckdb_keeps(builder, files, reference, tmp_path, writer, niche):
    name, filters, condition = niche
    stock, units = files[writer]
    if "exclude_file" in filters:
        (tmp_path / "customers.csv").write_text(reference.customers.read_text())
    out, result = run(builder, tmp_path, stock, units, name, filters)
    assert result.returncode == 0, result.stderr
    got = {row[0] for row in duckdb.sql(f"SELECT siret FROM '{out / 'dataset.parquet'}'").fetchall()}
    want = {row[0] for row in reference.execute(
        f"SELECT s.siret FROM s LEFT JOIN u USING (siren) WHERE {REV2} AND {condition}").fetchall()}
    assert want, f"{name}: the query keeps no row (the sample does not exercise it)"
    assert got == want, f"{name} {writer}: {len(got - want)} extra, {len(want - got)} missing"
    manifest = json.loads((out / "manifest.json").read_text())
    counts = manifest["counts"]
    assert counts["rows_read"] - sum(counts["removed_by_filter"].values()) == counts["rows_matched"]
    company = next((step for step in manifest["steps"] if step["name"] == "filter.company"), None)
    assert (company is None) == (not any(key in filters for key in ("categories_juridiques", "categories_entreprise", "exclude_file")))
    if "exclude_file" in filters:
        excluded = reference.execute(f"""SELECT count(*) FROM s LEFT JOIN u USING (siren)
            WHERE {REV2} AND {condition.replace("AND s.siret NOT IN (SELECT siret FROM customers)", "")}
              AND s.siret IN (SELECT siret FROM customers)""").fetchone()[0]
        assert excluded > 0 and company["removed"]["exclude_file"] == excluded


def test_the_niches_exercise_persons_masked_rows_and_overseas(reference):
    persons, masked, overseas = reference.execute("""SELECT
        count(*) FILTER (WHERE u.categorieJuridiqueUniteLegale = 1000),
        count(*) FILTER (WHERE s.statutDiffusionEtablissement = 'P'),
        count(*) FILTER (WHERE substr(s.codeCommuneEtablissement, 1, 2) = '97')
        FROM s JOIN u USING (siren)""").fetchone()
    assert persons > 0 and masked > 0 and overseas > 0


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("writer", ["csv", "duckdb", "pyarrow"])
def test_labels_equal_a_join_with_the_tables(builder, files, reference, tmp_path, writer, lang):
    stock, units = files[writer]
    out, result = run(builder, tmp_path, stock, units, f"labels-{lang}", {"naf_include": ["43", "56", "69"],
                                                                          "active_only": False}, lang=lang)
    assert result.returncode == 0, result.stderr
    reference.execute(f"CREATE OR REPLACE TEMP TABLE d AS SELECT * FROM '{out / 'dataset.parquet'}'")
    first, other = ("label_fr", "label_en") if lang == "fr" else ("label_en", "label_fr")
    rows, mismatches = reference.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE
            d.naf_libelle IS DISTINCT FROM coalesce(nullif(naf.{first}, ''), naf.{other})
            OR d.effectif_libelle IS DISTINCT FROM coalesce(nullif(bands.{first}, ''), bands.{other})
            OR d.categorie_juridique_libelle IS DISTINCT FROM coalesce(nullif(cj.{first}, ''), cj.{other}))
        FROM d
        LEFT JOIN naf ON naf.code = replace(d.naf_code, '.', '') AND naf.level = 'subclass'
        LEFT JOIN bands ON bands.code = d.effectif
        LEFT JOIN cj ON cj.code = d.categorie_juridique AND cj.level = '3'""").fetchone()
    assert rows > 1000 and mismatches == 0
    filled = reference.execute("""SELECT count(naf_libelle), count(effectif_libelle), count(categorie_juridique_libelle),
                                          count(*) FILTER (WHERE categorie_juridique = '1000') FROM d""").fetchone()
    assert filled[0] == rows and filled[1] > 0 and filled[2] > 0 and filled[3] > 0


def test_unit_filters_without_the_units_are_a_usage_error(builder, files, tmp_path):
    stock, _ = files["duckdb"]
    out, result = run(builder, tmp_path, stock, None, "quick-cj", {"naf_include": ["43"], "categories_juridiques": ["54"]},
                      profile="quick")
    assert result.returncode == 2
    assert "filters.categories_juridiques" in result.stderr and "--units" in result.stderr
    assert not out.exists() or not (out / "dataset.csv").exists()
