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
TableName = Literal["events", "mentions", "documents", "actors", "event_mentions"]

ACTOR_ERRORS = {**STORE_ERRORS, 404: {"model": models.Problem, "description": "Unknown actor"}}


@router.get("/events", response_model=models.EventPage, responses=ACTOR_ERRORS)
def list_events(
    db: DbPath,
    actor: ActorQ = None,
    recipient: ActorQ = None,
    type: Type = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
    place: Annotated[str | None, Query(description="Place name, in the event or its sentences")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict:
    """Events (one per real-world event, with its sources) matching all the filters, in date order."""
    return events_page(db, actor, recipient, type, date_from, date_to, place, limit, offset)


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
    a: Annotated[str, Query(min_length=1, description="Actor: name, alias or code")],
    b: Annotated[str | None, Query(description="Second actor: the pair's history, either way")] = None,
    type: Type = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
) -> dict:
    """The dated history of an actor, or of a pair of actors (as ``kronika timeline``)."""
    return {"a": a, "b": b or None, "events": timeline(db, a, b or None, type, date_from, date_to)}


@router.get("/actors", response_model=models.ActorInfo, responses=ACTOR_ERRORS)
def get_actor(db: DbPath, q: Annotated[str, Query(min_length=1, description="Name, alias or code")]) -> dict:
    """What an actor name, alias or code stands for in the store."""
    return actor_summary(db, q)


@router.get("/network", response_model=models.Network, responses=STORE_ERRORS)
def get_network(
    db: DbPath, type: Type = None, date_from: DateBound = None, date_to: DateBound = None
) -> dict:
    """The actor network (as ``kronika network``): edges weighted by events, with mean PLOVER scale."""
    return network_json(db, date_from, date_to, type)


@router.get("/stats", response_model=models.Stats, responses=STORE_ERRORS)
def get_stats(db: DbPath, top: Annotated[int, Query(ge=1, le=100)] = 10) -> dict:
    """Figures about the store: documents, mentions, events, top actors and types."""
    return stats(db, top)


@router.get(
    "/export/{fmt}",
    response_class=FileResponse,
    responses={**STORE_ERRORS, 200: {"description": "The export file, as a download"}},
)
def get_export(
    db: DbPath,
    settings: Config,
    fmt: ExportFormat,
    table: Annotated[TableName, Query(description="parquet/csv only: the table to dump")] = "events",
) -> FileResponse:
    """The store's events as an export file (PLOVER JSONL, POLECAT/ICEWS TSV, GDELT CSV, Parquet, CSV)
    or the actor network (GraphML, GEXF)."""
    folder = Path(tempfile.mkdtemp(prefix="kronika-export-"))
    try:
        path = export_to(db, fmt, folder, table=table, settings=settings)
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
    """Code a text into PLOVER records without touching the store (the first call loads the model)."""
    return {"records": code_text(body.text, body.pub_date, settings)}
