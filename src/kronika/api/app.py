"""The application factory: the REST API and the web page over one event store."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kronika import __version__
from kronika.api import errors, places
from kronika.api.routes import router
from kronika.config import Settings
from kronika.store.schema import resolve_db_path

STATIC = Path(__file__).parent / "static"


# On every response: the page loads nothing from elsewhere and runs no inline script (its charts,
# Vega, compile their expressions at run time and set inline styles); nothing is sniffed into another
# type or framed.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Request bodies over this many bytes are refused with 413 (the largest text /api/code takes, escaped).
MAX_BODY = 2_000_000


class Guard:
    """ASGI middleware: the security headers on every response, and the body size limit (checked on
    the declared length and again on the bytes received, so a body is never buffered past it)."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise HTTPException(413, f"the request body is over {self.max_body} bytes")
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in PAGE_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_body:
            from kronika.api.errors import TOO_LARGE, problem

            response = problem(413, TOO_LARGE, f"the request body is over {self.max_body} bytes")
            await response(scope, receive, with_headers)
            return
        await self.app(scope, limited, with_headers)


def create_app(db_path: str | Path | None = None, settings: Settings | None = None) -> FastAPI:
    """The API over the store at ``db_path`` (default: ``settings.db_path``, i.e. ``$KRONIKA_DB``).

    Each request opens the store read-only and closes it, so ``kronika ingest`` can update it between
    requests (a request finding the file locked by an ingest's commit waits for it, up to
    ``kronika.store.access.READ_WAIT``); a missing store gives 503 on the store endpoints while
    ``/api/code`` still works.
    """
    settings = settings or Settings()
    app = FastAPI(
        title="Kronika",
        version=__version__,
        description="PLOVER events from the Kronika event store: search, timelines, networks, exports, "
        "and coding of pasted text.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.db = resolve_db_path(db_path, settings)
    app.state.settings = settings
    errors.install(app)
    app.include_router(router)
    app.include_router(places.router)
    app.add_middleware(Guard)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        """Swagger UI from the files shipped in the package: works offline, with no inline script."""
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
