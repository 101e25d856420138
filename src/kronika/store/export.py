"""Exports of the stored events in the formats event-data users already read.

Every format has one row per real-world event (after coreference), except ``parquet`` and ``csv``
with ``table="mentions"``, which dump the mention table. The column mappings are documented in
``docs/store.md``. Tabular exports are written by DuckDB's ``COPY`` straight from SQL.
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
from kronika.store.query import Db
from kronika.store.schema import StoreError, open_store

log = logging.getLogger(__name__)

FORMATS = ("plover-jsonl", "polecat-tsv", "icews-tsv", "gdelt-csv", "parquet", "csv")
TABLES = ("events", "mentions", "documents", "actors", "event_mentions")

_BASE = """
    FROM events e LEFT JOIN mentions m ON m.mention_id = e.representative
"""
_ORDER = "ORDER BY e.date_lo NULLS LAST, e.event_id"


def _q(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _json_list(path: str) -> str:
    return f"array_to_string(coalesce(from_json(m.record->'{path}', '[\"VARCHAR\"]'), []), ';')"


def _sql_date(col: str) -> str:
    return f"CAST(strftime({col}, '%Y%m%d') AS INTEGER)"


def _sectors(list_col: str) -> str:
    return f"array_to_string(list_transform({list_col}, lambda x: split_part(x, ' ', 2)), ',')"


def _first(list_col: str, fallback: str) -> str:
    return f"coalesce({list_col}[1], {fallback})"


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


def _cow_cte(table: Mapping[str, CowState]) -> str:
    """A ``cow(code, ccode)`` table for the export query."""
    rows = ", ".join(f"('{s.code}', {s.ccode})" for s in table.values())
    if not rows:
        return "cow AS (SELECT NULL::VARCHAR AS code, NULL::INTEGER AS ccode WHERE false)"
    return f"cow(code, ccode) AS (VALUES {rows})"


def _cow(code_expr: str) -> str:
    return f"(SELECT cow.ccode FROM cow WHERE cow.code = {code_expr})"


# Kronika column -> target column, per format. Keys are SQL expressions over events e / mentions m.
POLECAT: list[tuple[str, str]] = [
    ("e.event_id", "Event ID"),
    ("e.date", "Event Date"),
    ("e.event_type", "Event Type"),
    (_json_list("mode"), "Event Mode"),
    ("e.event_scale", "Event Intensity"),
    ("e.quad_code", "Quad Code"),
    (_json_list("context"), "Contexts"),
    (_first("e.actor_names", "e.actor_label"), "Actor Name"),
    ("e.actor_codes[1]", "Actor Country"),
    (_cow("e.actor_codes[1]"), "Actor COW"),
    ("m.actor_sector", "Primary Actor Sector"),
    ("array_to_string(e.actor_cs, ';')", "Actor Sectors"),
    (_first("e.recipient_names", "e.recipient_label"), "Recipient Name"),
    ("e.recipient_codes[1]", "Recipient Country"),
    (_cow("e.recipient_codes[1]"), "Recipient COW"),
    ("m.recipient_sector", "Primary Recipient Sector"),
    ("array_to_string(e.recipient_cs, ';')", "Recipient Sectors"),
    ("e.place", "Placename"),
    ("array_to_string(e.sources, ';')", "Source"),
    ("e.first_report", "Publication Date"),
    ("m.text", "Event Text"),
    ("e.n_mentions", "Num Mentions"),
    ("e.n_sources", "Num Sources"),
    ("'kronika'", "Version"),
]

ICEWS: list[tuple[str, str]] = [
    ("e.event_id", "Event ID"),
    ("e.date", "Event Date"),
    (_first("e.actor_names", "e.actor_label"), "Source Name"),
    (_sectors("e.actor_cs"), "Source Sectors"),
    ("e.actor_codes[1]", "Source Country"),
    ("m.event_text", "Event Text"),
    ("e.cameo", "CAMEO Code"),
    ("e.event_scale", "Intensity"),
    (_first("e.recipient_names", "e.recipient_label"), "Target Name"),
    (_sectors("e.recipient_cs"), "Target Sectors"),
    ("e.recipient_codes[1]", "Target Country"),
    ("m.doc_id", "Story ID"),
    ("m.sentence_index", "Sentence Number"),
    ("d.publisher", "Publisher"),
    ("NULL::VARCHAR", "City"),
    ("NULL::VARCHAR", "District"),
    ("NULL::VARCHAR", "Province"),
    ("e.place", "Country"),
    ("NULL::DOUBLE", "Latitude"),
    ("NULL::DOUBLE", "Longitude"),
]

GDELT: list[tuple[str, str]] = [
    ("CAST(('0x' || substr(e.event_id, 4, 15))::BIGINT AS BIGINT)", "GLOBALEVENTID"),
    (_sql_date("e.date_lo"), "SQLDATE"),
    ("CAST(strftime(e.date_lo, '%Y%m') AS INTEGER)", "MonthYear"),
    ("year(e.date_lo)", "Year"),
    ("round(year(e.date_lo) + (dayofyear(e.date_lo) - 1) / 365.0, 4)", "FractionDate"),
    ("replace(e.actor_cs[1], ' ', '')", "Actor1Code"),
    (_first("e.actor_names", "e.actor_label"), "Actor1Name"),
    ("e.actor_codes[1]", "Actor1CountryCode"),
    ("split_part(e.actor_cs[1], ' ', 2)", "Actor1Type1Code"),
    ("replace(e.recipient_cs[1], ' ', '')", "Actor2Code"),
    (_first("e.recipient_names", "e.recipient_label"), "Actor2Name"),
    ("e.recipient_codes[1]", "Actor2CountryCode"),
    ("split_part(e.recipient_cs[1], ' ', 2)", "Actor2Type1Code"),
    ("1", "IsRootEvent"),
    ("e.cameo", "EventCode"),
    ("left(e.cameo, 3)", "EventBaseCode"),
    ("left(e.cameo, 2)", "EventRootCode"),
    ("e.quad_code", "QuadClass"),
    ("e.event_scale", "GoldsteinScale"),
    ("e.n_mentions", "NumMentions"),
    ("e.n_sources", "NumSources"),
    ("e.n_documents", "NumArticles"),
    ("NULL::DOUBLE", "AvgTone"),
    ("e.place", "ActionGeo_FullName"),
    (_sql_date("e.first_report"), "DATEADDED"),
    ("coalesce(d.url, m.doc_id)", "SOURCEURL"),
    ("e.event_id", "KronikaEventID"),
]

_MAPPINGS = {"polecat-tsv": (POLECAT, "\t"), "icews-tsv": (ICEWS, "\t"), "gdelt-csv": (GDELT, ",")}


def _copy_mapping(
    con: Any, mapping: list[tuple[str, str]], delimiter: str, out: Path, with_: str = ""
) -> int:
    cols = ",\n        ".join(f"{expr} AS {_q(name)}" for expr, name in mapping)
    select = f"""
        {f"WITH {with_}" if with_ else ""}
        SELECT {cols}
        {_BASE} LEFT JOIN documents d ON d.doc_key = m.doc_key
        {_ORDER}
    """
    con.execute(f"COPY ({select}) TO '{_path(out)}' (FORMAT csv, DELIMITER '{delimiter}', HEADER true)")
    return _count(con, "events")


def _count(con: Any, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _path(out: Path) -> str:
    return str(out).replace("'", "''")


def _write_plover(con: Any, out: Path) -> int:
    cur = con.execute(
        f"""
        SELECT e.event_id, e.date, e.date_precision, e.n_mentions, e.n_sources, e.n_documents, e.sources,
               e.first_report, e.last_report, e.event_scale, e.place, m.record,
               (SELECT list(em.mention_id ORDER BY em.mention_id) FROM event_mentions em
                WHERE em.event_id = e.event_id) AS mention_ids
        {_BASE} {_ORDER}
        """
    )
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        while True:
            chunk = cur.fetchmany(5000)
            if not chunk:
                break
            for eid, date, precision, n_m, n_s, n_d, sources, first, last, scale, place, record, ids in chunk:
                rec = json.loads(record) if record else {}
                rec["mention_id"] = rec.get("id")
                rec.update(
                    id=eid,
                    date=date,
                    date_precision=precision,
                    event_scale=scale,
                    n_mentions=n_m,
                    n_sources=n_s,
                    n_documents=n_d,
                    sources=list(sources or []),
                    mentions=list(ids or []),
                    first_report=first.isoformat() if first else None,
                    last_report=last.isoformat() if last else None,
                )
                if place:
                    rec["place"] = place
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    return n


def export(
    db: Db, format: str, out: str | Path, table: str = "events", settings: Settings | None = None
) -> int:
    """Write the store's events in ``format`` to ``out``; return the number of rows written.

    ``table`` chooses what ``parquet`` and ``csv`` dump (``events`` by default, or ``mentions``,
    ``documents``, ``actors``, ``event_mentions``); the other formats always write events.
    ``settings`` gives the knowledge folders whose ``actors/cow.yaml`` fill polecat-tsv's COW columns.
    """
    fmt = format.lower()
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {format!r}: use one of {', '.join(FORMATS)}")
    if table not in TABLES:
        raise StoreError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_store(db, settings=settings, read_only=True) as con:
        if fmt == "plover-jsonl":
            n = _write_plover(con, path)
        elif fmt in _MAPPINGS:
            mapping, delimiter = _MAPPINGS[fmt]
            with_ = _cow_cte(load_cow(settings)) if fmt == "polecat-tsv" else ""
            n = _copy_mapping(con, mapping, delimiter, path, with_)
        else:
            order = {
                "events": "event_id",
                "mentions": "mention_id",
                "documents": "doc_key",
                "actors": "actor_key",
                "event_mentions": "event_id, mention_id",
            }[table]
            options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
            con.execute(f"COPY (SELECT * FROM {table} ORDER BY {order}) TO '{_path(path)}' ({options})")
            n = _count(con, table)
    log.info("exported %d rows as %s to %s", n, fmt, path)
    return n
