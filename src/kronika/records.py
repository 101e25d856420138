"""Event records: PLOVER JSON field names ("Data Fields" chapter of the PLOVER manual) plus Kronika's own.

The fields of a record's dictionary are declared once in ``kronika.schema.record`` (type, meaning,
export names); ``to_dict`` reads them off that declaration. The schema is versioned by
``SCHEMA_VERSION``; the README documents every field.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from kronika.schema.keys import StoreKeys, store_keys
from kronika.schema.record import ENTITY, EVENT, PLACE, SCHEMA_VERSION

__all__ = ["MODALITIES", "SCHEMA_VERSION", "Entity", "Event", "EventPlace"]

MODALITIES = ("asserted", "negated", "future", "hypothetical", "historical")


@dataclass
class Entity:
    """An actor or recipient: country/organisation code, PLOVER sector and where it stands in the text."""

    code: str | None
    sector: str | None
    entity_text: str
    name: str | None
    start: int | None  # character offsets; None for a participant implied, not named, by the text
    end: int | None
    rule: str = ""  # which knowledge-base entry or rule produced the coding

    def to_dict(self) -> dict[str, Any]:
        return ENTITY.to_dict(self)


@dataclass
class EventPlace:
    """Where the event happened: a gazetteer place named in the sentence."""

    name: str
    country: str | None
    kind: str
    text: str
    start: int
    end: int
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    admin1: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return PLACE.to_dict(self)


@dataclass
class Event:
    """One coded event mention (one sentence, one trigger, one dyad)."""

    doc_id: str
    event: list[str]
    actor: list[Entity]
    recipient: list[Entity]
    cameo: str | None
    quad_code: int | None
    event_scale: float | None
    text: str
    sentence_index: int
    sentence_start: int
    sentence_end: int
    trigger_start: int
    trigger_end: int
    event_text: str
    mode: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    date_text: str | None = None
    date_source: str | None = None  # text | publication | None
    modality: str = "asserted"
    attribution: Entity | None = None
    attribution_text: str | None = None
    confidence: float = 0.5
    pub_date: str | None = None
    rule: str = ""
    place: EventPlace | None = None

    @property
    def id(self) -> str:
        """Deterministic: the same document text and trigger always give the same id."""
        key = json.dumps(
            [
                self.doc_id,
                self.trigger_start,
                self.trigger_end,
                self.event,
                [a.code for a in self.actor],
                [r.code for r in self.recipient],
            ],
        )
        return "KR-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return EVENT.to_dict(self)

    @functools.cached_property
    def store_keys(self) -> StoreKeys:
        """The type, sides, block key, date range and place the store keeps of this record.

        Computed on first use, from the finished record: read it once the record is complete.
        """
        return store_keys(self)
