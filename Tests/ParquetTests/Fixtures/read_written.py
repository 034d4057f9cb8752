#!/usr/bin/env python3
"""Reads a Parquet file written by builder's writer with pyarrow, DuckDB and polars, and dumps
what each engine reads, plus pyarrow's view of the metadata.

Usage: read_written.py FILE.parquet OUTPUT.json

OUTPUT.json: {"engines": {"pyarrow": {"columns": {NAME: [values]}} or {"error": "..."}, ...},
              "metadata": {"created_by": ..., "num_rows": ..., "row_groups": [[{column statistics}]],
                           "columns": [{"name", "physical_type", "logical_type", "converted_type"}]}}
Values are null or canonical strings, as write_matrix.py makes them, with times and timestamps
given in the unit of the file's own annotation (so an engine that reads another unit is
converted back) and INT96 as microseconds. A column an engine cannot read is reported as
{"error": "..."} in place of its values.
"""
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

from interop_common import ENGINES, canonical_plain, plain_storage, read

PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def parquet_units(path: str) -> dict:
    """Column name -> the time unit ("ms", "us", "ns") its annotation declares; INT96 -> "us"."""
    units = {}
    schema = pq.ParquetFile(path).metadata.schema
    for index in range(len(schema)):
        column = schema.column(index)
        text = str(column.logical_type)
        if column.physical_type == "INT96":
            units[column.name] = "us"
        for name, unit in [("milliseconds", "ms"), ("microseconds", "us"), ("nanoseconds", "ns")]:
            if f"timeUnit={name}" in text:
                units[column.name] = unit
    return units


def canonical(column: pa.ChunkedArray, unit) -> list:
    column = plain_storage(column)
    kind = column.type
    if pa.types.is_date32(kind) or pa.types.is_date64(kind):
        days = column.cast(pa.date32()).cast(pa.int32()).to_pylist()
        return [None if value is None else str(value) for value in days]
    if pa.types.is_timestamp(kind) or pa.types.is_time(kind):
        integers = column.cast(pa.int64() if kind.bit_width == 64 else pa.int32()).to_pylist()
        have, want = PER_SECOND[kind.unit], PER_SECOND[unit or kind.unit]
        result = []
        for value in integers:
            if value is None:
                result.append(None)
            elif want >= have:
                result.append(str(value * (want // have)))
            else:
                result.append(str(value // (have // want)) if value % (have // want) == 0 else f"{value}{kind.unit}")
        return result
    return canonical_plain(column)


def uuid_columns(path: str) -> set:
    schema = pq.ParquetFile(path).metadata.schema
    return {schema.column(i).name for i in range(len(schema)) if str(schema.column(i).logical_type) == "UUID"}


def engine_columns(table: pa.Table, units: dict, uuids: set = frozenset()) -> dict:
    columns = {}
    for field in table.schema:
        try:
            if field.name in uuids and pa.types.is_string(field.type):
                # DuckDB gives UUIDs as text: back to their 16 bytes.
                columns[field.name] = [None if value is None else "hex:" + value.replace("-", "")
                                       for value in table.column(field.name).to_pylist()]
                continue
            columns[field.name] = canonical(table.column(field.name), units.get(field.name))
        except Exception as error:  # one column an engine maps oddly must not hide the others
            columns[field.name] = {"error": f"{type(error).__name__}: {error}"}
    return columns


def read_per_column(engine: str, path: str, names: list, units: dict) -> dict:
    """Whole file first; when that fails, column by column so one unsupported type shows as such.
    INT96 timestamps are read in microseconds."""
    uuids = uuid_columns(path)
    try:
        return {"columns": engine_columns(read(engine, path, int96_unit="us"), units, uuids)}
    except Exception as whole:
        columns = {}
        for name in names:
            try:
                columns.update(engine_columns(read(engine, path, columns=[name], int96_unit="us"), units, uuids))
            except Exception as error:
                columns[name] = {"error": f"{type(error).__name__}: {error}"}
        return {"columns": columns, "whole_file_error": f"{type(whole).__name__}: {whole}"}


def shown(stats, bound: str) -> str:
    """A bound as pyarrow shows it; the raw value when pyarrow cannot make a Python object
    (nanosecond times without pandas)."""
    try:
        return str(getattr(stats, bound))
    except ValueError:
        return str(getattr(stats, bound + "_raw"))


def statistics(path: str) -> dict:
    metadata = pq.ParquetFile(path).metadata
    schema = metadata.schema
    groups = []
    for group_index in range(metadata.num_row_groups):
        group = metadata.row_group(group_index)
        columns = []
        for index in range(group.num_columns):
            chunk = group.column(index)
            stats = chunk.statistics
            entry = {"name": schema.column(index).name, "codec": chunk.compression,
                     "encodings": list(chunk.encodings), "has_statistics": stats is not None}
            if stats is not None:
                entry["null_count"] = stats.null_count if stats.has_null_count else None
                entry["has_min_max"] = stats.has_min_max
                if stats.has_min_max:
                    entry["min"] = shown(stats, "min")
                    entry["max"] = shown(stats, "max")
            columns.append(entry)
        groups.append({"num_rows": group.num_rows, "columns": columns})
    return {
        "created_by": metadata.created_by,
        "num_rows": metadata.num_rows,
        "row_groups": groups,
        "columns": [{"name": schema.column(i).name, "physical_type": schema.column(i).physical_type,
                     "logical_type": str(schema.column(i).logical_type),
                     "converted_type": schema.column(i).converted_type} for i in range(len(schema))],
        "key_value_metadata": {key.decode(): value.decode() for key, value in (metadata.metadata or {}).items()},
    }


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, output = sys.argv[1], sys.argv[2]
    units = parquet_units(path)
    names = [pq.ParquetFile(path).metadata.schema.column(i).name
             for i in range(pq.ParquetFile(path).metadata.num_columns)]
    document = {
        "engines": {engine: read_per_column(engine, path, names, units) for engine in ENGINES},
        "metadata": statistics(path),
    }
    with open(output, "w", encoding="utf-8") as handle:
        json.dump(document, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
