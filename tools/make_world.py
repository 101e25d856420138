"""Write src/kronika/data/geo/countries-110m.json, the world outline that the page and the map plots draw.

Source: the ``world-atlas`` npm package (ISC licence; Natural Earth 1:110m admin-0 countries, public
domain), ``countries-110m.json`` (TopoJSON). The TopoJSON arcs are decoded into GeoJSON polygons, each
country gets its ISO 3166 alpha-3 code (pycountry, from the numeric id) and a centre (area-weighted
centroid of its largest ring), and coordinates are rounded to two decimals.

    npm install world-atlas@2 && python tools/make_world.py node_modules/world-atlas/countries-110m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "src/kronika/data/geo/countries-110m.json"
# Countries without a numeric ISO code in Natural Earth, by the codes Kronika uses.
BY_NAME = {"Kosovo": "KOS", "N. Cyprus": "CYP", "Somaliland": "SOM"}


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[list[float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        part = arcs[i] if i >= 0 else arcs[~i][::-1]
        points += part if not points else part[1:]
    return [[round(x, 2), round(y, 2)] for x, y in points]


def centroid(r: list[list[float]]) -> tuple[float, float, float]:
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    xs, ys = [x for x, _ in r], [y for _, y in r]
    if abs(a) < 1e-9:
        return xs[0], ys[0], 0.0
    x, y = cx / (3 * a), cy / (3 * a)
    if not (min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys)):  # a ring cut at the antimeridian
        x, y = sum(xs) / len(xs), sum(ys) / len(ys)
    return x, y, abs(a) / 2


def iso3(geometry: dict) -> str | None:
    name = geometry["properties"]["name"]
    if geometry.get("id"):
        country = pycountry.countries.get(numeric=geometry["id"])
        if country is not None:
            return country.alpha_3
    return BY_NAME.get(name)


def main(source: str) -> None:
    topo = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        coords = [[ring(arcs, r) for r in poly] for poly in polys]
        biggest = max((centroid(p[0]) for p in coords), key=lambda c: c[2])
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso3": iso3(g),
                    "name": g["properties"]["name"],
                    "lon": round(biggest[0], 2),
                    "lat": round(biggest[1], 2),
                },
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
            }
        )
    OUT.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(f"{len(features)} countries -> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main(sys.argv[1])
