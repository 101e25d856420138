"""The tables of the event store, declared once: their DDL, Arrow columns and rows are read off them.

A column that keeps a record field as it is comes from the field's declaration
(``kronika.schema.record``), so its type and meaning are written once. The mentions table is built
from the record itself, its ``store_keys`` (type, sides, block, date range, computed once per record)
and the document it belongs to: ingest writes these values, it does not recompute them.
``docs/store.md`` documents every column.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from kronika.document import Document
from kronika.records import Event
from kronika.schema.fields import Column, Table, from_field
from kronika.schema.keys import StoreKeys
from kronika.schema.record import DOCUMENT, EVENT


@dataclass
class MentionSource:
    """What one ``mentions`` row is built from: the record, its dictionary and its document."""

    event: Event
    record: dict[str, Any]
    keys: StoreKeys
    doc_key: str
    doc_pub_date: dt.date | None

    @classmethod
    def of(cls, event: Event, doc_key: str, doc_pub_date: dt.date | None = None) -> MentionSource:
        return cls(event, event.to_dict(), event.store_keys, doc_key, doc_pub_date)


@dataclass
class DocumentSource:
    """What one ``documents`` row is built from: the document and what ingest learnt of it."""

    doc: Document
    doc_key: str
    content_hash: str
    minhash: list[int] | None
    near_duplicate_of: str | None
    n_mentions: int
    ingested_at: dt.datetime


def _document(name: str) -> Any:
    return lambda s: getattr(s.doc, name)


def _doc_field(name: str, not_null: bool = False) -> Column:
    """A documents column holding the document field ``name`` unchanged."""
    return from_field(DOCUMENT[name], get=_document(name), not_null=not_null)


def _record(name: str) -> Column:
    """A mentions column holding the record field ``name`` unchanged."""
    return from_field(EVENT[name], get=lambda m: getattr(m.event, name))


def _side(role: str) -> list[Column]:
    def get(part: str) -> Any:
        return lambda m: getattr(getattr(m.keys, role), part)

    return [
        Column(f"{role}_code", "str", f"code of the first {role} entity", get=get("code")),
        Column(f"{role}_sector", "str", f"sector of the first {role} entity", get=get("sector")),
        Column(f"{role}_name", "str", f"name of the first {role} entity", get=get("name")),
        Column(f"{role}_codes", "str[]", f"every {role} code, sorted", get=get("codes")),
        Column(f"{role}_cs", "str[]", f"every {role} 'CODE SECTOR' label, sorted", get=get("cs")),
        Column(f"{role}_names", "str[]", f"every {role} name, sorted", get=get("names")),
    ]


# The place details a record's place may hold (the gazetteer fills what it knows), read with ``.get``.
PLACE_DETAILS: list[tuple[str, str, str, str]] = [
    ("place_country", "str", "country", "country code (ISO 3166 alpha-3) of the event's place"),
    ("place_admin1", "str", "admin1", "first-order administrative division of the place (gazetteer code)"),
    ("place_kind", "str", "kind", "city, region, country..."),
    ("place_lat", "float", "lat", "latitude of the place"),
    ("place_lon", "float", "lon", "longitude of the place"),
    ("place_geonameid", "int", "geonameid", "GeoNames id of the place"),
]


def _place_value(kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    try:
        return float(value) if kind == "float" else int(value) if kind == "int" else str(value)
    except (TypeError, ValueError):
        return None


def _place_columns(place_of: Any) -> list[Column]:
    def get(kind: str, key: str) -> Any:
        return lambda m: _place_value(kind, place_of(m).get(key))

    return [Column(name, kind, doc, get=get(kind, key)) for name, kind, key, doc in PLACE_DETAILS]


DOCUMENTS = Table(
    "documents",
    [
        Column("doc_key", "str", "doc_id#hash12", primary_key=True),
        _doc_field("doc_id", not_null=True),
        Column("content_hash", "str", "SHA-1 of the normalised text", not_null=True),
        _doc_field("status", not_null=True),
        _doc_field("reason"),
        _doc_field("title"),
        _doc_field("url"),
        _doc_field("path"),
        _doc_field("publisher"),
        Column("pub_date", "date", "publication date", get=_document("pub_date")),
        _doc_field("language"),
        Column("text_length", "int", "characters of the clean text", get=lambda s: len(s.doc.text or "")),
        Column("minhash", "uint64[]", "the MinHash values, NULL for short texts"),
        Column("near_duplicate_of", "str", "doc_key of the first stored article this one copies"),
        Column("n_mentions", "int", "mentions stored"),
        Column("ingested_at", "timestamp", "commit time"),
    ],
)

DOC_LSH = Table(
    "doc_lsh",
    [
        Column("band", "smallint", "LSH band", not_null=True),
        Column("bucket", "str", "hash of the band's MinHash values", not_null=True),
        Column("doc_key", "str", "the document", not_null=True),
    ],
)

MENTIONS = Table(
    "mentions",
    [
        Column("mention_id", "str", "= Event.id", primary_key=True, get=lambda m: m.record["id"]),
        Column("doc_key", "str", "the stored document", not_null=True, get=lambda m: m.doc_key),
        from_field(EVENT["doc_id"], get=lambda m: m.event.doc_id, not_null=True),
        Column("block_key", "str", "coreference block: type|actor side|recipient side", not_null=True,
               get=lambda m: m.keys.block_key),
        Column("event_type", "str", "PLOVER types joined with '+'", get=lambda m: m.keys.event_type),
        _record("cameo"),
        _record("quad_code"),
        _record("event_scale"),
        *_side("actor"),
        *_side("recipient"),
        _record("date"),
        Column("date_precision", "str", "day, month or year, as read from the date",
               get=lambda m: m.keys.date_precision),
        Column("date_lo", "date", "first day the date can mean", get=lambda m: m.keys.date_lo),
        Column("date_hi", "date", "last day the date can mean", get=lambda m: m.keys.date_hi),
        _record("date_text"),
        _record("date_source"),
        Column("pub_date", "date", "publication day of the record, else of its document",
               get=lambda m: m.keys.pub_date or m.doc_pub_date),
        Column("place", "str", "name of the event's place", get=lambda m: m.keys.place),
        *_place_columns(lambda m: (m.record.get("place") or {})),
        Column("mode", "str[]", EVENT["mode"].doc, get=lambda m: list(m.event.mode)),
        _record("modality"),
        Column("confidence", "float", EVENT["confidence"].doc, get=lambda m: m.event.confidence),
        Column("sentence_index", "int", "index of the sentence in the document",
               get=lambda m: m.event.sentence_index),
        Column("trigger_start", "int", "offset of the trigger in the document",
               get=lambda m: m.event.trigger_start),
        Column("trigger_end", "int", "end offset of the trigger", get=lambda m: m.event.trigger_end),
        _record("event_text"),
        _record("text"),
        Column("record", "json", "the full record (Event.to_dict())",
               get=lambda m: json.dumps(m.record, ensure_ascii=False)),
    ],
)


def _event_side(role: str) -> list[Column]:
    return [
        Column(f"{role}_label", "str", f"'CODE SECTOR' labels of the {role}s, comma-separated"),
        Column(f"{role}_codes", "str[]", f"every {role} code of the event's mentions"),
        Column(f"{role}_cs", "str[]", f"every {role} 'CODE SECTOR' label"),
        Column(f"{role}_names", "str[]", f"every {role} name"),
    ]


EVENTS = Table(
    "events",
    [
        Column("event_id", "str", "deterministic event id (KE-...)", primary_key=True),
        Column("block_key", "str", "the coreference block", not_null=True),
        Column("event_type", "str", "PLOVER event type (several joined by '+')"),
        Column("cameo", "str", "most reported CAMEO code"),
        Column("quad_code", "int", "most reported quad class"),
        Column("event_scale", "float", "mean intensity of the mentions"),
        *_event_side("actor"),
        *_event_side("recipient"),
        Column("date", "str", "best-supported date: YYYY-MM-DD, YYYY-MM or YYYY (see date_precision)"),
        Column("date_precision", "str", "day, month or year"),
        Column("date_lo", "date", "first day of the date"),
        Column("date_hi", "date", "last day of the date"),
        Column("place", "str", "most reported place"),
        *(Column(name, kind, doc) for name, kind, _, doc in PLACE_DETAILS),
        Column("modality", "str", "asserted when a mention asserts it, else the most reported modality"),
        Column("confidence", "float", "highest confidence of its mentions"),
        Column("mode", "str[]", "PLOVER modes of the representative mention"),
        Column("first_report", "date", "earliest publication"),
        Column("last_report", "date", "latest publication"),
        Column("n_mentions", "int", "mentions linked"),
        Column("n_sources", "int", "distinct sources (near-duplicates count once)"),
        Column("n_documents", "int", "distinct documents"),
        Column("sources", "str[]", "doc_ids of the reporting documents"),
        Column("representative", "str", "mention_id of the representative mention"),
        Column("text", "str", "the sentence of the representative mention"),
    ],
)

EVENT_MENTIONS = Table(
    "event_mentions",
    [
        Column("event_id", "str", "the event", not_null=True),
        Column("mention_id", "str", "a mention it links", not_null=True),
        Column("block_key", "str", "the mention's block (partial mentions: not the event's)", not_null=True),
    ],
)

ACTORS = Table(
    "actors",
    [
        Column("actor_key", "str", "code|sector|name", primary_key=True),
        Column("code", "str", "country or organisation code"),
        Column("sector", "str", "PLOVER sector"),
        Column("name", "str", "canonical name"),
        Column("aliases", "str[]", "every surface form coded to the actor"),
        Column("n_mentions", "int", "entities seen"),
    ],
)

META = Table(
    "meta",
    [
        Column("key", "str", "setting", primary_key=True),
        Column("value", "str", "its value (schema_version: the migrations applied)"),
    ],
)


def mention_row(event: Event, doc_key: str, doc_pub_date: dt.date | None = None) -> dict[str, Any]:
    """The ``mentions`` row of one event mention: flattened columns plus the full JSON record."""
    return MENTIONS.row(MentionSource.of(event, doc_key, doc_pub_date))
