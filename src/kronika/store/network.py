"""Actor networks from stored events: who acts on whom, how often and how (PLOVER scale)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import networkx as nx

from kronika.config import Settings
from kronika.store.filters import EventFilter, asserted_only
from kronika.store.query import Db
from kronika.store.schema import StoreError, open_store

log = logging.getLogger(__name__)

NETWORK_FORMATS = (".graphml", ".gexf", ".png", ".svg", ".html")


def network(
    db: Db = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    type: str | None = None,
    *,
    filters: EventFilter | None = None,
    all_events: bool = False,
    settings: Settings | None = None,
) -> nx.DiGraph:
    """A directed graph of actors (``CODE SECTOR`` labels, one node each) linked by their events.

    Each actor-recipient pair of an event is one link (the ``dyads`` view), so a joint actor ("Russia
    and Syria") gives each of its parties an edge. Like exports, only asserted events at the confidence
    operating point count unless ``all_events``. Edge attributes: ``weight`` (number of events),
    ``mentions`` (their mentions), ``mean_scale`` (mean PLOVER ``event_scale``) and ``types`` (events
    per type, as ``TYPE:n`` text so GraphML can hold it). Node attributes: ``names`` seen for the
    actor and ``events`` it takes part in.
    """
    chosen = (filters or EventFilter()).replace(
        **{k: v for k, v in {"type": type, "date_from": date_from, "date_to": date_to}.items() if v}
    )
    if not all_events:
        chosen = asserted_only(chosen, settings)
    with open_store(db, settings=settings, read_only=True) as con:
        filters_sql, params = chosen.where(con)
        where = " AND ".join(["y.actor IS NOT NULL", "y.recipient IS NOT NULL", *filters_sql])
        rows = con.execute(
            f"""
            SELECT y.actor, y.recipient, count(DISTINCT e.event_id) AS weight, sum(e.n_mentions) AS mentions,
                   avg(e.event_scale) AS mean_scale, list(e.event_type) AS all_types
            FROM dyads y JOIN events e ON e.event_id = y.event_id WHERE {where}
            GROUP BY 1, 2 ORDER BY 1, 2
            """,
            params,
        ).fetchall()
        names = dict(
            con.execute(
                """
                SELECT label, list_sort(list_distinct(list(name))) FROM (
                    SELECT code || coalesce(' ' || sector, '') AS label, name FROM actors
                    WHERE name IS NOT NULL
                ) GROUP BY label
                """
            ).fetchall()
        )
    return _graph(rows, names)


def _graph(rows: list[Any], names: dict[str, list[str]]) -> nx.DiGraph:
    g = nx.DiGraph()
    for a, r, weight, mentions, mean_scale, all_types in rows:
        for node in (a, r):
            if node not in g:
                g.add_node(node, label=node, names="; ".join(names.get(node) or []), events=0)
        counts: dict[str, int] = {}
        for t in all_types:
            counts[t] = counts.get(t, 0) + 1
        g.add_edge(
            a,
            r,
            weight=int(weight),
            mentions=int(mentions or 0),
            mean_scale=round(float(mean_scale), 3) if mean_scale is not None else 0.0,
            types=",".join(f"{t}:{n}" for t, n in sorted(counts.items())),
        )
        g.nodes[a]["events"] += int(weight)
        if r != a:
            g.nodes[r]["events"] += int(weight)
    log.debug("network: %d actors, %d edges", g.number_of_nodes(), g.number_of_edges())
    return g


def write_network(g: nx.DiGraph, out: str | Path) -> Path:
    """Write the graph as GraphML, GEXF or a drawing (PNG, SVG, HTML), chosen by the file extension."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        nx.write_graphml(g, path)
    elif suffix == ".gexf":
        nx.write_gexf(g, path)
    elif suffix in (".png", ".svg", ".html", ".htm"):
        from kronika.store.plot import plot_network

        plot_network(g, path)
    else:
        raise StoreError(f"unknown network format {suffix!r}: use one of {', '.join(NETWORK_FORMATS)}")
    return path
