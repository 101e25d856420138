"""Where stored events happened: their places with coordinates, and the world outline maps draw on.

A place from the gazetteer has coordinates; a country, or a capital without them, stands at the
centre of its country in the shipped outline (``data/geo/countries-110m.json``, from Natural Earth's
1:110m countries through the ``world-atlas`` package), and is marked ``approximate``.
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path
from typing import Any

from kronika.store.filters import EventFilter
from kronika.store.query import Db
from kronika.store.schema import open_store

log = logging.getLogger(__name__)

WORLD = Path(__file__).resolve().parents[1] / "data" / "geo" / "countries-110m.json"


@functools.cache
def world() -> dict[str, Any]:
    """The world outline as a GeoJSON FeatureCollection (properties ``iso3``, ``name``, ``lon``, ``lat``)."""
    return json.loads(WORLD.read_text(encoding="utf-8"))


@functools.cache
def country_centres() -> dict[str, tuple[float, float]]:
    """ISO 3166 alpha-3 code -> (lon, lat) of the country's centre in the outline."""
    return {
        f["properties"]["iso3"]: (f["properties"]["lon"], f["properties"]["lat"])
        for f in world()["features"]
        if f["properties"].get("iso3")
    }


def event_places(db: Db = None, filters: EventFilter | None = None, **given: Any) -> list[dict[str, Any]]:
    """The places of the events matching ``filters`` (an ``EventFilter``, or its fields as keywords),
    most events first: ``{name, country, kind, lon, lat, approximate, events, mentions}``.

    Each mention of an event counts its own place; an event counts once per place it was reported at.
    Places with no coordinates and no known country are left out.
    """
    with open_store(db, read_only=True) as con:
        chosen = (filters or EventFilter()).replace(**{k: v for k, v in given.items() if v not in (None, "")})
        where, params = chosen.where(con)
        cond = f"WHERE {' AND '.join(where)}" if where else ""
        rows = con.execute(
            f"""
            WITH p AS (
                SELECT em.event_id, m.mention_id, json_extract(m.record, '$.place') AS place
                FROM events e JOIN event_mentions em ON em.event_id = e.event_id
                JOIN mentions m ON m.mention_id = em.mention_id
                {cond}
            )
            SELECT place->>'name' AS name, place->>'country' AS country, place->>'kind' AS kind,
                   TRY_CAST(place->>'lon' AS DOUBLE) AS lon, TRY_CAST(place->>'lat' AS DOUBLE) AS lat,
                   count(DISTINCT event_id) AS events, count(DISTINCT mention_id) AS mentions
            FROM p WHERE place IS NOT NULL AND json_type(place) = 'OBJECT'
            GROUP BY 1, 2, 3, 4, 5 ORDER BY events DESC, mentions DESC, name
            """,
            params,
        ).fetchall()
    return _located(rows)


def _located(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    centres = country_centres()
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for name, country, kind, lon, lat, n_events, n_mentions in rows:
        approximate = lon is None or lat is None
        if approximate:
            if country not in centres:
                log.debug("place %r (%s) has no coordinates", name, country)
                continue
            lon, lat = centres[country]
        key = (str(name), str(country))
        if key in out:  # the same place written with and without coordinates
            out[key]["events"] += int(n_events)
            out[key]["mentions"] += int(n_mentions)
            continue
        out[key] = {
            "name": name,
            "country": country,
            "kind": kind,
            "lon": float(lon),
            "lat": float(lat),
            "approximate": approximate,
            "events": int(n_events),
            "mentions": int(n_mentions),
        }
    return sorted(out.values(), key=lambda p: (-p["events"], -p["mentions"], p["name"]))
