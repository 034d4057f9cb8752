#!/usr/bin/env python3
"""Writes the interoperability matrix for the Parquet reader tests, then dumps what pyarrow
reads from each file.

Usage: write_matrix.py OUTPUT_DIR

For every `NAME.parquet` written into OUTPUT_DIR (by pyarrow, DuckDB and polars), writes
`NAME.json`: {"writer": ..., "rows": N, "columns": [{"name": ..., "values": [...]}]} where each
value is null or a canonical string:
  booleans "true"/"false"; integers in decimal; floats as Python repr ("nan", "inf", "-inf");
  strings as is; binary, fixed-size binary and UUID as "hex:..."; decimals as fixed-point text;
  dates as days since the epoch; times and timestamps as integers in their Parquet unit;
  INT96 timestamps as microseconds.
The Swift test reads every file with the native reader and compares cell by cell.
"""
import decimal
import json
import math
import os
import sys

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from interop_common import RandomColumns, canonical_plain, make_table, plain_storage

ROWS = 1500
ROW_GROUP = 600  # three row groups
SEED = 20240611


def sample_table(rows: int, seed: int) -> pa.Table:
    """Every type of the issue, with nulls, a low-cardinality string and a unique one."""
    generator = RandomColumns(rows, seed, null_rate=0.1)
    rng, maybe, shared = generator.rng, generator.maybe, generator.shared
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "", "Élysée", "東京"]
    return make_table({
        **shared("bool", "int8", "int16", "int32", "int64"),
        "int64_sorted": pa.array(list(range(rows)), pa.int64()),
        **shared("uint8", "uint16", "uint32", "uint64"),
        "float32": pa.array([maybe(rng.uniform(-1e6, 1e6)) for _ in range(rows)], pa.float32()),
        "float64": pa.array([maybe(rng.choice([rng.gauss(0, 1e3), math.nan, -0.0, math.inf]) if rng.random() < 0.05
                                   else rng.gauss(0, 1e3)) for _ in range(rows)], pa.float64()),
        **shared("float16"),
        "string_low": pa.array([maybe(rng.choice(words)) for _ in range(rows)], pa.string()),
        "string_unique": pa.array([maybe(f"siret-{rng.randrange(10**14):014d}-{i}") for i in range(rows)], pa.string()),
        "string_long": pa.array([maybe("x" * rng.randint(0, 300) + str(i)) for i in range(rows)], pa.string()),
        "binary": pa.array([maybe(rng.randbytes(rng.randint(0, 12))) for _ in range(rows)], pa.binary()),
        "fixed5": pa.array([maybe(rng.randbytes(5)) for _ in range(rows)], pa.binary(5)),
        **shared("uuid", "json", "date", "time_ms", "time_us"),
        "time_ns": pa.array([maybe(rng.randint(0, 86_399_999_999_999)) for _ in range(rows)], pa.time64("ns")),
        **shared("ts_ms", "ts_us_utc"),
        "ts_ns": pa.array([maybe(rng.randint(-2**62, 2**62)) for _ in range(rows)], pa.timestamp("ns")),
        **shared("decimal_9_2"),
        "decimal_18_4": pa.array([maybe(decimal.Decimal(rng.randint(-10**18 + 1, 10**18 - 1)).scaleb(-4))
                                  for _ in range(rows)], pa.decimal128(18, 4)),
        **shared("decimal_30_5"),
        "all_null": pa.array([None] * rows, pa.int32()),
        **shared("required_int"),
    })


def write_pyarrow(out: str) -> None:
    table = sample_table(ROWS, SEED)
    for codec in ["none", "snappy", "gzip", "zstd"]:
        for page_version in ["1.0", "2.0"]:
            for dictionary in [True, False]:
                name = f"pyarrow_{codec}_v{page_version[0]}_{'dict' if dictionary else 'plain'}"
                pq.write_table(table, os.path.join(out, name + ".parquet"), compression=codec,
                               data_page_version=page_version, use_dictionary=dictionary,
                               row_group_size=ROW_GROUP, data_page_size=2048)
    # Dictionary fallback part-way through each chunk (the limit is checked after each batch).
    pq.write_table(table, os.path.join(out, "pyarrow_dictionary_fallback.parquet"), compression="snappy",
                   dictionary_pagesize_limit=256, data_page_size=512, write_batch_size=50,
                   row_group_size=ROW_GROUP)
    # Delta encodings and byte stream split (dictionary off so the column encodings apply).
    encodings = {"int32": "DELTA_BINARY_PACKED", "int64": "DELTA_BINARY_PACKED", "int64_sorted": "DELTA_BINARY_PACKED",
                 "uint64": "DELTA_BINARY_PACKED", "required_int": "DELTA_BINARY_PACKED",
                 "string_low": "DELTA_BYTE_ARRAY", "string_unique": "DELTA_BYTE_ARRAY", "binary": "DELTA_BYTE_ARRAY",
                 "string_long": "DELTA_LENGTH_BYTE_ARRAY", "json": "DELTA_LENGTH_BYTE_ARRAY",
                 "float32": "BYTE_STREAM_SPLIT", "float64": "BYTE_STREAM_SPLIT", "fixed5": "BYTE_STREAM_SPLIT",
                 "float16": "BYTE_STREAM_SPLIT", "decimal_30_5": "BYTE_STREAM_SPLIT", "int16": "BYTE_STREAM_SPLIT"}
    for page_version in ["1.0", "2.0"]:
        pq.write_table(table, os.path.join(out, f"pyarrow_delta_bss_v{page_version[0]}.parquet"), compression="zstd",
                       use_dictionary=False, column_encoding=encodings, data_page_version=page_version,
                       row_group_size=ROW_GROUP, data_page_size=4096)
    # Spark flavour: INT96 timestamps; and decimals stored as INT32/INT64.
    spark = table.select(["int32", "string_low", "ts_us_utc", "ts_ns", "decimal_9_2"])
    pq.write_table(spark, os.path.join(out, "pyarrow_int96.parquet"), use_deprecated_int96_timestamps=True,
                   row_group_size=ROW_GROUP)
    pq.write_table(table.select(["decimal_9_2", "decimal_18_4", "decimal_30_5"]),
                   os.path.join(out, "pyarrow_decimal_as_integer.parquet"), store_decimal_as_integer=True,
                   row_group_size=ROW_GROUP)
    # One very large page per chunk (DuckDB-like shape).
    pq.write_table(table, os.path.join(out, "pyarrow_big_pages.parquet"), compression="zstd",
                   data_page_size=64 << 20, row_group_size=ROWS)


def write_duckdb(out: str) -> None:
    connection = duckdb.connect()
    connection.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
    connection.execute(f"""
        CREATE TABLE t AS
        SELECT i::INTEGER AS id,
               CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919) % 1000 END::BIGINT AS amount,
               (i % 3)::TINYINT AS small,
               (i * 13)::UBIGINT AS unsigned_big,
               i / 7.0 AS ratio,
               (i % 17)::REAL AS real_value,
               CASE WHEN i % 5 = 0 THEN NULL ELSE 'naf_' || (i % 23)::VARCHAR END AS low_card,
               'siret_' || lpad((i * 104729)::VARCHAR, 14, '0') AS unique_text,
               CASE WHEN i % 4 = 0 THEN NULL ELSE repeat('z', i % 50) END AS long_text,
               (i % 2 = 0) AS flag,
               DATE '2000-01-01' + (i % 9000)::INTEGER AS day,
               TIMESTAMP '2001-02-03 04:05:06' + to_seconds(i * 37) AS stamp,
               (TIMESTAMP '2001-02-03 04:05:06' + to_seconds(i))::TIMESTAMPTZ AS stamp_tz,
               (TIMESTAMP '2020-01-01' + to_microseconds(i))::TIMESTAMP_NS AS stamp_ns,
               TIME '01:02:03' + to_seconds(i % 3600) AS clock,
               (i * 1.25)::DECIMAL(9, 2) AS dec_small,
               (i * 1000.125)::DECIMAL(18, 3) AS dec_medium,
               (i * 1234567890123.45)::DECIMAL(38, 2) AS dec_large,
               (['sad', 'ok', 'happy'])[(i % 3) + 1]::mood AS feeling,
               CASE WHEN i % 9 = 0 THEN NULL ELSE gen_random_uuid() END AS uid,
               ('\\x' || lpad(to_hex(i), 6, '0'))::BLOB AS blob
        FROM range({ROWS * 4}) r(i)
    """)
    for name, options in [("duckdb_default", ""), ("duckdb_zstd", ", COMPRESSION zstd"),
                          ("duckdb_v2_zstd", ", COMPRESSION zstd, PARQUET_VERSION V2")]:
        path = os.path.join(out, name + ".parquet")
        connection.execute(f"COPY t TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 2048{options})")


def write_polars(out: str) -> None:
    table = sample_table(ROWS, SEED + 1).select(
        ["bool", "int8", "int32", "int64", "uint32", "float32", "float64", "string_low", "string_unique",
         "binary", "date", "ts_us_utc", "decimal_18_4"])
    frame = pl.from_arrow(table)
    frame = frame.with_columns(pl.col("string_low").cast(pl.Categorical).alias("category"))
    frame.write_parquet(os.path.join(out, "polars_default.parquet"), row_group_size=ROW_GROUP)


def canonical(column: pa.ChunkedArray) -> list:
    column = plain_storage(column)
    kind = column.type
    if pa.types.is_timestamp(kind) or pa.types.is_time(kind) or pa.types.is_date32(kind):
        width = pa.int32() if pa.types.is_date32(kind) or kind == pa.time32("ms") else pa.int64()
        integers = column.cast(width).to_pylist()
        return [None if value is None else str(value) for value in integers]
    return canonical_plain(column)


def dump(out: str) -> int:
    written = 0
    for name in sorted(os.listdir(out)):
        if not name.endswith(".parquet"):
            continue
        path = os.path.join(out, name)
        int96 = name == "pyarrow_int96.parquet"
        table = pq.read_table(path, coerce_int96_timestamp_unit="us" if int96 else None)
        writer = name.split("_")[0]
        document = {
            "writer": writer,
            "rows": table.num_rows,
            "row_groups": pq.ParquetFile(path).metadata.num_row_groups,
            "columns": [{"name": field.name, "values": canonical(table.column(field.name))}
                        for field in table.schema],
        }
        with open(os.path.join(out, name[:-len(".parquet")] + ".json"), "w", encoding="utf-8") as handle:
            json.dump(document, handle)
        written += 1
    return written


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write_pyarrow(out)
    write_duckdb(out)
    write_polars(out)
    count = dump(out)
    print(f"wrote {count} files to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
