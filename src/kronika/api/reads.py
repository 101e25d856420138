"""What the REST API adds to ``kronika.store``: date checks for query parameters, the network as nodes
and edges, and exports written to a file for download."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import networkx as nx

from kronika.config import Settings
from kronika.store.export import export
from kronika.store.filters import EventFilter
from kronika.store.network import network, write_network
from kronika.store.query import Db, date_bound
from kronika.store.schema import StoreError

log = logging.getLogger(__name__)

# Download format -> (file suffix, media type). Network formats are written by ``write_network``.
DOWNLOADS: dict[str, tuple[str, str]] = {
    "plover-jsonl": (".jsonl", "application/x-ndjson"),
    "polecat-tsv": (".tsv", "text/tab-separated-values"),
    "icews-tsv": (".tsv", "text/tab-separated-values"),
    "gdelt-csv": (".csv", "text/csv"),  # tab-separated, as GDELT's own .export.CSV files
    "parquet": (".parquet", "application/vnd.apache.parquet"),
    "csv": (".csv", "text/csv"),
    "graphml": (".graphml", "application/graphml+xml"),
    "gexf": (".gexf", "application/xml"),
}
NETWORK_DOWNLOADS = ("graphml", "gexf")


def check_date(value: str | None) -> str | None:
    """A query date bound as the store reads it (YYYY-MM-DD, YYYY-MM or YYYY); ``ValueError`` if not."""
    if value is None or value == "":
        return None
    try:
        date_bound(value)
    except StoreError as exc:
        raise ValueError(str(exc)) from None
    if not value.strip()[:4].isdigit():
        raise ValueError(f"cannot read the date {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
    return value


def graph_json(g: nx.DiGraph) -> dict[str, Any]:
    """The actor network as plain nodes and edges (the attributes of ``kronika.store.network``)."""
    return {
        "directed": True,
        "nodes": [{"id": n, **attrs} for n, attrs in g.nodes(data=True)],
        "edges": [{"source": a, "target": b, **attrs} for a, b, attrs in g.edges(data=True)],
    }


def network_json(
    db: Db,
    date_from: str | None = None,
    date_to: str | None = None,
    type: str | None = None,
    filters: EventFilter | None = None,
    all_events: bool = False,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """``kronika network`` as JSON."""
    g = network(db, date_from, date_to, type, filters=filters, all_events=all_events, settings=settings)
    return graph_json(g)


def export_to(
    db: Db,
    fmt: str,
    folder: Path,
    table: str = "events",
    settings: Settings | None = None,
    filters: EventFilter | None = None,
    all_events: bool = False,
) -> Path:
    """Write the export ``fmt`` (an export format, or ``graphml``/``gexf`` for the network) into
    ``folder``; return the file."""
    what = "network" if fmt in NETWORK_DOWNLOADS else table if fmt in ("parquet", "csv") else "events"
    path = folder / f"kronika-{what}{DOWNLOADS[fmt][0]}"
    if fmt in NETWORK_DOWNLOADS:
        write_network(network(db, filters=filters, all_events=all_events, settings=settings), path)
    else:
        export(db, fmt, path, table=table, settings=settings, filters=filters, all_events=all_events)
    log.debug("export %s written to %s", fmt, path)
    return path
