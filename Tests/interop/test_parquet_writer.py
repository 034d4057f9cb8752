"""Files builder writes (convert outputs with each codec, sample-data Parquet) read back in
pyarrow, DuckDB and polars to the same values; pyarrow's metadata shows their statistics;
CSV -> Parquet -> CSV keeps every value; Parquet -> CSV gives what pyarrow reads."""
import csv
import datetime
import decimal
import math
import struct

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parquet_support import ENGINES, all_types_table, columns, run_builder

CODECS = ["snappy", "zstd", "gzip", "none"]
PARQUET_CODEC_NAMES = {"snappy": "SNAPPY", "zstd": "ZSTD", "gzip": "GZIP", "none": "UNCOMPRESSED"}


@pytest.fixture(scope="module")
def all_types_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("source") / "all_types.parquet"
    pq.write_table(all_types_table(3000), path, row_group_size=1000)
    return path


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory):
    """A CSV with every inferable type, quoting, unicode, empty fields and codes with zeros."""
    path = tmp_path_factory.mktemp("csv") / "table.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "code", "amount", "ratio", "flag", "day", "stamp", "stamp_utc", "name", "empty", "mixed"])
        for i in range(2500):
            writer.writerow([
                i - 1000,
                f"{i % 97:05d}",
                f"{(i * 37) % 10000 / 100:.2f}" if i % 13 else "",
                repr(i / 7) if i % 5 else "-0.5",
                "true" if i % 3 else "false",
                (datetime.date(1950, 1, 1) + datetime.timedelta(days=i * 11)).isoformat() if i % 17 else "",
                (datetime.datetime(2001, 2, 3, 4, 5, 6) + datetime.timedelta(seconds=i * 3607, microseconds=i * 13)).isoformat(),
                (datetime.datetime(2020, 1, 1) + datetime.timedelta(minutes=i)).isoformat() + "Z",
                ["Île-de-France", 'say "hi", twice', "line\nbreak", "東京", "", "plain"][i % 6] + str(i),
                "",
                str(i) if i % 2 else f"x{i}",
            ])
    return path


def chunk_values(table: pa.Table, name: str, start: int, stop: int) -> list:
    column = table.column(name).slice(start, stop - start)
    if pa.types.is_timestamp(column.type) and column.type.unit == "ns":
        column = column.cast(pa.int64())  # beyond Python's datetime
    return column.to_pylist()


# MARK: Parquet -> Parquet

@pytest.mark.parametrize("codec", CODECS)
def test_rewritten_file_reads_the_same_in_every_engine(builder, all_types_file, tmp_path, codec):
    out = tmp_path / "rewritten.parquet"
    result = run_builder(builder, "convert", all_types_file, out, "--compression", codec)
    assert result.returncode == 0, result.stderr
    for engine in ENGINES:
        original, rewritten = columns(engine, all_types_file), columns(engine, out)
        assert list(rewritten) == list(original), engine
        for name, values in original.items():
            assert rewritten[name] == values, f"{engine} reads column {name} differently"
    metadata = pq.ParquetFile(out).metadata
    assert metadata.created_by.startswith("builder version")
    assert metadata.num_row_groups == 3
    assert all(metadata.row_group(0).column(i).compression == PARQUET_CODEC_NAMES[codec]
               for i in range(metadata.num_columns))


def test_rewritten_file_statistics_in_pyarrow(builder, all_types_file, tmp_path):
    out = tmp_path / "stats.parquet"
    assert run_builder(builder, "convert", all_types_file, out).returncode == 0
    table = pq.read_table(all_types_file)
    metadata = pq.ParquetFile(out).metadata
    # Columns whose min/max Python compares like Parquet's column order does.
    ordered = {"int8", "int16", "int32", "int64", "uint8", "uint32", "uint64", "text", "date", "ts_ms", "decimal_9_2",
               "decimal_30_5", "required_int", "time_ms", "time_us", "ts_us_utc", "bool"}
    for group in range(metadata.num_row_groups):
        start = group * 1000
        for index in range(metadata.num_columns):
            name = metadata.schema.column(index).name
            stats = metadata.row_group(group).column(index).statistics
            values = chunk_values(table, name, start, start + 1000)
            assert stats is not None and stats.has_null_count, name
            assert stats.null_count == sum(value is None for value in values), name
            present = [value for value in values if value is not None]
            if name in ("all_null", "null_type"):
                assert not stats.has_min_max
                continue
            assert stats.has_min_max, f"{name}: no min/max (are the column orders there?)"
            if name in ordered:
                assert stats.min == min(present), name
                assert stats.max == max(present), name
    # Every column declares TYPE_DEFINED_ORDER: unsigned and text bounds are only trusted then.
    assert metadata.row_group(0).column(metadata.schema.names.index("uint64")).statistics.has_min_max


# MARK: CSV -> Parquet

@pytest.mark.parametrize("codec", CODECS)
def test_converted_csv_reads_in_every_engine(builder, csv_file, tmp_path, codec):
    out = tmp_path / "from_csv.parquet"
    result = run_builder(builder, "convert", csv_file, out, "--compression", codec, "--row-group-size", "1000")
    assert result.returncode == 0, result.stderr
    schema = pq.read_schema(out)
    types = {field.name: str(field.type) for field in schema}
    assert types == {"id": "int64", "code": "string", "amount": "double", "ratio": "double", "flag": "bool",
                     "day": "date32[day]", "stamp": "timestamp[us]", "stamp_utc": "timestamp[us, tz=UTC]",
                     "name": "string", "empty": "string", "mixed": "string"}
    with open(csv_file, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = {
        "id": [int(row["id"]) for row in rows],
        "code": [row["code"] for row in rows],
        "amount": [float(row["amount"]) if row["amount"] else None for row in rows],
        "ratio": [float(row["ratio"]) for row in rows],
        "flag": [row["flag"] == "true" for row in rows],
        "day": [datetime.date.fromisoformat(row["day"]) if row["day"] else None for row in rows],
        "stamp": [datetime.datetime.fromisoformat(row["stamp"]) for row in rows],
        "stamp_utc": [datetime.datetime.fromisoformat(row["stamp_utc"][:-1]) for row in rows],
        "name": [row["name"] for row in rows],
        "empty": [None for _ in rows],
        "mixed": [row["mixed"] for row in rows],
    }
    for engine in ENGINES:
        read = columns(engine, out)
        for name, values in expected.items():
            assert read[name] == values, f"{engine}: column {name}"
    metadata = pq.ParquetFile(out).metadata
    assert metadata.num_row_groups == 3
    assert metadata.row_group(0).column(0).compression == PARQUET_CODEC_NAMES[codec]
    stats = metadata.row_group(0).column(schema.names.index("code")).statistics
    assert stats.has_min_max and stats.min == "00000" and stats.max == "00096"


def test_csv_round_trip_keeps_every_value(builder, csv_file, tmp_path):
    parquet = tmp_path / "round.parquet"
    back = tmp_path / "round.csv"
    assert run_builder(builder, "convert", csv_file, parquet).returncode == 0
    result = run_builder(builder, "convert", parquet, back)
    assert result.returncode == 0, result.stderr
    with open(csv_file, newline="", encoding="utf-8") as handle:
        original = list(csv.reader(handle))
    with open(back, newline="", encoding="utf-8") as handle:
        converted = list(csv.reader(handle))
    assert len(original) == len(converted)
    assert original[0] == converted[0]
    header = original[0]
    for line, (before, after) in enumerate(zip(original[1:], converted[1:]), start=2):
        for name, a, b in zip(header, before, after):
            assert same_value(a, b), f"line {line}, column {name}: {a!r} became {b!r}"


def same_value(before: str, after: str) -> bool:
    """The same value, whatever the form: numbers in their shortest form (12.50 -> 12.5),
    timestamps with T instead of a space or with all six fraction digits."""
    if before == after:
        return True
    try:
        return float(before) == float(after) and not before.strip().isalpha()
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(before) == datetime.datetime.fromisoformat(after)
    except ValueError:
        return False


# MARK: Parquet -> CSV

def expected_text(value, arrow_type) -> str:
    """How builder writes a value pyarrow reads (see `builder convert --help`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(arrow_type, pa.BaseExtensionType) and str(arrow_type.extension_name) == "arrow.uuid":
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        data = bytes(value)
        try:
            text = data.decode("utf-8")
            if not text.startswith("\\x"):
                return text
        except UnicodeDecodeError:
            pass
        return "\\x" + data.hex()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        text = value.replace(tzinfo=None).isoformat()
        return text + ("Z" if value.tzinfo is not None else "")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def test_parquet_to_csv_gives_what_pyarrow_reads(builder, all_types_file, tmp_path):
    out = tmp_path / "exported.csv"
    result = run_builder(builder, "convert", all_types_file, out)
    assert result.returncode == 0, result.stderr
    table = pq.read_table(all_types_file)
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == table.column_names
    assert len(rows) == table.num_rows + 1
    for index, name in enumerate(table.column_names):
        arrow_type = table.schema.field(name).type
        if name == "ts_ns":
            values = table.column(name).cast(pa.int64()).to_pylist()
        else:
            values = table.column(name).to_pylist()
        for row, value in enumerate(values):
            cell = rows[row + 1][index]
            if name == "ts_ns":
                assert (cell == "" and value is None) or nanoseconds(cell) == value, f"{name} row {row}: {cell}"
            elif pa.types.is_floating(arrow_type):
                if value is None:
                    assert cell == "", f"{name} row {row}"
                elif math.isnan(value):
                    assert cell == "nan"
                else:
                    parsed = float(cell)
                    if pa.types.is_float32(arrow_type):
                        parsed = struct.unpack("f", struct.pack("f", parsed))[0]
                    assert parsed == value and math.copysign(1, parsed) == math.copysign(1, value), f"{name} row {row}: {cell}"
            elif pa.types.is_time(arrow_type) or (pa.types.is_timestamp(arrow_type) and arrow_type.unit != "ns"):
                # Fraction digits follow the unit (.123 for ms): compare the parsed values.
                if value is None:
                    assert cell == ""
                elif pa.types.is_time(arrow_type):
                    assert datetime.time.fromisoformat(cell) == value, f"{name} row {row}: {cell}"
                else:
                    assert datetime.datetime.fromisoformat(cell) == value, f"{name} row {row}: {cell}"
            else:
                assert cell == expected_text(value, arrow_type), f"{name} row {row}"


def nanoseconds(text: str) -> int:
    """`YYYY-MM-DDTHH:MM:SS[.fffffffff]` as nanoseconds since the epoch."""
    whole, _, fraction = text.partition(".")
    seconds = datetime.datetime.fromisoformat(whole) - datetime.datetime(1970, 1, 1)
    total = (seconds.days * 86_400 + seconds.seconds) * 1_000_000_000
    return total + (int(fraction.ljust(9, "0")) if fraction else 0)


# MARK: sample-data

def test_sample_data_parquet_reads_in_every_engine(builder, tmp_path):
    out = tmp_path / "stock.parquet"
    csv_out = tmp_path / "stock.csv"
    result = run_builder(builder, "sample-data", "--rows", "25000", "--out", out, "--row-group-size", "10000")
    assert result.returncode == 0, result.stderr
    assert run_builder(builder, "sample-data", "--rows", "25000", "--out", csv_out, "--row-group-size", "10000").returncode == 0
    metadata = pq.ParquetFile(out).metadata
    assert metadata.num_rows == 25000 and metadata.num_row_groups == 3 and metadata.num_columns == 54
    assert metadata.row_group(0).column(0).compression == "ZSTD"
    schema = pq.read_schema(out)
    assert str(schema.field("dateCreationEtablissement").type) == "date32[day]"
    assert str(schema.field("dateDernierTraitementEtablissement").type) == "timestamp[us]"
    assert str(schema.field("etablissementSiege").type) == "bool"
    assert str(schema.field("anneeEffectifsEtablissement").type) == "int64"
    assert all(field.nullable for field in schema)
    reference = columns("pyarrow", out)
    for engine in ["duckdb", "polars"]:
        assert columns(engine, out) == reference, engine
    # The same rows as the CSV the same seed gives.
    with open(csv_out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = pq.read_table(out)
    for name in ["siret", "dateCreationEtablissement", "dateDernierTraitementEtablissement", "etablissementSiege",
                 "nombrePeriodesEtablissement", "libelleVoieEtablissement", "activitePrincipaleEtablissement"]:
        values = table.column(name).to_pylist()
        assert [expected_text(value, table.schema.field(name).type) for value in values] == [row[name] for row in rows], name
    for index in range(metadata.num_columns):
        stats = metadata.row_group(0).column(index).statistics
        assert stats is not None and stats.has_null_count


class GeoArrowWKB(pa.ExtensionType):
    """The geoarrow.wkb extension type, through which pyarrow writes Parquet GEOMETRY and
    GEOGRAPHY columns (its JSON metadata gives the CRS and the edges)."""

    def __init__(self, metadata: bytes = b"{}"):
        self._metadata = metadata
        super().__init__(pa.binary(), "geoarrow.wkb")

    def __arrow_ext_serialize__(self):
        return self._metadata

    @classmethod
    def __arrow_ext_deserialize__(cls, storage_type, serialized):
        return GeoArrowWKB(serialized)


def test_geometry_columns_keep_their_type_and_go_to_csv_as_hex_wkb(builder, tmp_path):
    try:
        pa.register_extension_type(GeoArrowWKB())
    except pa.ArrowKeyError:
        pass  # registered by an earlier run in this process
    point = struct.pack("<BIdd", 1, 1, 2.35, 48.85)
    line = struct.pack("<BII4d", 1, 2, 2, 0.0, 0.0, 652_000.0, 6_862_000.0)
    values = [point, None, line, b"", point]
    table = pa.table({
        "id": pa.array([1, 2, 3, 4, 5], pa.int64()),
        "geom": pa.ExtensionArray.from_storage(GeoArrowWKB(b'{"crs": "EPSG:2154"}'), pa.array(values, pa.binary())),
        "geog": pa.ExtensionArray.from_storage(GeoArrowWKB(b'{"crs": "EPSG:4258", "edges": "spherical"}'), pa.array(values, pa.binary())),
    })
    source = tmp_path / "geo.parquet"
    pq.write_table(table, source, store_schema=False)
    assert str(pq.ParquetFile(source).schema.column(1).logical_type) == "Geometry(crs=EPSG:2154)"

    copy = tmp_path / "copy.parquet"
    result = run_builder(builder, "convert", source, copy, "--compression", "zstd")
    assert result.returncode == 0, result.stderr
    schema = pq.ParquetFile(copy).schema
    assert schema.column(1).physical_type == "BYTE_ARRAY"
    assert schema.column(1).logical_type.to_json() == '{"Type":"Geometry","crs":"EPSG:2154"}'
    assert schema.column(2).logical_type.to_json() == '{"Type":"Geography","crs":"EPSG:4258"}'
    assert str(schema.column(2).logical_type) == str(pq.ParquetFile(source).schema.column(2).logical_type)
    back = pq.read_table(copy, arrow_extensions_enabled=False)
    assert back.column("geom").to_pylist() == values
    assert back.column("geog").to_pylist() == values

    inspect = run_builder(builder, "inspect", copy)
    assert inspect.returncode == 0, inspect.stderr
    assert "GEOMETRY(crs=EPSG:2154)" in inspect.stdout and "GEOGRAPHY(crs=EPSG:4258" in inspect.stdout

    text = tmp_path / "geo.csv"
    result = run_builder(builder, "convert", copy, text)
    assert result.returncode == 0, result.stderr
    with open(text, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "geom", "geog"]
    assert [row[1] for row in rows[1:]] == ["" if v is None else v.hex() for v in values]
    assert [row[2] for row in rows[1:]] == [row[1] for row in rows[1:]]
