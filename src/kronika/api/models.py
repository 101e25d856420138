"""Response and request shapes of the REST API, so that ``/openapi.json`` documents every field.

Store rows come from ``kronika.store.query`` (``EVENT_VIEW``) and ``kronika.api.reads``; coded records
are ``kronika.records.Event.to_dict()``. Their models (``EventRow``, ``Article``, ``Record``,
``RecordEntity``) are built from the declarations of ``kronika.store.tables`` and ``kronika.schema``.
Models accept extra fields so a new column or record field reaches clients before it is documented.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kronika.schema.record import ENTITY, EVENT, PLACE
from kronika.store.query import EVENT_VIEW
from kronika.store.tables import DOCUMENTS, EVENTS


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Problem(BaseModel):
    """Every error: a stable code, a message that says what to do, and the bad fields if any."""

    code: str = Field(examples=["unknown_actor"])
    message: str
    fields: list[dict] = Field(default_factory=list, description="422 only: one entry per bad parameter")


if TYPE_CHECKING:  # the models are built at import time; type checkers see them as open models

    class Article(_Open): ...

    class EventRow(_Open): ...

    class RecordEntity(_Open): ...

    class RecordPlace(_Open): ...

    class Record(_Open): ...

else:
    Article = DOCUMENTS.model(
        "Article",
        "A source document of an event.",
        ["doc_id", "title", "publisher", "url", "pub_date", "near_duplicate_of"],
        required=["doc_id"],
    )
    EventRow = EVENTS.model(
        "EventRow",
        "One real-world event: its mentions in several documents merged by coreference.",
        EVENT_VIEW,
        required=["event_id"],
        articles=(list[Article], Field(default_factory=list)),
    )
    # Coded records: their models are read off the one record declaration (``kronika.schema.record``).
    RecordEntity = ENTITY.model()
    RecordPlace = PLACE.model()
    Record = EVENT.model()


class EventPage(BaseModel):
    """A page of events matching the filters, and how many match in all."""

    total: int
    offset: int
    limit: int
    events: list[EventRow]


class Evidence(BaseModel):
    """Character offsets into the mention's ``text`` (the sentence); ``None`` when outside it."""

    start: int | None
    end: int | None


class MentionEntity(_Open):
    """An actor or recipient of a mention, with its place in the sentence."""

    code: str | None = None
    sector: str | None = None
    name: str | None = None
    entity_text: str = ""
    rule: str = ""
    evidence: Evidence


class Mention(_Open):
    """One coded sentence that reports the event."""

    mention_id: str
    doc_id: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    pub_date: dt.date | None = None
    event: str | None = None
    date: str | None = None
    date_text: str | None = None
    date_source: str | None = None
    modality: str | None = None
    confidence: float | None = None
    place: str | None = None
    sentence_index: int | None = None
    text: str = Field(description="the sentence")
    sentence_start: int | None = Field(None, description="offset of the sentence in its document")
    event_text: str | None = Field(None, description="the trigger word(s)")
    trigger: Evidence = Field(description="the trigger within text: text[start:end] == event_text")
    actor: list[MentionEntity] = Field(default_factory=list)
    recipient: list[MentionEntity] = Field(default_factory=list)
    rule: str | None = Field(None, description="the lexicon entry or rule that coded the mention")


class EventDetail(BaseModel):
    """An event with every mention that reports it."""

    event: EventRow
    mentions: list[Mention]


class Timeline(BaseModel):
    """The dated history of actor ``a``, or of the dyad ``a``–``b`` in either direction."""

    a: str
    b: str | None = None
    events: list[EventRow]


class StoredActor(_Open):
    """An actor row of the store: a code, sector and canonical name with the forms seen for it."""

    code: str | None = None
    sector: str | None = None
    name: str | None = None
    aliases: list[str] = Field(default_factory=list)
    mentions: int | None = None


class ActorInfo(BaseModel):
    """What an actor query stands for in the store, and how many events it takes part in."""

    query: str
    codes: list[str]
    cs: list[str] = Field(description="'CODE SECTOR' pairs")
    names: list[str]
    actors: list[StoredActor]
    events_as_actor: int
    events_as_recipient: int


class Node(_Open):
    id: str
    label: str | None = None
    names: str | None = None
    events: int | None = None


class Edge(_Open):
    source: str
    target: str
    weight: int | None = None
    mentions: int | None = None
    mean_scale: float | None = None
    types: str | None = Field(None, description="events per type as 'TYPE:n,TYPE:n'")


class Network(BaseModel):
    """The directed actor network: events from ``source`` to ``target`` (see ``kronika network``)."""

    directed: bool = True
    nodes: list[Node]
    edges: list[Edge]


class Stats(_Open):
    schema_version: int
    documents: int
    documents_by_status: dict[str, int]
    near_duplicates: int
    mentions: int
    events: int
    events_with_several_sources: int
    actors: int
    first_event_date: str | None = None
    last_event_date: str | None = None
    mentions_per_event: float | None = None
    events_by_type: dict[str, int]
    top_actors: list[dict]


class CodeRequest(BaseModel):
    """Clean text to code, and the day it was published (resolves "on Wednesday")."""

    text: str = Field(min_length=1, max_length=100_000)
    pub_date: dt.date | None = Field(None, description="YYYY-MM-DD")

    @field_validator("text")
    @classmethod
    def _no_lone_surrogates(cls, value: str) -> str:
        """A lone surrogate ("\\ud800" in the JSON) cannot be coded or written: it becomes U+FFFD."""
        from kronika.read.encoding import scrub

        return scrub(value)[0]

    @field_validator("pub_date", mode="before")
    @classmethod
    def _iso_date_only(cls, value: object) -> object:
        """Only a YYYY-MM-DD string (a number would be read as seconds since 1970)."""
        if value is not None and not isinstance(value, str | dt.date):
            raise ValueError("give the date as a YYYY-MM-DD string")
        if isinstance(value, str) and not (len(value) == 10 and value[4] == "-" and value[7] == "-"):
            raise ValueError("give the date as YYYY-MM-DD")
        return value


class Coded(BaseModel):
    records: list[Record]
    status: str = Field("ok", description="ok, or failed when the text could not be coded")
    reason: str | None = Field(None, description="why the text could not be coded")
