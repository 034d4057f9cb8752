"""SIRENE-like Parquet files for the interoperability tests and the benchmark.

`builder sample-data` writes INSEE's CSV layout; these helpers turn it into Parquet the way the
real publishers do (DuckDB with ZSTD, as data.gouv did) or with pyarrow, with INSEE's column
types (strings everywhere except the dates, the last-processing timestamp, two integers and one
boolean), so that codes keep their leading zeros.
"""
import pathlib
import subprocess

# The non-string columns of StockEtablissement and their DuckDB types.
TYPED_COLUMNS = {
    "dateCreationEtablissement": "DATE",
    "anneeEffectifsEtablissement": "BIGINT",
    "dateDernierTraitementEtablissement": "TIMESTAMP",
    "etablissementSiege": "BOOLEAN",
    "nombrePeriodesEtablissement": "BIGINT",
    "dateDebut": "DATE",
}


# The non-string columns of StockUniteLegale and their DuckDB types.
UNIT_TYPED_COLUMNS = {
    "unitePurgeeUniteLegale": "BOOLEAN",
    "dateCreationUniteLegale": "DATE",
    "anneeEffectifsUniteLegale": "BIGINT",
    "dateDernierTraitementUniteLegale": "TIMESTAMP",
    "nombrePeriodesUniteLegale": "BIGINT",
    "anneeCategorieEntreprise": "BIGINT",
    "dateDebut": "DATE",
    "categorieJuridiqueUniteLegale": "BIGINT",
}


def csv_header(path):
    with open(path, encoding="utf-8") as handle:
        return handle.readline().rstrip("\r\n").split(",")


def make_sample_csv(builder, rows, path, seed=42, units=None):
    """`builder sample-data`: CSV, or Parquet when `path` ends in .parquet; with `units`, the legal
    units too (CSV or Parquet by their extension)."""
    command = [str(builder), "sample-data", "--rows", str(rows), "--out", str(path), "--seed", str(seed)]
    if units:
        command += ["--units", str(units)]
    subprocess.run(command, check=True, capture_output=True, timeout=1800)
    return pathlib.Path(path)


def duckdb_types(csv_path):
    typed = {**TYPED_COLUMNS, **UNIT_TYPED_COLUMNS} if "categorieJuridiqueUniteLegale" in csv_header(csv_path) else TYPED_COLUMNS
    return {name: typed.get(name, "VARCHAR") for name in csv_header(csv_path)}


def duckdb_read_csv(csv_path):
    """The DuckDB table expression reading a sample CSV (stock or units) with INSEE's types."""
    types = ", ".join(f"'{name}': '{kind}'" for name, kind in duckdb_types(csv_path).items())
    return f"read_csv('{csv_path}', header=true, delim=',', quote='\"', columns={{{types}}})"


def write_parquet_duckdb(csv_path, parquet_path, row_group_size=122_880, compression="zstd"):
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    connection.execute(
        f"COPY (SELECT * FROM {duckdb_read_csv(csv_path)}) TO '{parquet_path}' "
        f"(FORMAT parquet, COMPRESSION {compression}, ROW_GROUP_SIZE {row_group_size})")
    connection.close()
    return pathlib.Path(parquet_path)


def write_parquet_pyarrow(csv_path, parquet_path, row_group_size=20_000):
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    arrow_types = {"DATE": pa.date32(), "BIGINT": pa.int64(), "TIMESTAMP": pa.timestamp("us"),
                   "BOOLEAN": pa.bool_(), "VARCHAR": pa.string()}
    column_types = {name: arrow_types[kind] for name, kind in duckdb_types(csv_path).items()}
    table = pacsv.read_csv(csv_path, convert_options=pacsv.ConvertOptions(
        column_types=column_types, strings_can_be_null=True, quoted_strings_can_be_null=True))
    pq.write_table(table, parquet_path, row_group_size=row_group_size)
    return pathlib.Path(parquet_path)
