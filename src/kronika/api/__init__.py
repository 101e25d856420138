"""The REST API and web page over the event store: ``create_app(db_path)`` builds the FastAPI app that
``kronika serve`` runs."""

from __future__ import annotations

from kronika.api.app import create_app

__all__ = ["create_app"]
