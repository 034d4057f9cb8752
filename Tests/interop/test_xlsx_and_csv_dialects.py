"""`dataset.xlsx` read back by openpyxl is `dataset.csv`, row for row and type for type (text as
strings with their leading zeros, dates as dates, integers and booleans as such), with its KPI
sheet, bold frozen header and autofilter; the `excel-fr` CSV reads back through Python's csv
module (`;`, `utf-8-sig`) to the rows of the default CSV."""
import csv
import datetime
import hashlib
import json
import math
import os
import pathlib
import re
import subprocess
import sys

import openpyxl
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
import sirene_sample  # noqa: E402

REFERENCE_EPOCH = "1780000000"  # 2026-05-28


def run_profile(builder, job, input_path, out):
    result = subprocess.run([str(builder), "run-profile", "--job", str(job), "--input", str(input_path), "--out", str(out),
                             "--json"], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "SOURCE_DATE_EPOCH": REFERENCE_EPOCH})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def write_job(path, output, include='["43"]', active_only="false", steps=""):
    path.write_text(f"niche: naf_test\nfilters:\n  naf_include: {include}\n  active_only: {active_only}\nprofile: quick\n"
                    f"kpi_targets: {{min_quality_score: 80, max_dup_pct: 1.5}}\noutput: {output}\n{steps}")
    return path


def read_csv(path, **options):
    encoding = options.pop("encoding", "utf-8")
    with open(path, newline="", encoding=encoding) as handle:
        return list(csv.reader(handle, strict=True, **options))


def ooxml_unescape(text):
    """What Excel shows for a cell text: OOXML's `_xHHHH_` escapes decoded."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda match: chr(int(match.group(1), 16)), text)


def check_cell(kind, value, text, where):
    """`value` (openpyxl) is the cell dataset.csv writes as `text`, typed as the column's `kind`."""
    if text == "":
        assert value is None, where
    elif kind == "text":
        assert isinstance(value, str) and ooxml_unescape(value) == text, where
    elif kind == "date":
        if isinstance(value, str):  # outside Excel's calendar: the text of dataset.csv
            assert value == text and not ("1900-01-01" <= text <= "9999-12-31"), where
        else:
            assert isinstance(value, datetime.datetime) and value.time() == datetime.time(0), where
            assert value.date().isoformat() == text, where
    elif kind == "boolean":
        assert isinstance(value, bool) and value == (text == "true"), where
    elif kind == "integer":
        if isinstance(value, str):  # beyond 2^53: exact, as text
            assert value == text and abs(int(text)) > 2 ** 53, where
        else:
            assert isinstance(value, int) and not isinstance(value, bool) and value == int(text), where
    elif kind == "number":
        if isinstance(value, str):  # NaN and infinities: as text
            assert value == text and text in ("NaN", "inf", "-inf"), where
            return
        assert isinstance(value, (int, float)) and not isinstance(value, bool), where
        assert math.isclose(value, float(text), rel_tol=1e-15), where
    else:
        raise AssertionError(f"unknown column type {kind}")


def check_xlsx_is_csv(out):
    manifest = json.loads((out / "manifest.json").read_text())
    kinds = {column["name"]: column["type"] for column in manifest["columns"]}
    csv_rows = read_csv(out / "dataset.csv")
    workbook = openpyxl.load_workbook(out / "dataset.xlsx")
    assert workbook.sheetnames == ["dataset", "KPI"]
    sheet = workbook["dataset"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = csv_rows[0]
    assert rows[0] == header
    assert len(rows) == len(csv_rows) == manifest["rows"] + 1
    for number, (row, csv_row) in enumerate(zip(rows[1:], csv_rows[1:]), start=2):
        assert len(row) <= len(header)
        row += [None] * (len(header) - len(row))  # trailing empty cells are not stored
        for name, value, text in zip(header, row, csv_row):
            check_cell(kinds[name], value, text, f"row {number}, column {name}: {value!r} vs {text!r}")
    # The header: bold, frozen; an autofilter over every row.
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows)}"
    assert 8 <= sheet.column_dimensions["A"].width <= 61
    return manifest, header, csv_rows, rows, workbook


@pytest.fixture(scope="module")
def sample_run(builder, tmp_path_factory):
    directory = tmp_path_factory.mktemp("xlsx")
    stock = sirene_sample.make_sample_csv(builder, 20_000, directory / "stock.csv", seed=11)
    job = write_job(directory / "job.yaml", "{formats: [csv, parquet, xlsx]}")
    run_profile(builder, job, stock, directory / "out")
    return directory / "out"


def test_xlsx_reads_back_as_the_csv_row_for_row_and_type_for_type(sample_run):
    manifest, header, csv_rows, rows, _ = check_xlsx_is_csv(sample_run)
    assert manifest["rows"] > 1000
    kinds = {column["name"]: column["type"] for column in manifest["columns"]}
    assert {"text", "date", "boolean", "integer"} <= set(kinds.values())
    # Leading zeros survive: SIRENs and postal codes starting with 0 are strings, as in the CSV.
    for name in ["siren", "siret", "code_postal", "code_commune", "departement"]:
        column = header.index(name)
        zeros = [row[column] for row in rows[1:] if isinstance(row[column], str) and row[column].startswith("0")]
        assert zeros, f"no {name} starting with 0 in the sample"
        assert len(zeros) == sum(1 for row in csv_rows[1:] if row[column].startswith("0"))
    dates = [row[header.index("date_creation")] for row in rows[1:]]
    assert sum(isinstance(value, datetime.datetime) for value in dates) > len(dates) // 2
    assert all(isinstance(row[header.index("quality_score")], int) for row in rows[1:])


def test_the_kpi_sheet_holds_the_manifest_figures(sample_run):
    manifest = json.loads((sample_run / "manifest.json").read_text())
    sheet = openpyxl.load_workbook(sample_run / "dataset.xlsx", read_only=True)["KPI"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    assert rows["Indicateur"] == ("Valeur", "Objectif", "Atteint")
    assert rows["Niche"][0] == "naf_test"
    assert rows["Date de référence"][0] == datetime.datetime(2026, 5, 28)
    assert rows["Lignes lues"][0] == manifest["counts"]["rows_read"] == 20_000
    assert rows["Lignes exportées"][0] == manifest["rows"]
    assert rows["Score qualité moyen"][0] == pytest.approx(manifest["kpis"]["mean_quality_score"])
    target = manifest["kpis"]["targets"]["min_quality_score"]
    assert rows["Score qualité moyen, objectif minimum"] == (pytest.approx(target["actual"]), 80, target["met"])
    assert rows["Doublons (%), objectif maximum"][1:] == (1.5, manifest["kpis"]["targets"]["max_dup_pct"]["met"])


SIMPLE_HEADER = ("siren,siret,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,"
                 "etatAdministratifEtablissement,denominationUsuelleEtablissement,enseigne1Etablissement,"
                 "trancheEffectifsEtablissement,codePostalEtablissement,codeCommuneEtablissement,etablissementSiege")

# Names that test quoting under each delimiter and text that means something to XML or OOXML.
NAMES = ["CABINET DURAND", "DURAND; FILS & CIE", "SOCIÉTÉ \"LA FIDUCIAIRE\", PARIS", "A|B\tC", "LITERAL _x0041_ ESCAPE",
         "<SCI> LES LILAS", "EXPERTISE MARTIN"]

# A Lua step adding cells of every type, with the values an Excel cell cannot hold as such:
# control characters (which a stock cannot hold: it would not read as text), doubles that need 17
# digits, NaN and infinities, integers beyond 2^53, dates outside Excel's calendar and around its
# 1900-02-29.
CELLS_STEP = r'''
local NOTES = {"ctrl \1 and \31 end", "cr\rhere", "nul \0 in", "_x0041_ literal", "a;b,c|d\te", "plain"}
local RATIOS = {0.1 + 0.2, 1 / 3, 48.8566, -2.5e-7, 1e300, 0 / 0, math.huge, -math.huge}
local BIGS = {1 << 60, 1 << 53, -(1 << 53), 42, -(1 << 62)}
local DAYS = {"1850-06-01", "1900-01-01", "1900-02-28", "1900-03-01", "2024-02-29", "9999-12-31", false}
local function pick(list, index) return list[index % #list + 1] end
return {
  name = "test.cells",
  summary = "cells of every type for the xlsx writer",
  columns = {{name = "note", type = "text"}, {name = "ratio", type = "number"}, {name = "big", type = "integer"},
             {name = "founded", type = "date"}},
  reads = {"siren"},
  row = function(row)
    local index = tonumber(row.siren) - 1000
    row.note = pick(NOTES, index)
    row.ratio = pick(RATIOS, index)
    row.big = pick(BIGS, index)
    row.founded = pick(DAYS, index) or nil
  end,
}
'''
STEPS = ("steps: [dumps.collect, normalize.standardize, quality.checks, quality.dedupe, quality.score, {lua: cells.lua}, "
         "package.export]\n")


def write_simple_stock(path):
    lines = [SIMPLE_HEADER]
    places = [("01000", "01053"), ("75008", "75108"), ("09100", "09225"), ("2A000", "2A004")]
    for index, name in enumerate(NAMES):
        siren = f"{1000 + index:09d}"  # 000001000...: leading zeros
        postal, commune = places[index % len(places)]
        quoted = '"' + name.replace('"', '""') + '"'
        lines.append(f"{siren},{siren}00017,69.20Z,NAFRev2,A,{quoted},,11,{postal},{commune},true")
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def dialect_runs(builder, tmp_path_factory):
    directory = tmp_path_factory.mktemp("dialects")
    stock = write_simple_stock(directory / "stock.csv")
    (directory / "cells.lua").write_text(CELLS_STEP)
    runs = {}
    for name, output in [("default", "{formats: [csv, xlsx]}"), ("excel-fr", "{formats: [csv, xlsx], csv: excel-fr, lang: en}"),
                         ("tab", "{formats: [csv], csv: {delimiter: \"\\t\", bom: false}}")]:
        job = write_job(directory / f"{name}.yaml", output, include='["6920Z"]', active_only="true", steps=STEPS)
        run_profile(builder, job, stock, directory / name)
        runs[name] = directory / name
    return runs


def test_text_xml_cannot_hold_and_leading_zeros_survive_in_xlsx(dialect_runs):
    _, header, csv_rows, rows, _ = check_xlsx_is_csv(dialect_runs["default"])
    assert len(rows) == len(NAMES) + 1
    names = [row[header.index("denomination")] for row in rows[1:]]
    assert "LITERAL _x005F_x0041_ ESCAPE" in names  # shown by Excel as written
    notes = [row[header.index("note")] for row in rows[1:]]
    assert "ctrl _x0001_ and _x001F_ end" in notes and "cr_x000D_here" in notes and "nul _x0000_ in" in notes
    assert "_x005F_x0041_ literal" in notes
    ratios = [row[header.index("ratio")] for row in rows[1:]]
    assert 48.8566 in ratios and "NaN" in ratios and "inf" in ratios
    bigs = [row[header.index("big")] for row in rows[1:]]
    assert str(1 << 60) in bigs and (1 << 53) in bigs and 42 in bigs
    founded = [row[header.index("founded")] for row in rows[1:]]
    assert "1850-06-01" in founded and datetime.datetime(1900, 1, 1) in founded and datetime.datetime(1900, 3, 1) in founded
    assert datetime.datetime(1900, 2, 28) in founded and datetime.datetime(9999, 12, 31) in founded and None in founded
    assert [row[header.index("siren")] for row in rows[1:]] == [f"{1000 + index:09d}" for index in range(len(NAMES))]
    assert {row[header.index("code_postal")] for row in rows[1:]} >= {"01000", "09100"}


def test_excel_fr_csv_round_trips_through_the_csv_module(dialect_runs):
    raw = (dialect_runs["excel-fr"] / "dataset.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsiren;siret;")
    assert raw.count(b"\r\n") == len(NAMES) + 1  # CRLF line ends, as RFC 4180
    default = read_csv(dialect_runs["default"] / "dataset.csv")
    excel_fr = read_csv(dialect_runs["excel-fr"] / "dataset.csv", delimiter=";", encoding="utf-8-sig")
    assert excel_fr == default
    assert any(";" in field for row in excel_fr for field in row)
    tab = read_csv(dialect_runs["tab"] / "dataset.csv", delimiter="\t")
    assert tab == default
    # The manifest's checksum and size are those of the file as written, byte-order mark included.
    manifest = json.loads((dialect_runs["excel-fr"] / "manifest.json").read_text())
    assert manifest["outputs"]["dataset.csv"]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert manifest["outputs"]["dataset.csv"]["bytes"] == len(raw)
    # The workbook does not depend on the CSV dialect; its KPI sheet follows output.lang.
    kpi = openpyxl.load_workbook(dialect_runs["excel-fr"] / "dataset.xlsx")["KPI"]
    assert kpi["A1"].value == "Indicator" and kpi["A2"].value == "Niche"
