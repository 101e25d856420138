"""The application factory: the REST API and the web page over one event store."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from kronika import __version__
from kronika.api import errors, places
from kronika.api.routes import router
from kronika.config import Settings
from kronika.store.schema import resolve_db_path

STATIC = Path(__file__).parent / "static"

SWAGGER = "/static/vendor/swagger-ui"

# The page loads nothing from elsewhere and runs no inline script; its charts (Vega) compile their
# expressions at run time and set inline styles.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}


def create_app(db_path: str | Path | None = None, settings: Settings | None = None) -> FastAPI:
    """The API over the store at ``db_path`` (default: ``settings.db_path``, i.e. ``$KRONIKA_DB``).

    Each request opens the store read-only and closes it, so ``kronika ingest`` can update it between
    requests; a missing store gives 503 on the store endpoints while ``/api/code`` still works.
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

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html", headers=PAGE_HEADERS)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from the files shipped in the package: works offline."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="Kronika API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
