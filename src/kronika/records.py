"""Event records: PLOVER JSON field names ("Data Fields" chapter of the PLOVER manual) plus Kronika's own.

The schema is versioned by ``SCHEMA_VERSION``; the README documents every field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.1"

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
        # Spelled out rather than dataclasses.asdict: records are turned into dicts by the million.
        return {
            "code": self.code,
            "sector": self.sector,
            "entity_text": self.entity_text,
            "name": self.name,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
        }


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "lat": self.lat,
            "lon": self.lon,
        }


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
        return {
            "id": self.id,
            "schema_version": SCHEMA_VERSION,
            "doc_id": self.doc_id,
            "event": list(self.event),
            "mode": list(self.mode),
            "context": list(self.context),
            "cameo": self.cameo,
            "quad_code": self.quad_code,
            "event_scale": self.event_scale,
            "actor": [a.to_dict() for a in self.actor],
            "recipient": [r.to_dict() for r in self.recipient],
            "date": self.date,
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "date_source": self.date_source,
            "pub_date": self.pub_date,
            "modality": self.modality,
            "place": self.place.to_dict() if self.place else None,
            "attribution": (
                {**self.attribution.to_dict()}
                if self.attribution
                else ({"entity_text": self.attribution_text} if self.attribution_text else None)
            ),
            "confidence": round(self.confidence, 3),
            "text": self.text,
            "text_info": {
                "sequence": self.sentence_index,
                "start": self.sentence_start,
                "end": self.sentence_end,
                "trigger_start": self.trigger_start,
                "trigger_end": self.trigger_end,
            },
            "event_text": self.event_text,
            "rule": self.rule,
        }
