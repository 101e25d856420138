"""Coding pasted text for the API: the coder is loaded on the first request, once per process."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from kronika.config import Settings

# spaCy pipelines are not documented as thread-safe; the server runs sync endpoints in a thread pool.
_LOCK = threading.Lock()


def code_text(
    text: str, pub_date: dt.date | None = None, settings: Settings | None = None
) -> list[dict[str, Any]]:
    """The PLOVER records coded from ``text`` (nothing is stored)."""
    from kronika.pipeline import code_texts  # spaCy is imported by the first request that needs it

    with _LOCK:
        events = code_texts([text], pub_date=pub_date, doc_ids=["text"], settings=settings)
    return [e.to_dict() for e in events]
