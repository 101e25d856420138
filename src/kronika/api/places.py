"""``/api/places`` and ``/api/world``: where the filtered events happened, and the outline to draw them on."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from pydantic import AfterValidator, BaseModel

from kronika.api.errors import STORE_ERRORS
from kronika.api.models import Problem
from kronika.api.reads import check_date
from kronika.api.routes import Filters
from kronika.store.geo import WORLD, event_places

router = APIRouter(prefix="/api")


def _db(request: Request) -> str:
    return request.app.state.db


_DATE_HELP = "YYYY-MM-DD, YYYY-MM or YYYY; events whose date range overlaps the bound"
DateBound = Annotated[str | None, AfterValidator(check_date), Query(description=_DATE_HELP)]
ActorQ = Annotated[str | None, Query(description="Name, alias or code (RUS, 'RUS GOV')")]


class Place(BaseModel):
    """A place events happened at; ``approximate``: placed at its country's centre."""

    name: str
    country: str | None = None
    kind: str | None = None
    lon: float
    lat: float
    approximate: bool
    events: int
    mentions: int


class Places(BaseModel):
    places: list[Place]


@router.get(
    "/places",
    response_model=Places,
    responses={**STORE_ERRORS, 404: {"model": Problem, "description": "Unknown actor"}},
)
def get_places(
    db: Annotated[str, Depends(_db)],
    shared: Filters,
    actor: ActorQ = None,
    recipient: ActorQ = None,
    type: Annotated[str | None, Query(description="PLOVER event type, e.g. CONSULT")] = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
    place: Annotated[str | None, Query(description="Place name, in the event or its sentences")] = None,
) -> dict[str, Any]:
    """The places of the events matching the filters, with coordinates, most events first."""
    filters = shared.replace(
        actor=actor, recipient=recipient, type=type, date_from=date_from, date_to=date_to, place=place
    )
    return {"places": event_places(db, filters)}


@router.get("/world", response_class=FileResponse, responses={200: {"description": "GeoJSON"}})
def get_world() -> FileResponse:
    """The world outline maps are drawn on (GeoJSON, Natural Earth 1:110m countries)."""
    return FileResponse(WORLD, media_type="application/geo+json")
