"""Kronika: raw news in, PLOVER/CAMEO event data out."""

from __future__ import annotations

import logging

from kronika.document import Document
from kronika.records import SCHEMA_VERSION, Entity, Event

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["Document", "Entity", "Event", "SCHEMA_VERSION", "__version__"]
