"""Reading: raw inputs (text, HTML, JSON(L), CSV, WARC; files, folders, stdin, gzip) to Documents.

The reader yields exactly one :class:`~kronika.document.Document` per input document, with status
``ok``, ``skipped`` or ``failed`` (and a ``reason``): it never raises for a bad document.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from kronika.config import Settings
from kronika.document import Document
from kronika.read.article import (
    build_document,
    build_html_document,
    failed,
    read_html,
    read_text,
    settle_year,
)
from kronika.read.errors import MESSAGES, ReadError
from kronika.read.formats import FIELD_ALIASES, Item
from kronika.read.pubdate import PendingYear, YearResolver
from kronika.read.sources import iter_items

log = logging.getLogger(__name__)

__all__ = ["FIELD_ALIASES", "MESSAGES", "ReadError", "read_html", "read_inputs", "read_item", "read_text"]


def read_item(
    item: Item, settings: Settings, pub_date: dt.date | None = None
) -> tuple[Document, PendingYear | None]:
    """Turn one raw Item into a Document (and a pending year inference, if any)."""
    if item.error is not None:
        doc = failed(item.doc_id, item.error, item.path, item.url)
        doc.warnings.extend(item.warnings)
        return doc, None
    date = pub_date or item.date
    if item.html is not None:
        return build_html_document(
            item.html,
            item.doc_id,
            pub_date=date,
            title=item.title,
            url=item.url,
            path=item.path,
            settings=settings,
            warnings=item.warnings,
        )
    return build_document(
        item.text or "",
        item.doc_id,
        pub_date=date,
        title=item.title,
        url=item.url,
        path=item.path,
        settings=settings,
        warnings=item.warnings,
    )


def read_inputs(
    inputs: Iterable[str | Path],
    settings: Settings | None = None,
    pub_date: dt.date | None = None,
) -> Iterator[Document]:
    """Read files, folders (recursively) and ``"-"`` (stdin): one Document per input document.

    ``pub_date`` is the publication date of every document read (it overrides the dates the inputs
    carry; a warning notes a disagreement). Documents whose date lacks its year ("MOSCOW, Feb 24")
    are held back to the end of the batch, where the year is inferred from the dated documents.
    """
    settings = settings or Settings()
    resolver = YearResolver()
    waiting: list[tuple[Document, PendingYear]] = []
    for item in iter_items(inputs, settings):
        try:
            doc, pending = read_item(item, settings, pub_date)
        except Exception as exc:  # a bug must not stop the batch: report it on the document
            log.exception("unexpected error reading %s", item.doc_id)
            doc = failed(
                item.doc_id, ReadError("format", f"internal error: {type(exc).__name__}: {exc}"), item.path
            )
            pending = None
        if pending is not None:
            waiting.append((doc, pending))
            continue
        if doc.ok and doc.pub_date is not None:
            resolver.add(doc.pub_date, doc.text)
        yield doc
    for doc, pending in waiting:
        settle_year(doc, pending, resolver)
        yield doc
