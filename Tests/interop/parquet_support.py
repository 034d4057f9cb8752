"""Helpers for the Parquet interoperability tests: running builder, reading a file with each
engine into comparable Python values, and the tables the tests write with pyarrow. What the
Swift tests' fixture scripts share with them (engines, plain storage, random columns) is in
Tests/ParquetTests/Fixtures/interop_common.py."""
import datetime
import math
import pathlib
import subprocess
import sys

import pyarrow as pa

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "ParquetTests" / "Fixtures"))
from interop_common import ENGINES, RandomColumns, make_table, plain_storage, read  # noqa: E402,F401


def run_builder(builder, *arguments, timeout=300):
    """Runs builder; returns the completed process (never hangs: killed after `timeout`)."""
    return subprocess.run([str(builder), *map(str, arguments)], capture_output=True, text=True, timeout=timeout)


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
        column = plain_storage(table.column(name))
        if (pa.types.is_timestamp(column.type) or pa.types.is_time(column.type)) and column.type.unit == "ns":
            # Python's datetime stops at microseconds: compare nanosecond values as integers.
            result[name] = [None if value is None else ("ns", value) for value in column.cast(pa.int64()).to_pylist()]
            continue
        result[name] = [normalised(value) for value in column.to_pylist()]
    return result


def all_types_table(rows: int, seed: int = 11) -> pa.Table:
    """Every type the writer supports, as pyarrow writes them, with nulls."""
    generator = RandomColumns(rows, seed, null_rate=0.15)
    rng, maybe, shared = generator.rng, generator.maybe, generator.shared
    words = ["alpha", "", "Élysée", "東京", "a,b", 'say "hi"', "line\nbreak", "x" * 70]
    return make_table({
        **shared("bool", "int8", "int16", "int32", "int64", "uint8", "uint32", "uint64"),
        "float32": pa.array([maybe(rng.choice([1.5, -0.0, 3.25, float("inf"), rng.uniform(-1e3, 1e3)]))
                             for _ in range(rows)], pa.float32()),
        "float64": pa.array([maybe(rng.choice([math.nan, -0.0, 0.1, 1e300, rng.gauss(0, 1e6)])) for _ in range(rows)],
                            pa.float64()),
        **shared("float16"),
        "text": pa.array([maybe(rng.choice(words) + str(rng.randint(0, 50))) for _ in range(rows)], pa.string()),
        "binary": pa.array([maybe(rng.randbytes(rng.randint(0, 8))) for _ in range(rows)], pa.binary()),
        "fixed4": pa.array([maybe(rng.randbytes(4)) for _ in range(rows)], pa.binary(4)),
        **shared("uuid", "json", "date", "time_ms", "time_us", "ts_ms", "ts_us_utc"),
        "ts_ns": pa.array([maybe(rng.randint(-2**60, 2**60)) for _ in range(rows)], pa.timestamp("ns")),
        **shared("decimal_9_2", "decimal_30_5", "required_int"),
        "all_null": pa.array([None] * rows, pa.int64()),
        "null_type": pa.array([None] * rows, pa.null()),
    })
