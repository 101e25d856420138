"""One declaration of Kronika's record shapes, and the pure values the store keys records by.

``fields`` holds the machinery (fields, shapes, table columns and what is derived from them);
``record`` declares the event record, its entities and place, and the document; ``keys`` computes a
record's block key, sides and date range once, for the store and for coreference.
"""

from __future__ import annotations

from kronika.schema.fields import Column, Field, Shape, Table
from kronika.schema.record import DOCUMENT, ENTITY, EVENT, PLACE, REMOVED, SCHEMA_VERSION, TEXT_INFO

__all__ = [
    "DOCUMENT",
    "ENTITY",
    "EVENT",
    "PLACE",
    "REMOVED",
    "SCHEMA_VERSION",
    "TEXT_INFO",
    "Column",
    "Field",
    "Shape",
    "Table",
]
