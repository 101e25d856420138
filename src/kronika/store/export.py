"""Exports of the stored events in the formats event-data users already read.

``gdelt-csv`` (the 61-column GDELT 2.0 event table, tab-separated, no header), ``icews-tsv`` and
``polecat-tsv`` follow their codebooks' column layouts (``data/exports/*.yaml``) with one row per
actor-recipient pair of an event; ``plover-jsonl`` writes one PLOVER record per event; ``parquet``
and ``csv`` write typed tables: ``events`` (lists as lists in Parquet, ``;``-joined in CSV; dates as
dates with their precision), ``dyads``, the store's own tables and the code tables (``countries``,
``cameo``, ``plover``). By default only asserted events at the confidence operating point
(``Settings.min_confidence``) are exported; ``all_events=True`` keeps every event with its modality.
The column mappings are documented in ``docs/store.md`` and the README.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kronika.config import Settings
from kronika.knowledge import KnowledgeErrors, load_knowledge
from kronika.knowledge.models import CowEntry
from kronika.store.codebook import codebook_tables
from kronika.store.filters import EventFilter, asserted_only, sql_where
from kronika.store.layouts import FIELDS, layout, select_list
from kronika.store.query import Db
from kronika.store.schema import StoreError, open_store

log = logging.getLogger(__name__)

FORMATS = ("plover-jsonl", "polecat-tsv", "icews-tsv", "gdelt-csv", "parquet", "csv")
TABLES = (
    "events",
    "dyads",
    "mentions",
    "documents",
    "actors",
    "event_mentions",
    "countries",
    "cameo",
    "plover",
)


def _q(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


@dataclass(frozen=True)
class CowState:
    """A state of the Correlates of War state system: its number and three-letter abbreviation."""

    code: str  # Kronika's country code (ISO 3166 alpha-3, or KOS)
    ccode: int
    stateabb: str
    name: str = ""


COW_FILE = "cow.yaml"


def build_cow(entries: Iterable[CowEntry]) -> Mapping[str, CowState]:
    """Country code -> COW state, from the validated ``actors/cow.yaml`` entries."""
    return MappingProxyType({e.code: CowState(e.code, e.ccode, e.stateabb, e.name) for e in entries})


def load_cow(settings: Settings | None = None) -> Mapping[str, CowState]:
    """Country code -> COW state, from ``actors/cow.yaml`` in each knowledge folder (later ones override).

    A bad file is a ``StoreError`` naming the file, the entry and the field.
    """
    try:
        return load_knowledge(settings).cow
    except KnowledgeErrors as exc:
        raise StoreError(str(exc)) from exc


_LAYOUTS = {"polecat-tsv": "polecat", "icews-tsv": "icews", "gdelt-csv": "gdelt"}

_DYAD_FROM = """
    FROM dyads y
    JOIN _selected e ON e.event_id = y.event_id
    LEFT JOIN mentions m ON m.mention_id = e.representative
    LEFT JOIN documents d ON d.doc_key = m.doc_key
    LEFT JOIN _countries ca ON ca.code = y.actor_code
    LEFT JOIN _countries cr ON cr.code = y.recipient_code
    LEFT JOIN _countries cp ON cp.code = e.place_country
    LEFT JOIN _cameo cm ON cm.code = e.cameo
"""
_DYAD_ORDER = "ORDER BY e.date_lo NULLS LAST, e.event_id, y.actor NULLS FIRST, y.recipient NULLS FIRST"

# The typed event table of the csv and parquet exports: (SQL over events e, column name).
EVENT_COLUMNS: list[tuple[str, str]] = [
    ("e.event_id", "event_id"),
    ("e.event_type", "event_type"),
    ("e.mode", "mode"),
    ("e.cameo", "cameo"),
    ("cm.label", "cameo_label"),
    ("e.quad_code", "quad_code"),
    ("cm.goldstein", "goldstein"),
    ("e.event_scale", "event_scale"),
    ("e.modality", "modality"),
    ("e.confidence", "confidence"),
    ("e.date", "date"),
    ("e.date_precision", "date_precision"),
    ("e.date_lo", "date_start"),
    ("e.date_hi", "date_end"),
    ("e.actor_cs", "actors"),
    ("e.actor_codes", "actor_codes"),
    ("e.actor_names", "actor_names"),
    ("e.recipient_cs", "recipients"),
    ("e.recipient_codes", "recipient_codes"),
    ("e.recipient_names", "recipient_names"),
    ("e.place", "place"),
    ("e.place_country", "place_country"),
    ("e.place_admin1", "place_admin1"),
    ("e.place_kind", "place_kind"),
    ("e.place_lat", "place_lat"),
    ("e.place_lon", "place_lon"),
    ("e.place_geonameid", "place_geonameid"),
    ("e.first_report", "first_report"),
    ("e.last_report", "last_report"),
    ("e.n_mentions", "n_mentions"),
    ("e.n_sources", "n_sources"),
    ("e.n_documents", "n_documents"),
    ("e.sources", "sources"),
    ("e.text", "text"),
]

# The dyad table (one row per actor-recipient pair): the event's columns with the pair's.
DYAD_COLUMNS: list[tuple[str, str]] = [
    (FIELDS["row_id"], "global_event_id"),
    ("e.event_id", "event_id"),
    ("y.actor", "actor"),
    ("y.actor_code", "actor_code"),
    ("y.actor_sector", "actor_sector"),
    (FIELDS["actor_name"], "actor_name"),
    ("y.recipient", "recipient"),
    ("y.recipient_code", "recipient_code"),
    ("y.recipient_sector", "recipient_sector"),
    (FIELDS["recipient_name"], "recipient_name"),
    *[c for c in EVENT_COLUMNS if c[1] not in ("event_id",) and not c[1].startswith(("actor", "recipient"))],
]


def _select(columns: list[tuple[str, str]]) -> str:
    return ",\n    ".join(f"{expr} AS {_q(name)}" for expr, name in columns)


def _csv_value(expr: str, name: str) -> tuple[str, str]:
    """Lists as ``;``-joined text for CSV (Parquet keeps them as lists)."""
    if name in _LIST_COLUMNS:
        return f"array_to_string({expr}, ';')", name
    return expr, name


_LIST_COLUMNS = {
    "mode",
    "actors",
    "actor_codes",
    "actor_names",
    "recipients",
    "recipient_codes",
    "recipient_names",
    "sources",
}


def _register_codebooks(con: Any, settings: Settings | None) -> None:
    for name, table in codebook_tables(settings).items():
        _idle(con)
        con.register(f"_{name}_arrow", table)
        con.execute(f"CREATE OR REPLACE TEMP TABLE _{name} AS SELECT * FROM _{name}_arrow")
        _idle(con)
        con.unregister(f"_{name}_arrow")


def _idle(con: Any) -> None:
    """Finish any open result: DuckDB registers and unregisters Arrow tables on an idle connection only."""
    con.execute("SELECT 1").fetchall()


def _drop_temporary(con: Any) -> None:
    for name in ("_selected", "_countries", "_cameo", "_plover"):
        con.execute(f"DROP TABLE IF EXISTS temp.{name}")


def _select_events(con: Any, filters: EventFilter) -> int:
    """Register the chosen events as ``_selected``; return how many."""
    where, params = filters.where(con)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _selected AS SELECT e.* FROM events e {sql_where(where)}", params
    )
    return _count(con, "_selected")


def _copy(con: Any, select: str, out: Path, options: str) -> None:
    con.execute(f"COPY ({select}) TO '{_path(out)}' ({options})")


def _write_layout(con: Any, fmt: str, out: Path) -> int:
    lay = layout(_LAYOUTS[fmt])
    delimiter = lay.delimiter
    header = "true" if lay.header else "false"
    select = f"SELECT {select_list(lay)} {_DYAD_FROM} {_DYAD_ORDER}"
    _copy(con, select, out, f"FORMAT csv, DELIMITER '{delimiter}', HEADER {header}, NULLSTR ''")
    return _count(con, "dyads y JOIN _selected s ON s.event_id = y.event_id")


def _write_table(con: Any, fmt: str, table: str, out: Path) -> int:
    if table in ("events", "dyads"):
        columns = EVENT_COLUMNS if table == "events" else DYAD_COLUMNS
        if fmt == "csv":
            columns = [_csv_value(e, n) for e, n in columns]
        source = (
            "FROM _selected e LEFT JOIN _cameo cm ON cm.code = e.cameo "
            "ORDER BY e.date_lo NULLS LAST, e.event_id"
            if table == "events"
            else _DYAD_FROM + _DYAD_ORDER
        )
        select = f"SELECT {_select(columns)} {source}"
        n = _select_count(con, table)
    else:
        select = f"SELECT * FROM {_TABLE_SOURCES.get(table, table)} ORDER BY {_TABLE_ORDER[table]}"
        n = _count(con, _TABLE_SOURCES.get(table, table))
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    _copy(con, select, out, options)
    return n


def _select_count(con: Any, table: str) -> int:
    if table == "events":
        return _count(con, "_selected")
    return _count(con, "dyads y JOIN _selected s ON s.event_id = y.event_id")


_TABLE_ORDER = {
    "mentions": "mention_id",
    "documents": "doc_key",
    "actors": "actor_key",
    "event_mentions": "event_id, mention_id",
    "countries": "code",
    "cameo": "code",
    "plover": "type",
}
_TABLE_SOURCES = {"countries": "_countries", "cameo": "_cameo", "plover": "_plover"}


def _count(con: Any, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _path(out: Path) -> str:
    return str(out).replace("'", "''")


_PLOVER_SELECT = """
    SELECT e.event_id, e.date, e.date_precision, e.date_lo, e.date_hi, e.n_mentions, e.n_sources,
           e.n_documents, e.sources, e.first_report, e.last_report, e.event_scale, e.modality, e.confidence,
           e.place, e.place_country, e.place_admin1, e.place_kind, e.place_lat, e.place_lon,
           e.place_geonameid, cm.goldstein, m.record,
           (SELECT list(em.mention_id ORDER BY em.mention_id) FROM event_mentions em
            WHERE em.event_id = e.event_id) AS mentions,
           (SELECT list({'doc_id': s.doc_id, 'url': s.url, 'publisher': s.publisher,
                         'pub_date': strftime(s.pub_date, '%Y-%m-%d')} ORDER BY s.doc_id)
            FROM event_sources s WHERE s.event_id = e.event_id) AS source_documents
    FROM _selected e
    LEFT JOIN mentions m ON m.mention_id = e.representative
    LEFT JOIN _cameo cm ON cm.code = e.cameo
    ORDER BY e.date_lo NULLS LAST, e.event_id
"""


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def plover_record(row: dict[str, Any]) -> dict[str, Any]:
    """One event as a PLOVER record: the representative mention's record with the event's fields."""
    rec = json.loads(row.pop("record") or "{}")
    rec["mention_id"] = rec.get("id")
    place = rec.get("place") if isinstance(rec.get("place"), dict) else {}
    if row["place"]:
        place = {**(place or {}), "name": row["place"]}
        for key in ("country", "admin1", "kind", "lat", "lon", "geonameid"):
            if row[f"place_{key}"] is not None:
                place[key] = row[f"place_{key}"]
    rec.update(
        id=row["event_id"],
        date=row["date"],
        date_precision=row["date_precision"],
        date_start=_iso(row["date_lo"]),
        date_end=_iso(row["date_hi"]),
        event_scale=row["event_scale"],
        goldstein=row["goldstein"],
        modality=row["modality"],
        confidence=row["confidence"],
        place=place or None,
        n_mentions=row["n_mentions"],
        n_sources=row["n_sources"],
        n_documents=row["n_documents"],
        sources=list(row["sources"] or []),
        source_documents=list(row["source_documents"] or []),
        mentions=list(row["mentions"] or []),
        first_report=_iso(row["first_report"]),
        last_report=_iso(row["last_report"]),
    )
    return rec


def _write_plover(con: Any, out: Path) -> int:
    cur = con.execute(_PLOVER_SELECT)
    names = [d[0] for d in cur.description]
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        while chunk := cur.fetchmany(5000):
            for values in chunk:
                rec = plover_record(dict(zip(names, values, strict=True)))
                fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
                n += 1
    return n


def _check(fmt: str, table: str) -> None:
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if table not in TABLES:
        raise StoreError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")


def export(
    db: Db,
    format: str,
    out: str | Path,
    table: str = "events",
    settings: Settings | None = None,
    filters: EventFilter | None = None,
    all_events: bool = False,
) -> int:
    """Write the store's events in ``format`` to ``out``; return the number of rows written.

    ``filters`` choose the events (``kronika.store.filters.EventFilter``); unless ``all_events``, only
    asserted events with confidence at least ``settings.min_confidence`` are kept. ``table`` chooses
    what ``parquet`` and ``csv`` write (``events`` by default, ``dyads``, a store table or a code
    table); the other formats always write events. ``settings`` also gives the knowledge folders whose
    code tables (``actors/cow.yaml``, ``events/cameo.yaml``) fill the code columns.
    """
    fmt = format.lower()
    _check(fmt, table)
    chosen = filters or EventFilter()
    if not all_events:
        chosen = asserted_only(chosen, settings)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_store(db, settings=settings, read_only=True) as con:
        _register_codebooks(con, settings)
        _select_events(con, chosen)
        try:
            if fmt == "plover-jsonl":
                n = _write_plover(con, path)
            elif fmt in _LAYOUTS:
                n = _write_layout(con, fmt, path)
            else:
                n = _write_table(con, fmt, table, path)
        finally:
            _drop_temporary(con)
    log.info("exported %d rows as %s to %s", n, fmt, path)
    return n
