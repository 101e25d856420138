"""One filter set for every read of the store: events, timelines, networks, counts and exports.

``EventFilter`` holds what a user can ask for (actor, recipient, type, mode, modality, minimum
confidence, dates, place, country of the place); ``where`` turns it into SQL conditions on ``events e``.
Lists (``events``, ``timeline``) show every stored event unless asked; analyses (``export``,
``counts``, ``network``) keep by default only what the data asserts at the operating point
(``asserted_only``): asserted events with confidence at least ``Settings.min_confidence``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from kronika.config import Settings
from kronika.records import MODALITIES

DateLike = str | dt.date | None


@dataclass(frozen=True)
class EventFilter:
    """What to keep of the stored events; ``None`` is no filter on that field."""

    actor: str | None = None
    recipient: str | None = None
    type: str | None = None
    mode: str | None = None
    modality: str | None = None
    min_confidence: float | None = None
    date_from: DateLike = None
    date_to: DateLike = None
    place: str | None = None
    country: str | None = None

    def replace(self, **changes: Any) -> EventFilter:
        return dataclasses.replace(self, **changes)

    def where(self, con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[Any]]:
        """SQL conditions on ``events e`` and their parameters (actors resolved against the store)."""
        from kronika.store.query import date_bound, resolve_actor

        where: list[str] = []
        params: list[Any] = []

        def add(sql: str, *values: Any) -> None:
            where.append(sql)
            params.extend(values)

        for side, query in (("actor", self.actor), ("recipient", self.recipient)):
            if query:
                sql, p = resolve_actor(con, query).predicate(f"e.{side}")
                add(sql, *p)
        self._kind(add)
        lo, hi = date_bound(self.date_from), date_bound(self.date_to, end=True)
        if lo:
            add("e.date_hi >= ?", lo)
        if hi:
            add("e.date_lo <= ?", hi)
        self._place(add)
        return where, params

    def _kind(self, add: Any) -> None:
        from kronika.store.query import StoreError

        if self.type:
            add("list_contains(string_split(e.event_type, '+'), ?)", self.type.upper())
        if self.mode:
            add("list_contains(e.mode, ?)", self.mode.lower())
        if self.modality:
            if self.modality.lower() not in MODALITIES:
                raise StoreError(f"unknown modality {self.modality!r}: use one of {', '.join(MODALITIES)}")
            add("e.modality = ?", self.modality.lower())
        if self.min_confidence is not None:
            add("coalesce(e.confidence, 0) >= ?", float(self.min_confidence))

    def _place(self, add: Any) -> None:
        if self.place:
            # a name, not a pattern: LIKE's wildcards in it are literal
            literal = self.place.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{literal}%"
            add(
                "(e.place ILIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM event_mentions em JOIN mentions mm "
                "ON mm.mention_id = em.mention_id WHERE em.event_id = e.event_id "
                "AND mm.text ILIKE ? ESCAPE '\\'))",
                pattern,
                pattern,
            )
        if self.country:
            add("upper(e.place_country) = ?", self.country.upper())


def asserted_only(filters: EventFilter | None = None, settings: Settings | None = None) -> EventFilter:
    """``filters`` narrowed to the events an analysis counts by default: asserted, at the operating point.

    A modality or minimum confidence given in ``filters`` is kept as given.
    """
    f = filters or EventFilter()
    threshold = (settings or Settings()).min_confidence
    return f.replace(
        modality=f.modality or "asserted",
        min_confidence=f.min_confidence if f.min_confidence is not None else threshold,
    )


def sql_where(conditions: list[str], keyword: str = "WHERE") -> str:
    """``WHERE a AND b`` (empty without conditions)."""
    return f"{keyword} {' AND '.join(conditions)}" if conditions else ""
