"""Actor networks from stored events: who acts on whom, how often and how (PLOVER scale)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import networkx as nx

from kronika.store.query import Db, event_filters
from kronika.store.schema import StoreError, open_store

log = logging.getLogger(__name__)

NETWORK_FORMATS = (".graphml", ".gexf", ".png", ".svg", ".html")


def network(
    db: Db = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    type: str | None = None,
) -> nx.DiGraph:
    """A directed graph of actors (``CODE SECTOR`` labels) linked by the events between them.

    An event whose side names several actors links each of them. Edge attributes: ``weight`` (number
    of events), ``mentions`` (their mentions), ``mean_scale`` (mean
    PLOVER ``event_scale``) and ``types`` (events per type, as ``TYPE:n`` text so GraphML can hold it).
    Node attributes: ``names`` seen for the actor and ``events`` it takes part in.
    """
    with open_store(db, read_only=True) as con:
        filters, params = event_filters(con, type=type, date_from=date_from, date_to=date_to)
        where = " AND ".join(["e.actor_label <> ''", "e.recipient_label <> ''", *filters])
        # A joint side ("IRN GOV,RUS GOV,TUR GOV") is one node per actor: each pair gets the event.
        pairs = f"""
            WITH sides AS (
                SELECT e.*, trim(unnest(string_split(e.actor_label, ','))) AS a FROM events e WHERE {where}
            ), pairs AS (
                SELECT sides.*, trim(unnest(string_split(sides.recipient_label, ','))) AS r FROM sides
            )
        """
        rows = con.execute(
            f"""{pairs}
            SELECT a, r, count(*) AS weight, sum(n_mentions) AS mentions, avg(event_scale) AS mean_scale,
                   string_agg(DISTINCT event_type, ',' ORDER BY event_type) AS type_list,
                   list(event_type) AS all_types
            FROM pairs WHERE a <> '' AND r <> '' GROUP BY 1, 2 ORDER BY 1, 2
            """,
            params,
        ).fetchall()
        # Names come from the events where the actor stands alone on its side.
        names = dict(
            con.execute(
                f"""
                SELECT label, list_sort(list_distinct(flatten(list(names)))) FROM (
                    SELECT actor_label AS label, actor_names AS names FROM events e WHERE {where}
                    UNION ALL
                    SELECT recipient_label, recipient_names FROM events e WHERE {where}
                ) WHERE NOT contains(label, ',') GROUP BY label
                """,
                params + params,
            ).fetchall()
        )
    g = nx.DiGraph()
    for a, r, weight, mentions, mean_scale, _types, all_types in rows:
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
