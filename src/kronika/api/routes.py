"""The endpoints: each parses its parameters and makes one call into the library."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from pydantic import AfterValidator
from starlette.background import BackgroundTask

from kronika.api import models
from kronika.api.coding import code_text
from kronika.api.errors import STORE_ERRORS
from kronika.api.reads import DOWNLOADS, check_date, export_to, network_json
from kronika.config import Settings
from kronika.store.counts import counts
from kronika.store.filters import EventFilter
from kronika.store.query import actor_summary, event, events_page, stats, timeline

router = APIRouter(prefix="/api")
# Integer parameters are bounded so that every value the schema allows is one the store can take.
MAX_OFFSET = 1_000_000_000


def _db(request: Request) -> str:
    return request.app.state.db


def _settings(request: Request) -> Settings:
    return request.app.state.settings


DbPath = Annotated[str, Depends(_db)]
Config = Annotated[Settings, Depends(_settings)]

_DATE_HELP = "YYYY-MM-DD, YYYY-MM or YYYY; events whose date range overlaps the bound"
DateBound = Annotated[str | None, AfterValidator(check_date), Query(description=_DATE_HELP)]
Type = Annotated[str | None, Query(description="PLOVER event type, e.g. CONSULT")]
ActorQ = Annotated[str | None, Query(description="Name, alias or code (RUS, 'RUS GOV')")]

# Spelled out for the OpenAPI document; tests/api checks them against reads.DOWNLOADS and export.TABLES.
ExportFormat = Literal[
    "plover-jsonl", "polecat-tsv", "icews-tsv", "gdelt-csv", "parquet", "csv", "graphml", "gexf"
]
TableName = Literal[
    "events", "dyads", "mentions", "documents", "actors", "event_mentions", "countries", "cameo", "plover"
]
Modality = Literal["asserted", "negated", "future", "hypothetical", "historical"]


def _filters(
    mode: Annotated[str | None, Query(description="PLOVER mode, e.g. air")] = None,
    modality: Annotated[Modality | None, Query(description="asserted, negated, future...")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="lowest confidence")] = None,
    country: Annotated[str | None, Query(description="country code of the event's place, e.g. SYR")] = None,
) -> EventFilter:
    """The filters every read shares beyond actor, type, dates and place."""
    return EventFilter(mode=mode, modality=modality, min_confidence=min_confidence, country=country)


Filters = Annotated[EventFilter, Depends(_filters)]
AllEvents = Annotated[
    bool, Query(alias="all", description="every event, not only asserted ones at the operating point")
]

ACTOR_ERRORS = {**STORE_ERRORS, 404: {"model": models.Problem, "description": "Unknown actor"}}


@router.get("/events", response_model=models.EventPage, responses=ACTOR_ERRORS)
def list_events(
    db: DbPath,
    filters: Filters,
    actor: ActorQ = None,
    recipient: ActorQ = None,
    type: Type = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
    place: Annotated[str | None, Query(description="Place name, in the event or its sentences")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict:
    """Events (one per real-world event, with its sources) matching all the filters, newest first."""
    return events_page(db, actor, recipient, type, date_from, date_to, place, limit, offset, filters)


@router.get(
    "/events/{event_id}",
    response_model=models.EventDetail,
    responses={**STORE_ERRORS, 404: {"model": models.Problem, "description": "Unknown event"}},
)
def get_event(db: DbPath, event_id: str) -> dict:
    """One event with all its mentions: source document, sentence and evidence offsets."""
    return event(db, event_id)


@router.get("/timeline", response_model=models.Timeline, responses=ACTOR_ERRORS)
def get_timeline(
    db: DbPath,
    filters: Filters,
    a: Annotated[str, Query(min_length=1, description="Actor: name, alias or code")],
    b: Annotated[str | None, Query(description="Second actor: the pair's history, either way")] = None,
    type: Type = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
) -> dict:
    """The dated history of an actor, or of a pair of actors (as ``kronika timeline``)."""
    rows = timeline(db, a, b or None, type, date_from, date_to, filters=filters)
    return {"a": a, "b": b or None, "events": rows}


@router.get("/actors", response_model=models.ActorInfo, responses=ACTOR_ERRORS)
def get_actor(db: DbPath, q: Annotated[str, Query(min_length=1, description="Name, alias or code")]) -> dict:
    """What an actor name, alias or code stands for in the store."""
    return actor_summary(db, q)


@router.get("/network", response_model=models.Network, responses=ACTOR_ERRORS)
def get_network(
    db: DbPath,
    settings: Config,
    filters: Filters,
    type: Type = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
    actor: ActorQ = None,
    recipient: ActorQ = None,
    all_events: AllEvents = False,
) -> dict:
    """The actor network (as ``kronika network``): edges weighted by events, with mean PLOVER scale."""
    chosen = filters.replace(actor=actor, recipient=recipient)
    return network_json(db, date_from, date_to, type, chosen, all_events, settings)


@router.get("/counts", response_model=list[dict], responses=ACTOR_ERRORS)
def get_counts(
    db: DbPath,
    settings: Config,
    filters: Filters,
    by: Annotated[Literal["day", "week", "month", "year"], Query(description="period")] = "month",
    dyad: Annotated[bool, Query(description="one row per actor-recipient pair")] = False,
    by_type: Annotated[bool, Query(alias="type", description="one row per event type")] = False,
    quad: Annotated[bool, Query(description="one row per quad class")] = False,
    actor: ActorQ = None,
    recipient: ActorQ = None,
    event_type: Annotated[str | None, Query(description="only this PLOVER type")] = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
    all_events: AllEvents = False,
) -> list[dict]:
    """Events per period (as ``kronika counts``), newest first, optionally per dyad, type or quad class."""
    chosen = filters.replace(
        actor=actor, recipient=recipient, type=event_type, date_from=date_from, date_to=date_to
    )
    return counts(db, by, dyad, by_type, quad, chosen, all_events, settings)


@router.get("/stats", response_model=models.Stats, responses=STORE_ERRORS)
def get_stats(db: DbPath, top: Annotated[int, Query(ge=1, le=100)] = 10) -> dict:
    """Figures about the store: documents, mentions, events, top actors and types."""
    return stats(db, top)


@router.get(
    "/export/{fmt}",
    response_class=FileResponse,
    responses={**ACTOR_ERRORS, 200: {"description": "The export file, as a download"}},
)
def get_export(
    db: DbPath,
    settings: Config,
    filters: Filters,
    fmt: ExportFormat,
    table: Annotated[TableName, Query(description="parquet/csv only: the table to dump")] = "events",
    actor: ActorQ = None,
    recipient: ActorQ = None,
    type: Type = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
    all_events: AllEvents = False,
) -> FileResponse:
    """The store's events as an export file (PLOVER JSONL, POLECAT/ICEWS TSV, GDELT CSV, Parquet, CSV)
    or the actor network (GraphML, GEXF)."""
    folder = Path(tempfile.mkdtemp(prefix="kronika-export-"))
    try:
        chosen = filters.replace(
            actor=actor, recipient=recipient, type=type, date_from=date_from, date_to=date_to
        )
        path = export_to(
            db, fmt, folder, table=table, settings=settings, filters=chosen, all_events=all_events
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        path,
        media_type=DOWNLOADS[fmt][1],
        filename=path.name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.post(
    "/code",
    response_model=models.Coded,
    responses={
        400: {"model": models.Problem, "description": "The body cannot be parsed"},
        413: {"model": models.Problem, "description": "The body is over the size limit"},
        422: {"model": models.Problem, "description": "The body cannot be read"},
        503: {"model": models.Problem, "description": "Too many texts are being coded; try again"},
    },
)
def post_code(body: models.CodeRequest, settings: Config) -> dict:
    """Code a text into PLOVER records without touching the store (the first call loads the model).
    ``status`` is ``failed``, with the ``reason``, when the text could not be coded (its time budget
    ran out); its records are then empty."""
    return code_text(body.text, body.pub_date, settings)
