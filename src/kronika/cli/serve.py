"""``kronika serve``: the REST API and web page over an event store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kronika.cli.store import Db
from kronika.config import Settings
from kronika.store.schema import resolve_db_path


def serve_cmd(
    db: Db = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the event store's web page (/), its API (/api/...) and the API documentation (/docs)."""
    import uvicorn

    from kronika.api import create_app

    settings = Settings()
    path = resolve_db_path(db, settings)
    if not Path(path).exists():
        typer.echo(
            f"warning: no event store at {path} yet; the store endpoints answer 503 until "
            "`kronika ingest` makes one (POST /api/code works without it)",
            err=True,
        )
    typer.echo(f"Kronika on http://{host}:{port}/ over {path}", err=True)
    uvicorn.run(create_app(path, settings), host=host, port=port)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command("serve")(serve_cmd)
