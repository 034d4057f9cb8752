"""Helpers for the Parquet interoperability tests: running builder, reading a file with each
engine into comparable Python values, and the tables the tests write with pyarrow."""
import datetime
import decimal
import json
import math
import random
import subprocess

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

ENGINES = ["pyarrow", "duckdb", "polars"]


def run_builder(builder, *arguments, timeout=300):
    """Runs builder; returns the completed process (never hangs: killed after `timeout`)."""
    return subprocess.run([str(builder), *map(str, arguments)], capture_output=True, text=True, timeout=timeout)


def read(engine: str, path) -> pa.Table:
    path = str(path)
    if engine == "pyarrow":
        return pq.read_table(path)
    if engine == "duckdb":
        return duckdb.connect().read_parquet(path).to_arrow_table()
    if engine == "polars":
        return pl.read_parquet(path).to_arrow()
    raise ValueError(engine)


def normalised(value):
    """A value in a form every engine agrees on: NaN as the string "nan", naive datetimes,
    UUIDs and bytes as hex, text read as binary (polars, for ENUM/JSON) as text."""
    if value is None:
        return None
    if isinstance(value, float):
        return "nan" if math.isnan(value) else value
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is not None else value
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return "hex:" + bytes(value).hex()
    if hasattr(value, "hex") and type(value).__name__ == "UUID":
        return "hex:" + value.hex
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        try:
            return "hex:" + bytes.fromhex(value.replace("-", "")).hex()
        except ValueError:
            return value
    if isinstance(value, datetime.timedelta):
        return value
    return value


def columns(engine: str, path) -> dict:
    """Column name -> list of normalised values."""
    table = read(engine, path)
    result = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if isinstance(column.type, pa.BaseExtensionType):
            column = pa.chunked_array([chunk.storage for chunk in column.chunks], column.type.storage_type)
        if (pa.types.is_timestamp(column.type) or pa.types.is_time(column.type)) and column.type.unit == "ns":
            # Python's datetime stops at microseconds: compare nanosecond values as integers.
            result[name] = [None if value is None else ("ns", value) for value in column.cast(pa.int64()).to_pylist()]
            continue
        result[name] = [normalised(value) for value in column.to_pylist()]
    return result


def all_types_table(rows: int, seed: int = 11) -> pa.Table:
    """Every type the writer supports, as pyarrow writes them, with nulls."""
    rng = random.Random(seed)

    def maybe(value, rate=0.15):
        return None if rng.random() < rate else value

    words = ["alpha", "", "Élysée", "東京", "a,b", 'say "hi"', "line\nbreak", "x" * 70]
    data = {
        "bool": pa.array([maybe(rng.random() < 0.5) for _ in range(rows)], pa.bool_()),
        "int8": pa.array([maybe(rng.randint(-128, 127)) for _ in range(rows)], pa.int8()),
        "int16": pa.array([maybe(rng.randint(-32768, 32767)) for _ in range(rows)], pa.int16()),
        "int32": pa.array([maybe(rng.randint(-2**31, 2**31 - 1)) for _ in range(rows)], pa.int32()),
        "int64": pa.array([maybe(rng.randint(-2**63, 2**63 - 1)) for _ in range(rows)], pa.int64()),
        "uint8": pa.array([maybe(rng.randint(0, 255)) for _ in range(rows)], pa.uint8()),
        "uint32": pa.array([maybe(rng.randint(0, 2**32 - 1)) for _ in range(rows)], pa.uint32()),
        "uint64": pa.array([maybe(rng.randint(0, 2**64 - 1)) for _ in range(rows)], pa.uint64()),
        "float32": pa.array([maybe(rng.choice([1.5, -0.0, 3.25, float("inf"), rng.uniform(-1e3, 1e3)]))
                             for _ in range(rows)], pa.float32()),
        "float64": pa.array([maybe(rng.choice([math.nan, -0.0, 0.1, 1e300, rng.gauss(0, 1e6)])) for _ in range(rows)],
                            pa.float64()),
        "float16": pa.array([maybe(float(rng.randint(-2048, 2048)) / 8) for _ in range(rows)], pa.float16()),
        "text": pa.array([maybe(rng.choice(words) + str(rng.randint(0, 50))) for _ in range(rows)], pa.string()),
        "binary": pa.array([maybe(rng.randbytes(rng.randint(0, 8))) for _ in range(rows)], pa.binary()),
        "fixed4": pa.array([maybe(rng.randbytes(4)) for _ in range(rows)], pa.binary(4)),
        "uuid": pa.array([maybe(rng.randbytes(16)) for _ in range(rows)], pa.uuid()),
        "json": pa.array([maybe(json.dumps({"k": rng.randint(0, 9)})) for _ in range(rows)], pa.json_()),
        "date": pa.array([maybe(datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randint(0, 80000)))
                          for _ in range(rows)], pa.date32()),
        "time_ms": pa.array([maybe(rng.randint(0, 86_399_999)) for _ in range(rows)], pa.time32("ms")),
        "time_us": pa.array([maybe(rng.randint(0, 86_399_999_999)) for _ in range(rows)], pa.time64("us")),
        "ts_ms": pa.array([maybe(rng.randint(-2**40, 2**40)) for _ in range(rows)], pa.timestamp("ms")),
        "ts_us_utc": pa.array([maybe(rng.randint(-2**50, 2**50)) for _ in range(rows)], pa.timestamp("us", tz="UTC")),
        "ts_ns": pa.array([maybe(rng.randint(-2**60, 2**60)) for _ in range(rows)], pa.timestamp("ns")),
        "decimal_9_2": pa.array([maybe(decimal.Decimal(rng.randint(-10**9 + 1, 10**9 - 1)).scaleb(-2))
                                 for _ in range(rows)], pa.decimal128(9, 2)),
        "decimal_30_5": pa.array([maybe(decimal.Decimal(rng.randint(-10**30 + 1, 10**30 - 1)).scaleb(-5))
                                  for _ in range(rows)], pa.decimal128(30, 5)),
        "required_int": pa.array([i * 7 for i in range(rows)], pa.int32()),
        "all_null": pa.array([None] * rows, pa.int64()),
        "null_type": pa.array([None] * rows, pa.null()),
    }
    schema = pa.schema([pa.field(name, array.type, nullable=(name != "required_int")) for name, array in data.items()])
    return pa.Table.from_arrays(list(data.values()), schema=schema)
