"""The event store: an embedded DuckDB file of documents, mentions and coreferenced events.

``ingest`` reads, codes and stores articles; ``events``, ``timeline``, ``network``, ``counts`` and
``stats`` query them (one ``EventFilter`` for all; ``as_frame=True`` gives pandas DataFrames);
``export`` writes PLOVER, POLECAT, ICEWS, GDELT, Parquet or CSV files.
"""

from __future__ import annotations

from kronika.store.codebook import cameo_codes, country_codes
from kronika.store.counts import counts
from kronika.store.export import FORMATS, export
from kronika.store.filters import EventFilter
from kronika.store.ingest import IngestReport, ingest, store_coded
from kronika.store.network import network, write_network
from kronika.store.query import UnknownActor, events, resolve_actor, stats, timeline
from kronika.store.schema import SCHEMA_VERSION, StoreError, connect, open_store

__all__ = [
    "FORMATS",
    "EventFilter",
    "cameo_codes",
    "counts",
    "country_codes",
    "SCHEMA_VERSION",
    "IngestReport",
    "StoreError",
    "UnknownActor",
    "connect",
    "events",
    "export",
    "ingest",
    "network",
    "open_store",
    "resolve_actor",
    "stats",
    "store_coded",
    "timeline",
    "write_network",
]
