"""`enrich.coordinates` against pyproj: `builder run-profile --profile standard` gives every row the latitude
and longitude pyproj's transform gives, rounded to 6 decimals, on real points of each projection (metropolitan
France, 971 to 978), from a CSV stock and from the same rows in Parquet, and on builder's own sample stock;
masked, absent, malformed, out-of-bounds and unprojectable rows get nulls and are counted in the manifest.
(The unrounded conversion is compared with pyproj's, to the centimetre, in the Swift tests of Geo.)"""
import csv
import json
import random
import re
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyproj import Transformer

# The projection of each département, as INSEE gives the coordinates; Lambert-93 elsewhere in France.
EPSG = {"971": 5490, "972": 5490, "977": 5490, "978": 5490, "973": 2972, "974": 2975, "975": 4467, "976": 4471}

# Points inside communes (latitude, longitude), by département: the stock's points are drawn around them.
PLACES = {
    "75": ("75103", [(48.8637, 2.3594), (48.8479, 2.3330), (48.8771, 2.3359)]),
    "2A": ("2A004", [(42.0980, 8.8056), (41.9034, 8.8861), (41.8863, 8.8128)]),
    "2B": ("2B033", [(42.4903, 9.3183), (42.4720, 9.3494), (42.4746, 9.3913)]),
    "29": ("29019", [(48.1500, -4.1037), (48.6859, -3.7246), (48.5814, -4.3104)]),
    "67": ("67482", [(48.5060, 7.6084), (48.4925, 7.6896), (48.3835, 7.5499)]),
    "64": ("64445", [(43.4614, -0.5339), (43.5364, -0.3149), (43.3365, -1.0583)]),
    "59": ("59350", [(50.2311, 3.5881), (50.5672, 3.2185), (50.7755, 3.1377)]),
    "06": ("06088", [(43.8310, 7.2868), (43.7703, 6.9455), (43.7267, 6.9622)]),
    "971": ("97120", [(16.2620, -61.5684), (15.9874, -61.6949), (16.1227, -61.6061)]),
    "972": ("97209", [(14.8465, -61.1169), (14.6293, -61.0629), (14.8628, -61.1500)]),
    "973": ("97302", [(4.9258, -52.3200), (5.2409, -53.6784), (4.4685, -52.5168)]),
    "974": ("97411", [(-21.2108, 55.4873), (-20.9424, 55.3038), (-20.9315, 55.4444)]),
    "975": ("97502", [(46.7800, -56.2000), (47.0950, -56.3750)]),
    "976": ("97611", [(-12.7176, 45.1121), (-12.8273, 45.1149), (-12.7789, 45.2834)]),
    "977": ("97701", [(17.9005, -62.8330), (17.9030, -62.8250)]),
    "978": ("97801", [(18.0725, -63.0480), (18.0800, -63.0550)]),
}

COLUMNS = ["siren", "siret", "activitePrincipaleEtablissement", "etatAdministratifEtablissement",
           "codeCommuneEtablissement", "codePostalEtablissement",
           "coordonneeLambertAbscisseEtablissement", "coordonneeLambertOrdonneeEtablissement"]

JOB = ('niche: "naf_coordinates"\nfilters: {naf_include: ["69.20Z"], active_only: false}\nprofile: "standard"\n'
       'steps: [dumps.collect, normalize.standardize, quality.checks, enrich.coordinates, quality.dedupe, quality.score, package.export]\n')


def departement(commune):
    return commune[:3] if commune[:2] in ("97", "98") else commune[:2]


def transformer(epsg, cache={}):
    if epsg not in cache:
        cache[epsg] = Transformer.from_crs(epsg, 4326, always_xy=True)
    return cache[epsg]


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def expected_point(commune, x, y):
    """pyproj's latitude and longitude, rounded to 6 decimals; None when the row has no convertible point."""
    easting, northing = number(x), number(y)
    if not commune or easting is None or northing is None:
        return None
    dep = departement(commune)
    if not (dep in EPSG or (dep.isdigit() and len(dep) == 2 and dep != "20") or dep in ("2A", "2B")):
        return None
    longitude, latitude = transformer(EPSG.get(dep, 2154)).transform(easting, northing)
    return round(latitude, 6), round(longitude, 6)


def make_stock():
    """Rows with real points of every projection, and one or more rows of each other outcome."""
    rng = random.Random(2154)
    rows, outcomes = [], []

    def add(commune, postal, x, y, outcome):
        index = len(rows)
        siren = f"{300000000 + index:09d}"
        rows.append([siren, f"{siren}{index % 100000:05d}", "69.20Z", "A", commune, postal, x, y])
        outcomes.append(outcome)

    projected = {}
    for dep, (commune, places) in PLACES.items():
        forward = Transformer.from_crs(4326, EPSG.get(dep, 2154), always_xy=True)
        for latitude, longitude in places:
            for _ in range(40):
                lat = latitude + rng.uniform(-0.002, 0.002)
                lon = longitude + rng.uniform(-0.002, 0.002)
                x, y = forward.transform(lon, lat)
                decimals = rng.choice([0, 1, 1, 2])
                add(commune, None, f"{x:.{decimals}f}", f"{y:.{decimals}f}", "converted")
                projected.setdefault(dep, (f"{x:.1f}", f"{y:.1f}"))
    paris, reunion = projected["75"], projected["974"]
    add("75103", "[ND]", "[ND]", "[ND]", "masked")
    add("97411", "97400", "[ND]", reunion[1], "masked")
    add("75103", "75003", "", "", "absent")
    add("75103", "75003", paris[0], "", "absent")
    add("75103", "75003", "652469,8", paris[1], "malformed")
    add("2A004", "20000", "abc", "6128527.0", "malformed")
    add("75103", "75003", "1e5", paris[1], "malformed")
    # A Paris point declared in Réunion, a Réunion point in Paris, Lambert-93 in Guadeloupe.
    add("97411", "97400", paris[0], paris[1], "out_of_bounds")
    add("75103", "75003", reunion[0], reunion[1], "out_of_bounds")
    add("97120", "97110", paris[0], paris[1], "out_of_bounds")
    # Polynesia (no projection) and a foreign establishment (no département).
    add("98735", "98714", paris[0], paris[1], "no_projection")
    add(None, None, paris[0], paris[1], "no_projection")
    order = list(range(len(rows)))
    rng.shuffle(order)
    return [rows[i] for i in order], [outcomes[i] for i in order]


@pytest.fixture(scope="module")
def stock(tmp_path_factory):
    directory = tmp_path_factory.mktemp("coordinates")
    rows, outcomes = make_stock()
    csv_path = directory / "stock.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([["" if value is None else value for value in row] for row in rows])
    parquet_path = directory / "stock.parquet"
    table = pa.table({name: pa.array([row[i] for row in rows], pa.string()) for i, name in enumerate(COLUMNS)})
    pq.write_table(table, parquet_path, row_group_size=500)
    return {"csv": csv_path, "parquet": parquet_path, "rows": rows, "outcomes": outcomes}


def run_standard(builder, directory, input_path, job=JOB):
    job_path = directory / "job.yaml"
    job_path.write_text(job)
    out = directory / "out"
    result = subprocess.run([str(builder), "run-profile", "--job", str(job_path), "--input", str(input_path),
                             "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with open(out / "dataset.csv", newline="", encoding="utf-8") as handle:
        dataset = list(csv.DictReader(handle))
    manifest = json.loads((out / "manifest.json").read_text())
    step = next(step for step in manifest["steps"] if step["name"] == "enrich.coordinates")
    return dataset, step, pq.read_table(out / "dataset.parquet")


def check_points(dataset, source_by_siret):
    converted = 0
    for row in dataset:
        commune, x, y = source_by_siret[row["siret"]]
        expected = expected_point(commune, x, y)
        got = (row["latitude"], row["longitude"])
        if got == ("", ""):
            continue
        converted += 1
        assert expected is not None, f"{row['siret']}: {commune} {x} {y} gave {got}, pyproj has no point"
        assert (float(got[0]), float(got[1])) == expected, f"{row['siret']}: {commune} {x} {y}"
    return converted


@pytest.mark.parametrize("source", ["csv", "parquet"])
def test_every_row_matches_pyproj_and_every_outcome_is_counted(builder, stock, tmp_path, source):
    dataset, step, table = run_standard(builder, tmp_path, stock[source])
    rows, outcomes = stock["rows"], stock["outcomes"]
    assert len(dataset) == len(rows)
    source_by_siret = {row[1]: (row[4], row[6], row[7]) for row in rows}
    outcome_by_siret = {row[1]: outcome for row, outcome in zip(rows, outcomes)}
    for row in dataset:
        converted = outcome_by_siret[row["siret"]] == "converted"
        assert (row["latitude"] != "") == converted and (row["longitude"] != "") == converted, row["siret"]
    assert check_points(dataset, source_by_siret) == outcomes.count("converted")
    # Every projection is exercised.
    epsgs = {EPSG.get(departement(row[4]), 2154) for row, outcome in zip(rows, outcomes) if outcome == "converted"}
    assert epsgs == {2154, 5490, 2972, 2975, 4467, 4471}
    assert step["coordinates"] == {name: outcomes.count(name) for name in
                                   ["converted", "masked", "absent", "malformed", "out_of_bounds", "no_projection"]}
    # dataset.parquet: DOUBLE columns holding the same values.
    assert str(table.schema.field("latitude").type) == "double"
    assert [("" if v is None else repr(v)) for v in table.column("latitude").to_pylist()] == \
        [("" if row["latitude"] == "" else repr(float(row["latitude"]))) for row in dataset]


def test_sample_stock_points_match_pyproj(builder, tmp_path):
    stock = tmp_path / "sample.csv"
    made = subprocess.run([str(builder), "sample-data", "--rows", "30000", "--seed", "5", "--out", str(stock)],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    with open(stock, newline="", encoding="utf-8") as handle:
        source = {row["siret"]: (row["codeCommuneEtablissement"], row["coordonneeLambertAbscisseEtablissement"],
                                 row["coordonneeLambertOrdonneeEtablissement"]) for row in csv.DictReader(handle)}
    job = ('niche: "naf_many"\nfilters: {naf_include: ["68", "70", "94", "47", "43", "56", "62", "69", "84", "96"], '
           'active_only: false}\nprofile: "standard"\n'
           'steps: [dumps.collect, normalize.standardize, quality.checks, enrich.coordinates, quality.dedupe, quality.score, package.export]\n')
    dataset, step, _ = run_standard(builder, tmp_path, stock, job)
    assert len(dataset) > 10_000
    counts = step["coordinates"]
    masked = sum(1 for row in dataset if source[row["siret"]][1] == "[ND]")
    absent = sum(1 for row in dataset if source[row["siret"]][1] == "")
    # Every real point of the sample converts, within its département's bounds.
    assert counts == {"converted": len(dataset) - masked - absent, "masked": masked, "absent": absent,
                      "malformed": 0, "out_of_bounds": 0, "no_projection": 0}
    assert check_points(dataset, source) == counts["converted"]
    assert {EPSG.get(departement(source[row["siret"]][0]), 2154) for row in dataset if row["latitude"]} > {2154}


def test_double_lambert_columns_are_read_as_numbers(builder, stock, tmp_path):
    """A stock whose masked and malformed coordinates were made nulls and the rest DOUBLE (as a team's own
    cleaning might leave it): the same points, in a standard run and in a quick batch sharing the input cache."""
    decimal = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
    rows, outcomes = stock["rows"], stock["outcomes"]

    def as_double(text):
        return float(text) if text and decimal.fullmatch(text) else None

    columns = {name: pa.array([row[i] for row in rows], pa.string()) for i, name in enumerate(COLUMNS)}
    for i in (6, 7):
        columns[COLUMNS[i]] = pa.array([as_double(row[i]) for row in rows], pa.float64())
    path = tmp_path / "double.parquet"
    pq.write_table(pa.table(columns), path, row_group_size=700)

    dataset, step, _ = run_standard(builder, tmp_path, path)
    source_by_siret = {row[1]: (row[4], row[6], row[7]) for row in rows}
    assert check_points(dataset, source_by_siret) == outcomes.count("converted")
    nulled = sum(outcomes.count(name) for name in ("masked", "absent", "malformed"))
    assert step["coordinates"] == {"converted": outcomes.count("converted"), "masked": 0, "absent": nulled, "malformed": 0,
                                   "out_of_bounds": outcomes.count("out_of_bounds"),
                                   "no_projection": outcomes.count("no_projection")}

    batch = subprocess.run([str(builder), "batch", "--naf", "69.20Z", "--naf", "43", "--input", str(path),
                            "--output-dir", str(tmp_path / "batch"), "--jobs-dir", str(tmp_path / "jobs")],
                           capture_output=True, text=True, timeout=300)
    assert batch.returncode == 0, batch.stderr
