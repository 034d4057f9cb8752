"""`enrich.legal_unit` (the standard profile with --units) against an independent DuckDB join: on
stocks and unit files written by pyarrow, by DuckDB and by builder (Parquet), and as CSV, every
row of several niches carries the columns the query computes from StockUniteLegale, natural
persons and masked names included."""
import json
import pathlib
import subprocess
import sys

import duckdb
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
import sirene_sample  # noqa: E402

ROWS = 25_000

NICHES = [
    ("division-43", ["43"], True, []),
    ("subclass-6920Z-all-states", ["69.20Z"], False, []),
    ("division-56-overseas", ["56"], False, ["971", "972", "973", "974", "976", "75"]),
]

COLUMNS = ["nom_complet", "sigle", "categorie_juridique", "categorie_entreprise", "tranche_effectifs_unite_legale",
           "date_creation_unite_legale", "etat_administratif_unite_legale", "economie_sociale_solidaire",
           "societe_mission", "denomination"]


@pytest.fixture(scope="module")
def files(builder, tmp_path_factory):
    directory = tmp_path_factory.mktemp("units")
    stock_csv = directory / "stock.csv"
    units_csv = directory / "units.csv"
    sirene_sample.make_sample_csv(builder, ROWS, stock_csv, seed=21, units=units_csv)
    own_stock = directory / "stock-builder.parquet"
    own_units = directory / "units-builder.parquet"
    sirene_sample.make_sample_csv(builder, ROWS, own_stock, seed=21, units=own_units)
    return {
        "csv": (stock_csv, units_csv),
        "builder": (own_stock, own_units),
        "pyarrow": (sirene_sample.write_parquet_pyarrow(stock_csv, directory / "stock-pyarrow.parquet", row_group_size=8_192),
                    sirene_sample.write_parquet_pyarrow(units_csv, directory / "units-pyarrow.parquet", row_group_size=4_096)),
        "duckdb": (sirene_sample.write_parquet_duckdb(stock_csv, directory / "stock-duckdb.parquet", row_group_size=10_240),
                   sirene_sample.write_parquet_duckdb(units_csv, directory / "units-duckdb.parquet", row_group_size=5_120)),
    }


def nd(column):
    """A unit's text value as builder reads it: trimmed, empty and [ND] as null."""
    return f"CASE WHEN trim(u.{column}) IN ('', '[ND]') THEN NULL ELSE trim(u.{column}) END"


@pytest.fixture(scope="module")
def reference(files):
    """The stock and the units as DuckDB tables, read from the CSV files once."""
    stock_csv, units_csv = files["csv"]
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    connection.execute(f"CREATE TABLE s AS SELECT * FROM {sirene_sample.duckdb_read_csv(stock_csv)}")
    connection.execute(f"CREATE TABLE u AS SELECT * FROM {sirene_sample.duckdb_read_csv(units_csv)}")
    yield connection
    connection.close()


def expected(connection, sirets):
    """The join computed by DuckDB alone, from the CSV files, for the given SIRETs."""
    connection.execute("CREATE OR REPLACE TEMP TABLE keep (siret VARCHAR)")
    connection.executemany("INSERT INTO keep VALUES (?)", [(siret,) for siret in sirets])
    full_name = (f"coalesce({nd('denominationUniteLegale')}, nullif(concat_ws(' ', "
                 f"coalesce({nd('prenomUsuelUniteLegale')}, {nd('prenom1UniteLegale')}), "
                 f"coalesce({nd('nomUsageUniteLegale')}, {nd('nomUniteLegale')})), ''))")
    own_name = ("coalesce(CASE WHEN s.denominationUsuelleEtablissement IN ('', '[ND]') THEN NULL "
                "ELSE s.denominationUsuelleEtablissement END, CASE WHEN s.enseigne1Etablissement IN ('', '[ND]') THEN NULL "
                "ELSE s.enseigne1Etablissement END)")
    rows = connection.execute(f"""
        SELECT s.siret,
               {full_name} AS nom_complet,
               {nd('sigleUniteLegale')} AS sigle,
               lpad(CAST(u.categorieJuridiqueUniteLegale AS VARCHAR), 4, '0') AS categorie_juridique,
               {nd('categorieEntreprise')} AS categorie_entreprise,
               {nd('trancheEffectifsUniteLegale')} AS tranche_effectifs_unite_legale,
               u.dateCreationUniteLegale AS date_creation_unite_legale,
               {nd('etatAdministratifUniteLegale')} AS etat_administratif_unite_legale,
               {nd('economieSocialeSolidaireUniteLegale')} AS economie_sociale_solidaire,
               {nd('societeMissionUniteLegale')} AS societe_mission,
               coalesce({own_name}, {full_name}) AS denomination
        FROM s JOIN keep USING (siret) LEFT JOIN u USING (siren)""").fetchall()
    return {row[0]: row[1:] for row in rows}


def run_standard(builder, workdir, stock, units, niche):
    name, include, active_only, regions = niche
    job = workdir / f"{name}.yaml"
    # The web steps of the standard profile run from an empty cache of their own (--offline): no network in tests.
    job.write_text(json.dumps({"niche": name, "profile": "standard",
                               "filters": {"naf_include": include, "active_only": active_only, "regions": regions},
                               "http": {"cache_dir": str(workdir / "http-cache")}}))
    out = workdir / name
    subprocess.run([str(builder), "run-profile", "--job", str(job), "--input", str(stock), "--units", str(units),
                    "--out", str(out), "--offline"], check=True, capture_output=True, timeout=600)
    return out


@pytest.mark.parametrize("writer", ["csv", "builder", "pyarrow", "duckdb"])
@pytest.mark.parametrize("niche", NICHES, ids=[niche[0] for niche in NICHES])
def test_every_unit_column_equals_duckdbs_join(builder, files, reference, tmp_path, writer, niche):
    stock, units = files[writer]
    out = run_standard(builder, tmp_path, stock, units, niche)
    got = {row[0]: row[1:] for row in duckdb.sql(
        f"SELECT siret, {', '.join(COLUMNS)} FROM '{out / 'dataset.parquet'}'").fetchall()}
    assert got, "the niche kept no row"
    want = expected(reference, list(got))
    assert set(got) == set(want)
    for siret, values in got.items():
        assert values == want[siret], f"{niche[0]} {writer} siret {siret}: {dict(zip(COLUMNS, values))} != " \
                                      f"{dict(zip(COLUMNS, want[siret]))}"
    # The niche exercises natural persons, masked names and companies.
    categories = {values[2] for values in got.values()}
    assert "1000" in categories and len(categories) > 3
    manifest = json.loads((out / "manifest.json").read_text())
    step = next(step for step in manifest["steps"] if step["name"] == "enrich.legal_unit")
    assert step["units_found"] == len(got) and step["units_missing"] == 0


def test_natural_persons_without_diffusion_have_no_name(builder, files, tmp_path):
    stock, units = files["builder"]
    out = run_standard(builder, tmp_path, stock, units, ("all", ["43", "56", "69", "47"], False, []))
    rows = duckdb.sql(f"""
        SELECT d.nom_complet, u.nomUniteLegale, d.statut_diffusion
        FROM '{out / 'dataset.parquet'}' d JOIN '{units}' u USING (siren)
        WHERE u.categorieJuridiqueUniteLegale = 1000 AND u.nomUniteLegale = '[ND]'""").fetchall()
    assert rows, "no masked natural person in the sample"
    assert all(row[0] is None for row in rows)


def test_a_unit_missing_from_the_file_gives_nulls_and_is_counted(builder, files, tmp_path):
    stock, units = files["builder"]
    partial = tmp_path / "units-partial.parquet"
    duckdb.sql(f"COPY (SELECT * FROM '{units}' WHERE siren NOT LIKE '%7') TO '{partial}' (FORMAT parquet)")
    out = run_standard(builder, tmp_path, stock, partial, NICHES[0])
    counts = duckdb.sql(f"""SELECT count(*) FILTER (WHERE siren LIKE '%7'),
                                   count(*) FILTER (WHERE siren LIKE '%7' AND nom_complet IS NULL AND categorie_juridique IS NULL)
                            FROM '{out / 'dataset.parquet'}'""").fetchall()[0]
    assert counts[0] > 0 and counts[0] == counts[1]
    step = next(step for step in json.loads((out / "manifest.json").read_text())["steps"]
                if step["name"] == "enrich.legal_unit")
    assert step["units_missing"] == counts[0]
