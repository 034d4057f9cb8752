"""Helpers shared by the Parquet fixture scripts (write_matrix.py, read_written.py, run by the
Swift tests) and the pytest interoperability tests (Tests/interop/parquet_support.py): reading
a file with each engine, plain Arrow storage, canonical text of values and the random columns
of the sample tables."""
import datetime
import decimal
import json
import random

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

ENGINES = ["pyarrow", "duckdb", "polars"]


def read(engine: str, path, columns=None, int96_unit=None) -> pa.Table:
    """The file (or only `columns`) as `engine` reads it, as an Arrow table; `int96_unit` is the
    unit pyarrow gives INT96 timestamps (its own default when None)."""
    path = str(path)
    if engine == "pyarrow":
        return pq.read_table(path, columns=columns, coerce_int96_timestamp_unit=int96_unit)
    if engine == "duckdb":
        relation = duckdb.connect().read_parquet(path)
        if columns is not None:
            relation = relation.select(*[f'"{name}"' for name in columns])
        return relation.to_arrow_table()
    if engine == "polars":
        return pl.read_parquet(path, columns=columns).to_arrow()
    raise ValueError(engine)


def plain_storage(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The column without dictionary encoding or extension type (UUID, JSON): its values."""
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if isinstance(column.type, pa.BaseExtensionType):
        column = pa.chunked_array([chunk.storage for chunk in column.chunks], column.type.storage_type)
    return column


def canonical_plain(column: pa.ChunkedArray) -> list:
    """Null or a canonical string per value, for the types without a unit (the callers handle
    dates, times and timestamps): booleans "true"/"false", integers in decimal, floats as
    Python repr, decimals in fixed point, strings as is, binary as "hex:..."."""
    kind = column.type
    values = column.to_pylist()
    if pa.types.is_boolean(kind):
        return [None if value is None else ("true" if value else "false") for value in values]
    if pa.types.is_integer(kind):
        return [None if value is None else str(value) for value in values]
    if pa.types.is_floating(kind):
        return [None if value is None else repr(float(value)) for value in values]
    if pa.types.is_decimal(kind):
        return [None if value is None else format(value, "f") for value in values]
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return values
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind) \
            or pa.types.is_binary_view(kind):
        return [None if value is None else "hex:" + value.hex() for value in values]
    raise TypeError(f"no canonical form for {kind}")


class RandomColumns:
    """Random columns for the sample tables, drawn from one seeded generator in the order they
    are asked for (so a table built in the same order is the same every run), with nulls at
    `null_rate`. The tables add their own columns with `rng` and `maybe`."""

    def __init__(self, rows: int, seed: int, null_rate: float):
        self.rows = rows
        self.rng = random.Random(seed)
        self.null_rate = null_rate

    def maybe(self, value):
        return None if self.rng.random() < self.null_rate else value

    def shared(self, *names: str) -> dict:
        """Name -> array for these columns of the common set, generated in the order given."""
        return {name: self._column(name) for name in names}

    def _column(self, name: str) -> pa.Array:
        rng, maybe, rows = self.rng, self.maybe, range(self.rows)
        if name == "bool":
            return pa.array([maybe(rng.random() < 0.5) for _ in rows], pa.bool_())
        if name == "int8":
            return pa.array([maybe(rng.randint(-128, 127)) for _ in rows], pa.int8())
        if name == "int16":
            return pa.array([maybe(rng.randint(-32768, 32767)) for _ in rows], pa.int16())
        if name == "int32":
            return pa.array([maybe(rng.randint(-2**31, 2**31 - 1)) for _ in rows], pa.int32())
        if name == "int64":
            return pa.array([maybe(rng.randint(-2**63, 2**63 - 1)) for _ in rows], pa.int64())
        if name == "uint8":
            return pa.array([maybe(rng.randint(0, 255)) for _ in rows], pa.uint8())
        if name == "uint16":
            return pa.array([maybe(rng.randint(0, 65535)) for _ in rows], pa.uint16())
        if name == "uint32":
            return pa.array([maybe(rng.randint(0, 2**32 - 1)) for _ in rows], pa.uint32())
        if name == "uint64":
            return pa.array([maybe(rng.randint(0, 2**64 - 1)) for _ in rows], pa.uint64())
        if name == "float16":
            return pa.array([maybe(float(rng.randint(-2048, 2048)) / 8) for _ in rows], pa.float16())
        if name == "uuid":
            return pa.array([maybe(rng.randbytes(16)) for _ in rows], pa.uuid())
        if name == "json":
            return pa.array([maybe(json.dumps({"k": rng.randint(0, 9)})) for _ in rows], pa.json_())
        if name == "date":
            return pa.array([maybe(datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randint(0, 80000)))
                             for _ in rows], pa.date32())
        if name == "time_ms":
            return pa.array([maybe(rng.randint(0, 86_399_999)) for _ in rows], pa.time32("ms"))
        if name == "time_us":
            return pa.array([maybe(rng.randint(0, 86_399_999_999)) for _ in rows], pa.time64("us"))
        if name == "ts_ms":
            return pa.array([maybe(rng.randint(-2**40, 2**40)) for _ in rows], pa.timestamp("ms"))
        if name == "ts_us_utc":
            return pa.array([maybe(rng.randint(-2**50, 2**50)) for _ in rows], pa.timestamp("us", tz="UTC"))
        if name == "decimal_9_2":
            return pa.array([maybe(decimal.Decimal(rng.randint(-10**9 + 1, 10**9 - 1)).scaleb(-2))
                             for _ in rows], pa.decimal128(9, 2))
        if name == "decimal_30_5":
            return pa.array([maybe(decimal.Decimal(rng.randint(-10**30 + 1, 10**30 - 1)).scaleb(-5))
                             for _ in rows], pa.decimal128(30, 5))
        if name == "required_int":
            return pa.array([i * 7 for i in rows], pa.int32())
        raise ValueError(f"no shared column {name!r}")


def make_table(columns: dict, required: frozenset = frozenset({"required_int"})) -> pa.Table:
    """The columns as a table; those named in `required` are not nullable."""
    schema = pa.schema([pa.field(name, array.type, nullable=(name not in required)) for name, array in columns.items()])
    return pa.Table.from_arrays(list(columns.values()), schema=schema)
