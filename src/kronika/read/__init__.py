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
from kronika.read.article import failed, read_html, read_item, read_text, settle_year
from kronika.read.encoding import scrub
from kronika.read.errors import MESSAGES, ReadError
from kronika.read.formats import FIELD_ALIASES, Item
from kronika.read.pubdate import PendingYear, YearResolver
from kronika.read.sources import iter_items

log = logging.getLogger(__name__)

__all__ = ["FIELD_ALIASES", "MESSAGES", "ReadError", "read_html", "read_inputs", "read_item", "read_text"]


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
            scrub_fields(item, ("doc_id", "path", "text", "html", "title", "url"))
            doc, pending = read_item(item, settings, pub_date)
        except Exception as exc:  # a bug must not stop the batch: report it on the document
            log.exception("unexpected error reading %s", item.doc_id)
            doc = failed(
                item.doc_id, ReadError("format", f"internal error: {type(exc).__name__}: {exc}"), item.path
            )
            pending = None
        scrub_fields(doc, ("doc_id", "path", "url", "title", "reason", "byline", "publisher", "dateline"))
        if pending is not None:
            waiting.append((doc, pending))
            continue
        if doc.ok and doc.pub_date is not None:
            resolver.add(doc.pub_date, doc.text)
        yield doc
    for doc, pending in waiting:
        settle_year(doc, pending, resolver)
        yield doc


def scrub_fields(obj: Item | Document, names: tuple[str, ...]) -> None:
    """Replace lone surrogates in the string fields ``names`` of an Item or Document (and its warnings),
    with a warning when the text itself had any."""
    replaced = 0
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, str):
            clean, n = scrub(value)
            if n:
                setattr(obj, name, clean)
                replaced += n if name in ("text", "html") else 0
    obj.warnings[:] = [scrub(w)[0] for w in obj.warnings]
    if replaced:
        obj.warnings.append(f"encoding: replaced {replaced} lone surrogate(s) with U+FFFD")
