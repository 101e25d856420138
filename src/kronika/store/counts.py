"""Counts of events by day, week or month, by dyad, type or quad class: the tables analysts build first.

An event counts in a period when its date is at least as precise as the period (a month-dated event
counts by month, not by day or week); weeks start on Monday. With ``dyad`` an event counts once per
actor–recipient pair (the ``dyads`` view). Like exports, counts keep by default only asserted events
at the confidence operating point.
"""

from __future__ import annotations

from typing import Any

from kronika.config import Settings
from kronika.store.filters import EventFilter, asserted_only, sql_where
from kronika.store.query import Db
from kronika.store.query import as_frame as to_frame
from kronika.store.schema import StoreError, open_store

PERIODS = {"day": ("day",), "week": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}


def counts(
    db: Db = None,
    by: str = "month",
    dyad: bool = False,
    type: bool = False,
    quad: bool = False,
    filters: EventFilter | None = None,
    all_events: bool = False,
    settings: Settings | None = None,
    as_frame: bool = False,
) -> Any:
    """Rows ``{period, [actor, recipient], [event_type], [quad_code], events, mentions, mean_scale}``,
    newest period first (then most events). ``by`` is ``day``, ``week``, ``month`` or ``year``."""
    if by not in PERIODS:
        raise StoreError(f"cannot count by {by!r}: use one of {', '.join(PERIODS)}")
    chosen = filters or EventFilter()
    if not all_events:
        chosen = asserted_only(chosen, settings)
    keys = [f"date_trunc('{by}', e.date_lo)::DATE AS period"]
    order: list[str] = []
    if dyad:
        keys += ["y.actor", "y.recipient"]
        order += ["actor NULLS FIRST", "recipient NULLS FIRST"]
    if type:
        keys.append("e.event_type")
        order.append("event_type")
    if quad:
        keys.append("e.quad_code")
        order.append("quad_code")
    source = "events e JOIN dyads y ON y.event_id = e.event_id" if dyad else "events e"
    with open_store(db, settings=settings, read_only=True) as con:
        where, params = chosen.where(con)
        where.append(f"e.date_precision IN ({', '.join(repr(p) for p in PERIODS[by])})")
        cur = con.execute(
            f"""
            SELECT {", ".join(keys)}, count(DISTINCT e.event_id)::INTEGER AS events,
                   sum(e.n_mentions)::INTEGER AS mentions, round(avg(e.event_scale), 3) AS mean_scale
            FROM {source} {sql_where(where)}
            GROUP BY ALL ORDER BY {", ".join(["period DESC", "events DESC", *order])}
            """,
            params,
        )
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return to_frame(rows, names) if as_frame else rows
