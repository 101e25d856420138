"""Errors of the REST API in one place: each kind has a stable code, a status and a message that says
what to do. Every error body is a ``Problem``; no request ever gets a traceback page."""

from __future__ import annotations

import logging
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from kronika.api.coding import CoderBusy
from kronika.api.models import Problem
from kronika.store.access import StoreBusy, public_message
from kronika.store.query import UnknownActor, UnknownEvent
from kronika.store.schema import StoreError

log = logging.getLogger(__name__)

BAD_REQUEST = "bad_request"  # 422: a parameter or body field is missing or unreadable
UNKNOWN_ACTOR = "unknown_actor"  # 404: no actor in the store by that name, alias or code
UNKNOWN_EVENT = "unknown_event"  # 404: no event with that id
STORE_UNAVAILABLE = "store_unavailable"  # 503: no store at the path, unreadable, or of another version
STORE_BUSY = "store_busy"  # 503: an ingest held the store longer than a request waits; try again
CODER_BUSY = "coder_busy"  # 503: too many texts are being coded; try again
TOO_LARGE = "too_large"  # 413: the request body is over the limit
NOT_FOUND = "not_found"  # 404: no such endpoint
METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
HTTP_ERROR = "http_error"  # any other 4xx the HTTP layer gives (e.g. a body that cannot be parsed)
INTERNAL_ERROR = "internal_error"  # 500: a bug; the server log has the traceback
RETRY_AFTER = "2"  # seconds, on 503s that pass

# Responses every store endpoint may give, for the OpenAPI document.
STORE_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "A parameter cannot be read"},
    503: {"model": Problem, "description": "The event store is missing, cannot be opened or is busy"},
}
HTTP_CODES = {404: NOT_FOUND, 405: METHOD_NOT_ALLOWED, 413: TOO_LARGE}


def problem(
    status: int,
    code: str,
    message: str,
    fields: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"code": code, "message": message, "fields": fields or []}
    return JSONResponse(body, status_code=status, headers=headers)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        where = loc[0] if loc else ""
        name = "body" if err.get("type") == "json_invalid" else ".".join(loc[1:]) or where
        msg = str(err.get("msg", "invalid"))
        msg = msg.removeprefix("Value error, ")
        out.append({"in": where, "field": name, "message": msg})
    return out


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    # Registered for RequestValidationError only; Starlette types every handler with ``Exception``.
    fields = _field_errors(cast(RequestValidationError, exc))
    message = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or "the request cannot be read"
    return problem(422, BAD_REQUEST, message, fields)


async def _unknown_actor(request: Request, exc: Exception) -> JSONResponse:
    return problem(404, UNKNOWN_ACTOR, str(exc))


async def _unknown_event(request: Request, exc: Exception) -> JSONResponse:
    return problem(404, UNKNOWN_EVENT, str(exc))


async def _store(request: Request, exc: Exception) -> JSONResponse:
    log.warning("event store unavailable: %s", exc)
    if isinstance(exc, StoreBusy):
        return problem(503, STORE_BUSY, str(exc), headers={"Retry-After": RETRY_AFTER})
    return problem(503, STORE_UNAVAILABLE, public_message(str(exc), request.app.state.db))


async def _coder_busy(request: Request, exc: Exception) -> JSONResponse:
    return problem(503, CODER_BUSY, f"{exc}; try again in a moment", headers={"Retry-After": RETRY_AFTER})


async def _http(request: Request, exc: Exception) -> JSONResponse:
    err = cast(HTTPException, exc)
    code = HTTP_CODES.get(err.status_code, HTTP_ERROR)
    message = str(err.detail) if err.detail else code.replace("_", " ")
    if err.status_code == 404:
        message = f"no endpoint {request.url.path}: the API is described at /openapi.json"
    return problem(err.status_code, code, message, headers=getattr(err, "headers", None))


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    log.exception("error answering %s %s", request.method, request.url.path)
    return problem(
        500, INTERNAL_ERROR, f"internal error ({type(exc).__name__}); the server log has the details"
    )


def install(app: FastAPI) -> None:
    """Register the handlers (the most specific exception class wins)."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(UnknownActor, _unknown_actor)
    app.add_exception_handler(UnknownEvent, _unknown_event)
    app.add_exception_handler(StoreError, _store)
    app.add_exception_handler(CoderBusy, _coder_busy)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _internal)
