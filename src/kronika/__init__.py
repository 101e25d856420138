"""Kronika: raw news in, PLOVER/CAMEO event data out."""

from __future__ import annotations

import logging

from kronika.document import Document
from kronika.records import SCHEMA_VERSION, Entity, Event


def code_texts(*args, **kwargs):
    """Code plain texts and return their event records (see ``kronika.pipeline.code_texts``)."""
    from kronika.pipeline import code_texts as _code_texts

    return _code_texts(*args, **kwargs)


def code_documents(*args, **kwargs):
    """Code ``Document`` objects (see ``kronika.pipeline.code_documents``)."""
    from kronika.pipeline import code_documents as _code_documents

    return _code_documents(*args, **kwargs)


def find_places(text: str, settings=None, url: str | None = None) -> list[dict]:
    """Every place ``text`` names, resolved on the gazetteer: one dict per toponym
    (see ``kronika.places.resolve.find_toponyms``)."""
    from kronika.places.resolve import find_toponyms

    return find_toponyms(text, settings, url)


__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["Document", "Entity", "Event", "SCHEMA_VERSION", "__version__", "code_documents", "code_texts",
           "find_places"]
