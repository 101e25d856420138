"""The document that flows through Kronika: read → parsed → coded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kronika.schema.record import DOCUMENT, REMOVED

STATUS_OK = "ok"
STATUS_SKIPPED = "skipped"
STATUS_FAILED = "failed"


@dataclass
class Removed:
    """A stretch of the raw text that the reader cut out of the body."""

    start: int
    end: int
    kind: str  # comments | caption | credit | navigation | advert | related-link | css | ...

    def to_dict(self) -> dict[str, Any]:
        return REMOVED.to_dict(self)


@dataclass
class Document:
    """One input article.

    ``text`` is the clean body the coder sees; every character offset in an event record refers to it.
    ``status`` is ``ok`` for documents to code, ``skipped`` (e.g. not English) or ``failed`` (with
    ``reason``) for the others: every input document ends with exactly one status.
    """

    doc_id: str
    text: str = ""
    pub_date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    path: str | None = None
    status: str = STATUS_OK
    reason: str | None = None
    byline: str | None = None
    publisher: str | None = None
    pub_date_text: str | None = None
    dateline: str | None = None
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK

    def to_dict(self) -> dict[str, Any]:
        return DOCUMENT.to_dict(self)
